import ChaosToolkit
import Foundation
import Testing

/// Issue 12, finding 5: only byte-exact echoes of a secret were replaced. A server may echo one in other forms.
@Suite("Redaction of secrets in every form a server echoes them")
struct SecretFormRedactionTests {
    static let token = "s3cr3t/T0ken+value"
    static let redaction = Redaction([token, "hunter22", "ab"])

    @Test(arguments: [
        ("as it is", "got \(token)!"),
        ("lower-cased", "got \(token.lowercased())!"),
        ("upper-cased", "got \(token.uppercased())!"),
        ("percent-encoded", "got \(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)!"),
        ("JSON-escaped slash", #"got s3cr3t\/T0ken+value!"#),
        ("JSON u-escapes", #"got \u0073\u0033cr3t/T0ken+value!"#),
        ("base64", "got \(Data(token.utf8).base64EncodedString())!"),
        ("base64url", "got \(Data(token.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))!"),
        ("a basic credential", "Authorization: Basic \(Data("chaos:hunter22".utf8).base64EncodedString())"),
    ] as [(String, String)])
    func aSecretIsReplacedInEachForm(_ form: String, _ text: String) {
        let redacted = SecretFormRedactionTests.redaction.apply(text)
        #expect(redacted.contains("***"), "\(form): \(redacted)")
        #expect(!redacted.lowercased().contains(SecretFormRedactionTests.token.lowercased()), "\(form): \(redacted)")
        #expect(!redacted.contains("hunter22"), "\(form): \(redacted)")
        #expect(!redacted.contains(Data(SecretFormRedactionTests.token.utf8).base64EncodedString()), "\(form): \(redacted)")
    }

    @Test func textWithoutSecretsIsLeftAsItIs() {
        let text = #"{"status":"error","error":"parse error at char 4: unexpected \"(\" in vector selector"}"#
        #expect(SecretFormRedactionTests.redaction.apply(text) == text)
    }

    @Test func aSecretShorterThanFourCharactersIsNotLookedFor() {
        #expect(SecretFormRedactionTests.redaction.apply("abstract labels") == "abstract labels")
    }
}

import ChaosToolkit
import Foundation
import JSON
import Testing

/// Issue 12, finding 5: only byte-exact echoes of a secret were replaced. A server may echo one in other forms.
@Suite("Redaction of secrets in every form a server echoes them")
struct SecretFormRedactionTests {
    static let token = "s3cr3t/T0ken+value"
    static let redaction = Redaction([token, "hunter22", "ab"])

    @Test(
        arguments: [
            ("as it is", "got \(token)!"),
            ("lower-cased", "got \(token.lowercased())!"),
            ("upper-cased", "got \(token.uppercased())!"),
            ("percent-encoded", "got \(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)!"),
            ("JSON-escaped slash", #"got s3cr3t\/T0ken+value!"#),
            ("JSON u-escapes", #"got \u0073\u0033cr3t/T0ken+value!"#),
            ("base64", "got \(Data(token.utf8).base64EncodedString())!"),
            (
                "base64url",
                "got \(Data(token.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))!"
            ),
            ("a basic credential", "Authorization: Basic \(Data("chaos:hunter22".utf8).base64EncodedString())"),
        ] as [(String, String)])
    func aSecretIsReplacedInEachForm(_ form: String, _ text: String) {
        let redacted = SecretFormRedactionTests.redaction.apply(text)
        #expect(redacted.contains("***"), "\(form): \(redacted)")
        #expect(!redacted.lowercased().contains(SecretFormRedactionTests.token.lowercased()), "\(form): \(redacted)")
        #expect(!redacted.contains("hunter22"), "\(form): \(redacted)")
        #expect(
            !redacted.contains(Data(SecretFormRedactionTests.token.utf8).base64EncodedString()), "\(form): \(redacted)")
    }

    @Test func textWithoutSecretsIsLeftAsItIs() {
        let text = #"{"status":"error","error":"parse error at char 4: unexpected \"(\" in vector selector"}"#
        #expect(SecretFormRedactionTests.redaction.apply(text) == text)
    }

    @Test func aSecretShorterThanFourCharactersIsNotLookedFor() {
        #expect(SecretFormRedactionTests.redaction.apply("abstract labels") == "abstract labels")
    }
}

/// Issue 12, finding 5: an echo inside a success document went out as it was, and the cost of redaction grew with
/// the number of secrets (one scan per secret). Now every text of an answer is redacted, in one pass for all.
@Suite("Redaction of success documents")
struct SuccessDocumentRedactionTests {
    static let token = "s3cr3t/T0ken+value"
    static let redaction = Redaction([token])

    /// The result of redacting the compact JSON `text`, as text, after checking it is still one JSON value.
    static func redacted(_ text: String, by redaction: Redaction = redaction) throws -> String {
        let result = redaction.apply(to: .text(try JSONText(validating: Array(text.utf8))))
        guard case .text(let redacted) = result else { return result.serializedString() }
        _ = try JSONText(validating: redacted.bytes)
        return String(decoding: redacted.bytes, as: UTF8.self)
    }

    @Test(
        arguments: [
            ("as it is", #"{"metric":{"echo":"Bearer s3cr3t/T0ken+value"}}"#),
            ("upper-cased", #"{"metric":{"echo":"S3CR3T/T0KEN+VALUE"}}"#),
            ("with an escaped solidus", #"{"metric":{"echo":"s3cr3t\/T0ken+value"}}"#),
            ("as a member name", #"{"s3cr3t/T0ken+value":1}"#),
            ("base64", #"{"echo":"czNjcjN0L1Qwa2VuK3ZhbHVl"}"#),
        ] as [(String, String)])
    func anEchoInAPassedThroughDocumentIsReplaced(_ form: String, _ document: String) throws {
        let text = try Self.redacted(document)
        #expect(text.contains("***"), "\(form): \(text)")
        #expect(!text.lowercased().contains("t0ken"), "\(form): \(text)")
    }

    @Test func anEchoInAParsedResultIsReplaced() {
        let value: JSONValue = ["values": ["Bearer s3cr3t/T0ken+value", 42], "s3cr3t/T0ken+value": true]
        #expect(Self.redaction.apply(to: value) == ["values": ["Bearer ***", 42], "***": true])
    }

    @Test func onlyStringsAreTouchedSoTheDocumentStaysValid() throws {
        let digits = Redaction(["123456"])
        #expect(try Self.redacted(#"{"a":1234567,"b":"x123456"}"#, by: digits) == #"{"a":1234567,"b":"x***"}"#)
    }

    @Test func aMatchBeginningOnAnEscapedLetterTakesItsBackslash() throws {
        #expect(try Self.redacted(#"{"a":"x\nabc1"}"#, by: Redaction(["nabc1"])) == #"{"a":"x***"}"#)
    }

    @Test func aDocumentWithoutSecretsIsLeftAsItIs() throws {
        let document = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#
        #expect(try Self.redacted(document) == document)
    }

    @Test func everyOneOfManySecretsIsReplacedInOnePass() {
        let secrets = (0..<500).map { "secret-number-\($0)-x" }
        let text = secrets.reversed().joined(separator: " and ")
        let redacted = Redaction(secrets).apply(text)
        #expect(!redacted.contains("secret-number"), "\(redacted.prefix(200))")
        #expect(redacted.components(separatedBy: "***").count == 501)
    }
}

@Suite("Secrets as Go escapes them")
struct GoEscapedSecretTests {
    @Test func aSecretWithMarkupCharactersIsFoundAsGoEscapesThem() throws {
        let document = #"{"echo":"pa\u003css\u003eword\u0026more"}"#
        let redacted = Redaction(["pa<ss>word&more"]).apply(to: .text(try JSONText(validating: Array(document.utf8))))
        #expect(redacted.serializedString() == #"{"echo":"***"}"#)
    }
}

/// What a review of the one-pass redaction found: forms it missed, and text it changed without need.
@Suite("Redaction: the forms a first rewrite missed")
struct RedactionReviewTests {
    @Test func aSecretIsFoundAsThePluginsOwnQueryStringsEncodeIt() {
        // FormEncoding keeps RFC 3986's unreserved characters: "p@ss-word.x~" is sent as "p%40ss-word.x~".
        let redaction = Redaction(["p@ss-word.x~", "two words here"])
        #expect(redaction.apply("GET /api?q=p%40ss-word.x~&r=1") == "GET /api?q=***&r=1")
        #expect(redaction.apply("q=two+words+here") == "q=***")
    }

    @Test func aSecretWithALineBreakIsFoundAsJSONWritesIt() throws {
        let key = "-----BEGIN KEY-----\nabc\tdef\n-----END KEY-----"
        let document = #"{"echo":"-----BEGIN KEY-----\nabc\tdef\n-----END KEY-----"}"#
        let redacted = Redaction([key]).apply(to: .text(try JSONText(validating: Array(document.utf8))))
        #expect(redacted.serializedString() == #"{"echo":"***"}"#)
    }

    @Test func textWithEscapesButNoSecretIsLeftAsWritten() {
        let text = #"{"le":"a\/b \u0041"}"#
        #expect(Redaction(["s3cr3t-value"]).apply(text) == text)
    }

    @Test func aLongSecretBuildsASmallMatcher() {
        // A PEM key of 3 KB: thousands of states, each a row of only the bytes the key uses.
        let key = String((0..<3000).map { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[$0 % 64] })
        let text = "x " + key + " y"
        #expect(Redaction([key]).apply(text) == "x *** y")
    }
}

extension String {
    fileprivate subscript(offset: Int) -> Character { self[index(startIndex, offsetBy: offset)] }
}

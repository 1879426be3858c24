import Foundation

/// Replaces a call's secrets by `***` in a text the plugin is about to write, in the forms a server may echo them:
/// as they are whatever their letter case, percent-encoded, JSON-escaped (`\/`, `\u0041`), and base64-encoded on
/// their own or inside a longer encoded text (`Authorization: Basic <base64 of user:password>`).
///
/// Applied before a text is folded or shortened, so that no cut can leave half a secret behind.
public struct Redaction: Sendable {
    /// Secrets shorter than this are not looked for: replacing every `a` or `42` would make messages unreadable,
    /// and such a secret protects nothing.
    public static let shortestSecret = 4
    /// Base64 runs shorter than this cannot hold a secret of ``shortestSecret`` characters.
    private static let shortestEncodedRun = 8

    /// Every form to replace, lower-cased, longest first.
    private let forms: [String]
    /// The secrets themselves, lower-cased, for what base64 runs decode to.
    private let secrets: [String]

    /// A redaction of `secrets` (the shorter ones ignored).
    public init(_ secrets: [String]) {
        let kept = Set(secrets.filter { $0.count >= Self.shortestSecret })
        self.secrets = kept.map { $0.lowercased() }.sorted { $0.count > $1.count }
        var forms: Set<String> = []
        for secret in kept {
            forms.insert(secret.lowercased())
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                forms.insert(encoded.lowercased())
            }
        }
        self.forms = forms.sorted { $0.count > $1.count }
    }

    /// Whether there is anything to redact.
    public var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every form of every secret replaced by `***`.
    public func apply(_ text: String) -> String {
        guard !isEmpty else { return text }
        var redacted = text.contains("\\") ? Self.unescapingJSON(text) : text
        redacted = replacingEncodedRuns(in: redacted)
        for form in forms {
            redacted = redacted.replacing(form, with: "***", caseInsensitively: true)
        }
        return redacted
    }

    /// `text` with JSON's `\/` and `\uXXXX` escapes read (surrogate pairs included), so an escaped echo shows the
    /// secret itself, which is then replaced; other escapes are kept as written.
    static func unescapingJSON(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= scalars.count else { return nil }
            return UInt32(String(String.UnicodeScalarView(scalars[start..<(start + 4)])), radix: 16)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                if scalars[index + 1] == "/" {
                    result.append("/")
                    index += 2
                    continue
                }
                if scalars[index + 1] == "u", let high = hex4(at: index + 2) {
                    if (0xD800...0xDBFF).contains(high), index + 12 <= scalars.count,
                        scalars[index + 6] == "\\", scalars[index + 7] == "u", let low = hex4(at: index + 8),
                        (0xDC00...0xDFFF).contains(low),
                        let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    {
                        result.append(combined)
                        index += 12
                        continue
                    }
                    if let decoded = Unicode.Scalar(high) {
                        result.append(decoded)
                        index += 6
                        continue
                    }
                }
            }
            result.append(scalar)
            index += 1
        }
        return String(result)
    }

    /// `text` with every run of base64 characters that decodes to text holding a secret replaced by `***`.
    private func replacingEncodedRuns(in text: String) -> String {
        var result = ""
        var run = ""
        func flush() {
            if run.count >= Self.shortestEncodedRun, let decoded = Self.base64Decoded(run)?.lowercased(),
                secrets.contains(where: decoded.contains)
            {
                result += "***"
            } else {
                result += run
            }
            run = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || "+/=-_".contains(character)) {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// The text a base64 or base64url run decodes to, when it decodes to UTF-8.
    private static func base64Decoded(_ run: String) -> String? {
        var standard = run.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.hasSuffix("=") { standard.removeLast() }
        guard !standard.isEmpty else { return nil }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

extension String {
    /// This text with every occurrence of `target` replaced, comparing letters case-insensitively (ASCII and
    /// beyond, as `lowercased()` folds them).
    fileprivate func replacing(_ target: String, with replacement: String, caseInsensitively: Bool) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var remaining = self[...]
        while let range = remaining.range(of: target, options: [.caseInsensitive]) {
            result += remaining[..<range.lowerBound]
            result += replacement
            remaining = remaining[range.upperBound...]
        }
        result += remaining
        return result
    }
}

import JSON
import Locking

/// Replaces a call's secrets by `***` in a text the plugin is about to write, in the forms a server may echo them:
/// as they are whatever the case of their ASCII letters, percent-encoded, JSON-escaped (`\/`, `\u0041`, `\"`),
/// and base64-encoded on their own or inside a longer encoded text (`Authorization: Basic <base64 of
/// user:password>`).
///
/// Applied before a text is folded or shortened, so that no cut can leave half a secret behind; and to every
/// text of a call's answer, success documents included. One pass finds every form of every secret (see
/// ``SecretMatcher``), so the cost of redaction does not grow with the number of secrets.
package struct Redaction: Sendable {
    /// Secrets shorter than this are not looked for: replacing every `a` or `42` would make messages unreadable,
    /// and such a secret protects nothing.
    package static let shortestSecret = 4
    /// Base64 runs shorter than this cannot hold a secret of ``shortestSecret`` characters.
    private static let shortestEncodedRun = 8

    /// Every form of every secret.
    private let forms: SecretMatcher
    /// The secrets themselves, for what base64 runs decode to.
    private let secrets: SecretMatcher

    /// A redaction of `secrets` (the shorter ones ignored).
    package init(_ secrets: [String]) {
        let kept = Set(secrets.filter { $0.count >= Self.shortestSecret }).map { Array($0.utf8) }
        var forms: [[UInt8]] = []
        for secret in kept {
            forms.append(secret)
            forms.append(contentsOf: Self.percentEncoded(secret))
            forms.append(contentsOf: Self.jsonEscaped(secret))
        }
        self.forms = SecretMatcher(forms)
        self.secrets = SecretMatcher(kept)
    }

    /// Whether there is anything to redact.
    package var isEmpty: Bool { secrets.isEmpty }

    /// The redaction of `secrets`, built once for the few sets of secrets a run uses: its tables take some
    /// microseconds to build, and every call with secrets needs one.
    package static func of(_ secrets: [String]) -> Redaction {
        if secrets.isEmpty { return none }
        if let known = recent.withLock({ $0[secrets] }) { return known }
        let built = Redaction(secrets)
        recent.withLock { recent in
            if recent.count >= recentLimit { recent.removeAll() }
            recent[secrets] = built
        }
        return built
    }

    /// The redaction of the call this task runs (none outside a call): set by ``Activity``, for whatever shortens
    /// a server's text before the call's answer is redacted as a whole, since a cut can leave half a secret.
    @TaskLocal package static var current = none

    private static let none = Redaction([])
    private static let recentLimit = 16
    private static let recent = Locked<[[String]: Redaction]>([:])

    /// `text` with every form of every secret replaced by `***` (JSON escapes in it read first).
    package func apply(_ text: String) -> String {
        guard !isEmpty else { return text }
        let unescaped = text.contains("\\") ? Self.unescapingJSON(text) : text
        let bytes = Array(unescaped.utf8)
        let found = matches(in: bytes, insideStringsOnly: false)
        guard !found.isEmpty else { return text }  // as it was written, escapes and all
        return String(decoding: Self.replacing(found, in: bytes), as: UTF8.self)
    }

    /// `value` with every secret replaced in its strings and member names.
    package func apply(to value: JSONValue) -> JSONValue {
        guard !isEmpty else { return value }
        switch value {
        case .string(let text): return .string(apply(text))
        case .array(let items): return .array(items.map(apply(to:)))
        case .object(let members): return .object(JSONObject(members.map { (apply($0.key), apply(to: $0.value)) }))
        case .null, .bool, .number: return value
        }
    }

    /// `output` with every secret replaced in its values, and in the strings of the JSON texts it passes on as
    /// they are (a Prometheus answer).
    package func apply(to output: JSONOutput) -> JSONOutput {
        guard !isEmpty else { return output }
        switch output {
        case .value(let value): return .value(apply(to: value))
        case .array(let elements): return .array(elements.map(apply(to:)))
        case .object(let members): return .object(members.map { (apply($0.key), apply(to: $0.value)) })
        case .text(let text):
            let found = matches(in: text.bytes, insideStringsOnly: true)
            guard !found.isEmpty else { return output }
            // `***` inside a string keeps the text valid JSON, unless a match began inside a `\u` escape: then
            // the tree is redacted and written again.
            guard var redacted = try? JSONText(validating: Self.replacing(found, in: text.bytes)) else {
                return .value(apply(to: text.value))
            }
            redacted.keepsAlive = text.keepsAlive
            return .text(redacted)
        }
    }

    /// The ranges of `bytes` to replace: every form of a secret, and every base64 run that decodes to text
    /// holding one; in JSON text (`insideStringsOnly`), only within its strings, so `***` never breaks it.
    private func matches(in bytes: [UInt8], insideStringsOnly json: Bool) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var state = SecretMatcher.start
        var inString = !json
        var escaped = false
        var runStart: Int?
        func endRun(at end: Int) {
            if let start = runStart, end - start >= Self.shortestEncodedRun,
                let decoded = Self.base64Decoded(bytes[start..<end]), secrets.occurs(in: decoded)
            {
                found.append(start..<end)
            }
            runStart = nil
        }
        for index in bytes.indices {
            let byte = bytes[index]
            if json {
                if !inString {
                    if byte == UInt8(ascii: "\"") { inString = true }
                    continue
                }
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    state = SecretMatcher.start
                    endRun(at: index)
                    continue
                }
            }
            state = forms.step(state, byte)
            let length = forms.matchLength(at: state)
            if length > 0 {
                var start = index + 1 - length
                // A match that begins on the letter of an escape (`\n`, `\"`) takes its backslash too.
                var backslashes = 0
                while json, start - backslashes > 0, bytes[start - backslashes - 1] == UInt8(ascii: "\\") {
                    backslashes += 1
                }
                if backslashes % 2 == 1 { start -= 1 }
                found.append(start..<(index + 1))
            }
            if Self.isBase64(byte) {
                if runStart == nil { runStart = index }
            } else {
                endRun(at: index)
            }
        }
        endRun(at: bytes.count)
        return found
    }

    /// `bytes` with each of `ranges` (overlapping or not) replaced by one `***`.
    private static func replacing(_ ranges: [Range<Int>], in bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        var pending: Range<Int>?
        func flush() {
            guard let range = pending else { return }
            result += bytes[copied..<range.lowerBound]
            result += Array("***".utf8)
            copied = range.upperBound
        }
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let current = pending, range.lowerBound <= current.upperBound {
                pending = current.lowerBound..<max(current.upperBound, range.upperBound)
            } else {
                flush()
                pending = range
            }
        }
        flush()
        result += bytes[copied...]
        return result
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "A") < 26 || byte &- UInt8(ascii: "0") < 10
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// The bytes a base64 or base64url run decodes to, padding optional; `nil` when it is not base64.
    static func base64Decoded(_ run: ArraySlice<UInt8>) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(run.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in run where byte != UInt8(ascii: "=") {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                decoded.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return decoded
    }

    /// `secret` percent-encoded as URLs carry it: every byte but letters and digits encoded, or every byte but
    /// RFC 3986's unreserved ones (as the plugin's own query strings are), with a space as `%20` or `+`.
    static func percentEncoded(_ secret: [UInt8]) -> [[UInt8]] {
        let hex = Array("0123456789ABCDEF".utf8)
        func encoded(keeping kept: (UInt8) -> Bool, spaceAsPlus: Bool) -> [UInt8] {
            var result: [UInt8] = []
            for byte in secret {
                if kept(byte) {
                    result.append(byte)
                } else if spaceAsPlus && byte == UInt8(ascii: " ") {
                    result.append(UInt8(ascii: "+"))
                } else {
                    result += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
            }
            return result
        }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "A") < 26 || byte &- UInt8(ascii: "0") < 10
        }
        func isUnreserved(_ byte: UInt8) -> Bool {
            isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~")
        }
        return [
            encoded(keeping: isAlphanumeric, spaceAsPlus: false), encoded(keeping: isUnreserved, spaceAsPlus: false),
            encoded(keeping: isUnreserved, spaceAsPlus: true),
        ]
    }

    /// `secret` as JSON encoders write it inside a string: quotes and backslashes escaped, control characters
    /// as `\n`, `\t`, ... where JSON has a short escape or all as `\u00XX`; `/` escaped or not; `<`, `>`, `&`
    /// as `\u003c`, ... (as Go writes them) or not.
    static func jsonEscaped(_ secret: [UInt8]) -> [[UInt8]] {
        let hex = Array("0123456789abcdef".utf8)
        let short: [UInt8: UInt8] = [
            0x08: UInt8(ascii: "b"), 0x0C: UInt8(ascii: "f"), 0x0A: UInt8(ascii: "n"),
            0x0D: UInt8(ascii: "r"), 0x09: UInt8(ascii: "t"),
        ]
        func escaped(solidus: Bool, html: Bool, shortEscapes: Bool) -> [UInt8] {
            var result: [UInt8] = []
            let markup = Array("<>&".utf8)
            for byte in secret {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    result += [UInt8(ascii: "\\"), byte]
                } else if solidus && byte == UInt8(ascii: "/") {
                    result += Array("\\/".utf8)
                } else if shortEscapes, let letter = short[byte] {
                    result += [UInt8(ascii: "\\"), letter]
                } else if byte < 0x20 || (html && markup.contains(byte)) {
                    result += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                } else {
                    result.append(byte)
                }
            }
            return result
        }
        return [
            escaped(solidus: false, html: false, shortEscapes: true),
            escaped(solidus: true, html: false, shortEscapes: true),
            escaped(solidus: false, html: true, shortEscapes: true),
            escaped(solidus: false, html: false, shortEscapes: false),
        ]
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
}

/// An absolute `http` or `https` URL split into the parts of RFC 3986, read without Foundation.
///
/// Strict as a URL parser should be for a URL someone typed into a configuration: every character is one RFC 3986
/// allows (unreserved, reserved, or a `%` with two hex digits), so spaces, quotes, angle brackets and non-ASCII
/// text are refused rather than guessed at; the authority (`//host`) is required, and a port is at most 65535.
package struct HTTPURL: Sendable, Equatable {
    /// `http` or `https`, lower-cased.
    package let scheme: String
    /// What precedes `@` in the authority (`user:password`), if anything does.
    package let userInfo: String?
    /// The host as written: a name, an IPv4 address, or an IPv6 address in brackets.
    package let host: String
    /// The port, when the URL names one.
    package let port: Int?
    /// The path, possibly empty.
    package let path: String
    /// What follows `?`, if anything does.
    package let query: String?
    /// What follows `#`, if anything does.
    package let fragment: String?

    /// The parts of `text`, or `nil` when it is not an absolute http(s) URL with a host.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard Self.isWellFormed(bytes) else { return nil }
        guard let schemeEnd = bytes.firstIndex(of: UInt8(ascii: ":")),
            bytes[(schemeEnd + 1)...].starts(with: "//".utf8)
        else { return nil }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }

        var rest = bytes[(schemeEnd + 3)...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            fragment = String(decoding: rest[(hash + 1)...], as: UTF8.self)
            rest = rest[..<hash]
        } else {
            fragment = nil
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            query = String(decoding: rest[(question + 1)...], as: UTF8.self)
            rest = rest[..<question]
        } else {
            query = nil
        }
        let authorityEnd = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        path = String(decoding: rest[authorityEnd...], as: UTF8.self)
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            userInfo = String(decoding: authority[..<at], as: UTF8.self)
            authority = authority[(at + 1)...]
        } else {
            userInfo = nil
        }
        // The port follows the last colon, unless that colon is inside an IPv6 literal's brackets.
        var hostPart = authority
        var portText: ArraySlice<UInt8>?
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")),
            authority.lastIndex(of: UInt8(ascii: "]")).map({ $0 < colon }) ?? true
        {
            hostPart = authority[..<colon]
            portText = authority[(colon + 1)...]
        }
        if hostPart.first == UInt8(ascii: "[") {
            guard hostPart.last == UInt8(ascii: "]"), hostPart.count > 2,
                hostPart.dropFirst().dropLast().allSatisfy({
                    Self.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                })
            else { return nil }
        } else {
            guard !hostPart.contains(UInt8(ascii: "[")), !hostPart.contains(UInt8(ascii: "]")) else { return nil }
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(decoding: hostPart, as: UTF8.self)
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let number = Int(String(decoding: portText, as: UTF8.self)), number <= 65_535
            else { return nil }
            port = number
        } else {
            port = nil
        }
        self.scheme = scheme
    }

    /// Whether every byte is one RFC 3986 allows in a URL, and every `%` starts an escape of two hex digits.
    private static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    return false
                }
                index += 3
                continue
            }
            guard allowed[Int(byte)] else { return false }
            index += 1
        }
        return true
    }

    /// RFC 3986's unreserved and reserved characters, by byte.
    private static let allowed: [Bool] = (0..<256).map { byte in
        guard byte < 128, let scalar = Unicode.Scalar(byte) else { return false }
        let character = Character(scalar)
        return character.isASCII
            && (character.isLetter || character.isNumber || "-._~:/?#[]@!$&'()*+,;=".contains(character))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

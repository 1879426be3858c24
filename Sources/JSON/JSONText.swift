/// The text of one JSON value, checked and compacted, to be written out as it is.
///
/// This is how a document from a server reaches a response line without being parsed into a tree and
/// written again, which for a large Prometheus answer costs several times the exchange itself. One pass
/// over the bytes checks that they are exactly one JSON value (the grammar of RFC 8259, valid UTF-8 in
/// strings, escapes and surrogate pairs whole, nesting no deeper than the limit) and removes the white space
/// between tokens, so the text holds no raw line break and fits on one line. Member names are not checked
/// for duplicates, which RFC 8259 allows; ``value`` keeps the last of them.
package struct JSONText: Sendable, Hashable {
    /// The compact text.
    package let bytes: [UInt8]
    /// An object kept alive as long as the text, such as the reservation of the memory its bytes were counted
    /// against where they were received. Not part of the text's value.
    package var keepsAlive: (any AnyObject & Sendable)?

    /// Checks and compacts `bytes` (in place: no copy is made).
    ///
    /// - Throws: ``JSONParseError`` saying where the text stops being one JSON value.
    package init(validating bytes: consuming [UInt8], maximumDepth: Int = 512) throws(JSONParseError) {
        var text = consume bytes  // the only reference, so compacting in place never copies (even unoptimized)
        let length = try text.withUnsafeMutableBufferPointer { buffer throws(JSONParseError) -> Int in
            var compactor = JSONCompactor(buffer, maximumDepth: maximumDepth)
            return try compactor.compactDocument()
        }
        text.removeSubrange(length...)
        self.bytes = text
    }

    package static func == (left: JSONText, right: JSONText) -> Bool { left.bytes == right.bytes }

    package func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// The value the text holds, parsed (each time: keep the result when it is needed more than once).
    package var value: JSONValue {
        // The text was checked against the same grammar, so only a duplicate member name could make the
        // strict parser refuse it; the lenient one keeps the last.
        (try? JSONValue(parsing: bytes, rejectingDuplicateNames: false)) ?? .null
    }
}

/// The one-pass checker behind ``JSONText``: reads at `position`, writes the compact text at `output`, which
/// never passes `position`, so both share one buffer.
struct JSONCompactor {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let maximumDepth: Int
    private var position = 0
    private var output = 0
    private var depth = 0

    init(_ bytes: UnsafeMutableBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Compacts the whole buffer, which must hold one value; returns the compact length.
    mutating func compactDocument() throws(JSONParseError) -> Int {
        skipWhitespace()
        try value()
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the JSON value") }
        return output
    }

    private func error(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Copies the byte at `position` to `output` and moves both on.
    private mutating func copy() {
        if output != position { bytes[output] = bytes[position] }
        output += 1
        position += 1
    }

    /// Copies the bytes from `position` up to `end` and moves both on: one move for a run of plain characters.
    private mutating func copyRun(to end: Int) {
        let length = end - position
        guard length > 0 else { return }
        if output != position, let base = bytes.baseAddress {
            (base + output).update(from: base + position, count: length)
        }
        output += length
        position = end
    }

    private mutating func value() throws(JSONParseError) {
        guard position < bytes.count else { throw error("unexpected end of input, expected a JSON value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try container(closing: UInt8(ascii: "}"), members: true)
        case UInt8(ascii: "["): try container(closing: UInt8(ascii: "]"), members: false)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw error("expected a JSON value")
        }
    }

    private mutating func literal(_ text: StaticString) throws(JSONParseError) {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("invalid literal") }
        for index in 0..<count where bytes[position + index] != text.utf8Start[index] {
            throw error("invalid literal")
        }
        for _ in 0..<count { copy() }
    }

    /// An object (`members`) or an array, from its opening bracket to `closing`.
    private mutating func container(closing: UInt8, members: Bool) throws(JSONParseError) {
        depth += 1
        guard depth <= maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
        copy()
        skipWhitespace()
        if position < bytes.count, bytes[position] == closing {
            copy()
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            if members {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes")
                }
                try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after a member name")
                }
                copy()
                skipWhitespace()
            }
            try value()
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                copy()
            case closing:
                copy()
                depth -= 1
                return
            default:
                throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
        }
    }

    private mutating func number() throws(JSONParseError) {
        copyRun(to: try JSONGrammar.numberEnd(in: UnsafeBufferPointer(bytes), from: position).get())
    }

    private mutating func string() throws(JSONParseError) {
        copy()  // the opening quote
        while position < bytes.count {
            // Plain ASCII characters, most of any document, in one run.
            var end = position
            while end < bytes.count {
                let byte = bytes[end]
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                end += 1
            }
            copyRun(to: end)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                copy()
                return
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                throw error("unescaped control character in a string")
            case 0..<0x80:
                copy()
            default:
                try multibyteCharacter()
            }
        }
        throw error("unterminated string")
    }

    private mutating func escape() throws(JSONParseError) {
        guard position + 1 < bytes.count else { throw error("unterminated string") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            copy()
            copy()
        case UInt8(ascii: "u"):
            let scalar = try hex4(at: position + 2)
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 11 < bytes.count, bytes[position + 6] == UInt8(ascii: "\\"),
                    bytes[position + 7] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(try hex4(at: position + 8))
                else { throw error("lone surrogate in a \\u escape") }
                for _ in 0..<12 { copy() }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("lone surrogate in a \\u escape")
            } else {
                for _ in 0..<6 { copy() }
            }
        default:
            throw error("invalid escape in a string")
        }
    }

    private func hex4(at start: Int) throws(JSONParseError) -> UInt32 {
        guard let value = JSONGrammar.hex4(in: UnsafeBufferPointer(bytes), at: start) else {
            throw error("a \\u escape needs four hex digits")
        }
        return value
    }

    /// One UTF-8 sequence of two to four bytes, checked as the Unicode standard's table 3-7 says (no
    /// overlong forms, no surrogates, nothing past U+10FFFF).
    private mutating func multibyteCharacter() throws(JSONParseError) {
        let lead = bytes[position]
        let count: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            count = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8 in a string")
        }
        guard position + count <= bytes.count, secondRange.contains(bytes[position + 1]) else {
            throw error("invalid UTF-8 in a string")
        }
        for index in 2..<count where !(0x80...0xBF).contains(bytes[position + index]) {
            throw error("invalid UTF-8 in a string")
        }
        for _ in 0..<count { copy() }
    }
}

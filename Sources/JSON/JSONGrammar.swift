/// The pieces of RFC 8259's grammar that the parser, ``JSONText`` and ``JSONNumber`` all check, written once.
enum JSONGrammar {
    /// Where the number that starts at `start` ends, or where and why it stops being one.
    static func numberEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Int, JSONParseError> {
        // No nested functions capture `position`: a captured variable is checked for exclusive access at run
        // time on every use in unoptimized builds, which made this the slowest part of reading a large answer.
        var position = start
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else {
            return .failure(JSONParseError(reason: "a number needs digits", offset: position))
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if skipDigits(in: bytes, at: &position) == 0 {
            return .failure(JSONParseError(reason: "a number needs digits", offset: position))
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard skipDigits(in: bytes, at: &position) > 0 else {
                return .failure(
                    JSONParseError(reason: "a number needs digits after its decimal point", offset: position))
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard skipDigits(in: bytes, at: &position) > 0 else {
                return .failure(JSONParseError(reason: "a number needs digits in its exponent", offset: position))
            }
        }
        return .success(position)
    }

    /// Moves `position` past the decimal digits there; returns how many there were.
    private static func skipDigits(in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> Int {
        let first = position
        while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
        return position - first
    }

    /// The value of the four hexadecimal digits of a `\u` escape at `start`, or `nil` when they are not that.
    static func hex4(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<start + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

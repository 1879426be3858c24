import JSON

#if canImport(Glibc)
import Glibc
#endif

/// Sample values as the Prometheus HTTP API writes them: decimal strings, `NaN`, `+Inf`, `-Inf`.
enum SampleValue {
    /// The value of `text`, or `nil` when it is not a Prometheus sample value.
    static func parse(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            // Decimal only: Swift would also read hexadecimal and "nan", which Prometheus never sends.
            guard isDecimal(text.utf8) else { return nil }
            return Double(text)
        }
    }

    /// The value of the UTF-8 text `bytes`, read without making a string of the common decimal forms.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isDecimal(bytes), bytes.count < 64 else { return parse(String(decoding: bytes, as: UTF8.self)) }
        // strtod on a terminated copy on the stack: the text holds only digits, signs, points and exponents, so it
        // reads as Swift's Double(String) does (which is strtod too: 1e400 is +Inf, 1e-400 is 0), never a
        // hexadecimal or "nan" form. (strtod follows LC_NUMERIC, which stays "C": nothing here calls setlocale.)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + bytes.count else { return nil }
            return value
        }
    }

    /// Whether `bytes` hold only what a decimal number is written with (digits, point, signs, exponent), at least
    /// one byte.
    private static func isDecimal(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty
            && bytes.allSatisfy { byte in
                byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte | 0x20 == UInt8(ascii: "e")
            }
    }

    /// `value` as Prometheus writes it, for messages: `NaN`, `+Inf`, `-Inf`, or the shortest decimal.
    static func text(_ value: Double) -> String {
        if let number = JSONNumber(value) { return number.text }
        return value.isNaN ? "NaN" : value > 0 ? "+Inf" : "-Inf"
    }
}

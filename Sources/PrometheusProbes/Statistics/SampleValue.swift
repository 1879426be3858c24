import JSON

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
            guard !text.isEmpty, text.utf8.allSatisfy({ byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte | 0x20 == UInt8(ascii: "e")
            }) else { return nil }
            return Double(text)
        }
    }

    /// `value` as Prometheus writes it, for messages: `NaN`, `+Inf`, `-Inf`, or the shortest decimal.
    static func text(_ value: Double) -> String {
        if let number = JSONNumber(value) { return number.text }
        return value.isNaN ? "NaN" : value > 0 ? "+Inf" : "-Inf"
    }
}

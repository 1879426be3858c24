import JSON

/// The reference of an experiment, as chaostoolkit-lib's `experiment_hash` computes it: the BLAKE2b digest
/// (12 bytes, in hexadecimal) of the experiment's canonical JSON, which is Python's
/// `json.dumps(experiment, sort_keys=True, indent=None)`.
///
/// The same experiment document gives the same reference here as in the Python control, so metrics pushed by
/// either group together.
enum ExperimentReference {
    static func of(_ experiment: JSONValue) -> String {
        var text: [UInt8] = []
        writePythonJSON(experiment, to: &text)
        return BLAKE2b.hash(text, length: 12).hexadecimal
    }

    /// Python's `json.dumps` defaults: `", "` and `": "` separators, keys sorted by code point, non-ASCII and
    /// control characters escaped as `\uXXXX`, and numbers as Python writes an `int` or a `float`.
    static func writePythonJSON(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .number(let number): output += Array(PythonNumber.text(number.text).utf8)
        case .string(let string): writePythonString(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output += Array(", ".utf8) }
                writePythonJSON(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let members = object.sorted {
                $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) { $0.value < $1.value }
            }
            for (index, member) in members.enumerated() {
                if index > 0 { output += Array(", ".utf8) }
                writePythonString(member.key, to: &output)
                output += Array(": ".utf8)
                writePythonJSON(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writePythonString(_ string: String, to output: inout [UInt8]) {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{8}": text += "\\b"
            case "\u{C}": text += "\\f"
            case " "..."~": text.unicodeScalars.append(scalar)
            default:
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        text += "\""
        output += Array(text.utf8)
    }
}

/// Numbers as Python's `json.dumps` writes what `json.loads` read: integers exactly, floats by `repr`.
enum PythonNumber {
    static func text(_ json: String) -> String {
        if !json.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            // An integer of any size; Python drops a minus sign from zero.
            let digits = json.drop { $0 == "-" }.drop { $0 == "0" }
            return digits.isEmpty ? "0" : (json.hasPrefix("-") ? "-" : "") + digits
        }
        return floatRepr(Double(json) ?? .nan)
    }

    /// Python's `repr(float)`: the shortest digits that read back the same, in fixed notation when the decimal
    /// exponent is between -4 and 16, else in exponent notation with at least two exponent digits.
    static func floatRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also gives the shortest round-trip digits; only the layout differs.
        var description = "\(abs(value))"
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(description[description.index(after: e)...])!
            description = String(description[..<e])
        }
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var point = parts[0].count + exponent  // digits are 0.d1d2... × 10^point
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count {
                return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
            }
            return sign + digits.prefix(point) + "." + digits.dropFirst(point)
        }
        let mantissa = digits.count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        let power = point - 1
        let powerText = String(abs(power))
        return sign + mantissa + "e" + (power < 0 ? "-" : "+") + (powerText.count < 2 ? "0" : "") + powerText
    }
}

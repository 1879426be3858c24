import JSON

/// A length of time as the Prometheus HTTP API takes it for `step` and `timeout`: a number of seconds
/// (`15`, `0.5`) or a duration string (`15s`, `1m30s`, `2h`).
///
/// The text sent to Prometheus is the text given, once checked, so nothing is lost to rounding.
package struct PrometheusDuration: Sendable, Equatable, CustomStringConvertible {
    /// The length in seconds.
    package let seconds: Double
    /// The parameter text sent to Prometheus.
    package let text: String

    /// Reads a JSON number of seconds or a duration string; `nil` when it is neither, or not positive.
    package init?(_ value: JSONValue) {
        switch value {
        case .number(let number):
            let seconds = number.doubleValue
            guard seconds.isFinite, seconds > 0 else { return nil }
            self.seconds = seconds
            self.text = number.text
        case .string(let string):
            guard let seconds = Self.seconds(in: string), seconds > 0 else { return nil }
            self.seconds = seconds
            self.text = string
        default:
            return nil
        }
    }

    package var description: String { text }

    /// Seconds in Prometheus's duration syntax (`[0-9]+(ms|s|m|h|d|w|y)` terms, largest unit first, each once)
    /// or in a plain decimal number.
    static func seconds(in text: String) -> Double? {
        if let plain = Double(text), text.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }) {
            return plain
        }
        let units: [(String, Double)] = [
            ("y", 31_536_000), ("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001),
        ]
        var rest = Substring(text)
        var total = 0.0
        var nextUnit = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let amount = Double(digits) else { return nil }
            rest.removeFirst(digits.count)
            // "ms" before "m", so a millisecond term is not read as minutes followed by garbage.
            guard
                let match = units.indices.filter({ $0 >= nextUnit })
                    .sorted(by: { units[$0].0.count > units[$1].0.count })
                    .first(where: { rest.hasPrefix(units[$0].0) })
            else { return nil }
            rest.removeFirst(units[match].0.count)
            total += amount * units[match].1
            nextUnit = match + 1
        }
        return nextUnit > 0 ? total : nil
    }
}

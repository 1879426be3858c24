import Foundation

/// The absolute forms of a time expression: Unix epoch seconds, RFC 3339, and local dates and times.
enum AbsoluteTime {
    static func parse(_ text: String, calendar: Calendar) -> Date? {
        if let epoch = epochSeconds(text) { return Date(timeIntervalSince1970: epoch) }
        var scanner = DigitScanner(Substring(text))
        return scanner.dateTime(calendar: calendar)
    }

    /// `1764076549` or `1764076549.25`: digits only, at most one decimal point.
    private static func epochSeconds(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }),
            text.first != ".", text.last != ".", text.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Double(text)
    }
}

/// Reads `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH:MM|±HHMM]` field by field, checking every range.
private struct DigitScanner {
    private var rest: Substring

    init(_ text: Substring) {
        rest = text
    }

    mutating func dateTime(calendar: Calendar) -> Date? {
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        var offset: Int?  // seconds east of UTC, when given
        if !rest.isEmpty {
            guard take("t") || take(" ") else { return nil }
            while take(" ") {}
            guard let hour = digits(2), take(":"), let minute = digits(2), hour < 24, minute < 60 else { return nil }
            components.hour = hour
            components.minute = minute
            if take(":") {
                guard let second = digits(2), second < 60 else { return nil }
                components.second = second
                if take(".") {
                    let fractionDigits = rest.prefix { $0.isASCII && $0.isNumber }
                    guard !fractionDigits.isEmpty, let value = Double("0." + fractionDigits) else { return nil }
                    fraction = value
                    rest.removeFirst(fractionDigits.count)
                }
            }
            while take(" ") {}
            if take("z") {
                offset = 0
            } else if let sign = rest.first, sign == "+" || sign == "-" {
                rest.removeFirst()
                guard let hours = digits(2) else { return nil }
                _ = take(":")
                guard let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
                offset = (sign == "+" ? 1 : -1) * (hours * 3600 + minutes * 60)
            }
            guard rest.isEmpty else { return nil }
        }
        var zoned = calendar
        if let offset {
            guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
            zoned.timeZone = zone
        }
        guard let date = zoned.date(from: components) else { return nil }
        // Foundation rolls 31 February over into March; a date that does not exist is refused instead.
        let check = zoned.dateComponents([.year, .month, .day], from: date)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return date.addingTimeInterval(fraction)
    }

    private mutating func take(_ character: Character) -> Bool {
        guard rest.first == character else { return false }
        rest.removeFirst()
        return true
    }

    private mutating func digits(_ count: Int) -> Int? {
        let run = rest.prefix(count)
        guard run.count == count, run.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        rest.removeFirst(count)
        return Int(run)
    }
}

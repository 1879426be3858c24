import CivilCalendar
import Foundation

/// The absolute forms of a time expression: Unix epoch seconds, RFC 3339, and local dates and times.
enum AbsoluteTime {
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        if let epoch = epochSeconds(text) { return Date(timeIntervalSince1970: epoch) }
        var scanner = DigitScanner(Substring(text))
        return scanner.dateTime(timeZone: timeZone)
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

    mutating func dateTime(timeZone zone: TimeZone) -> Date? {
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(hour: 0, minute: 0, second: 0)
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
        // Proleptic Gregorian arithmetic, as RFC 3339 and RFC3339.format use: Foundation's Gregorian calendar
        // switches to the Julian one before October 1582, so dates there would not read back as written.
        guard day <= CivilCalendar.daysIn(month: month, year: year) else { return nil }
        let wallClock = Double(CivilCalendar.daysSince1970(year: year, month: month, day: day)) * 86_400
            + Double(components.hour! * 3600 + components.minute! * 60 + components.second!) + fraction
        if let offset {
            return Date(timeIntervalSince1970: wallClock - Double(offset))
        }
        // A local time: the zone's offset at that moment, looked up twice to settle across a change of offset.
        let guess = wallClock - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wallClock)))
        return Date(timeIntervalSince1970: wallClock - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
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

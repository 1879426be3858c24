import CivilCalendar

/// The absolute forms of a time expression: Unix epoch seconds, RFC 3339, and local dates and times.
enum AbsoluteTime {
    static func parse(_ text: String, timeZone: LocalZone) -> UnixTime? {
        if let epoch = epochSeconds(text) { return UnixTime(secondsSince1970: epoch) }
        var scanner = DigitScanner(Substring(text))
        return scanner.dateTime(timeZone: timeZone)
    }

    /// `1764076549` or `1764076549.25`: digits only, at most one decimal point. (A year, `2026`, and a time of
    /// day, `10.30`, are read as such before: ``TimeExpression`` tries ``SpokenTime`` first.)
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

    mutating func dateTime(timeZone zone: LocalZone) -> UnixTime? {
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var (hour, minute, second) = (0, 0, 0)
        var fraction = 0.0
        var offset: Int?  // seconds east of UTC, when given
        if !rest.isEmpty {
            guard take("t") || take(" ") else { return nil }
            while take(" ") {}
            guard let hours = digits(2), take(":"), let minutes = digits(2), hours < 24, minutes < 60 else {
                return nil
            }
            (hour, minute) = (hours, minutes)
            if take(":") {
                guard let seconds = digits(2), seconds < 60 else { return nil }
                second = seconds
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
        let days = Double(CivilCalendar.daysSince1970(year: year, month: month, day: day))
        let wallClock = days * 86_400 + Double(hour * 3600 + minute * 60 + second) + fraction
        if let offset {
            return UnixTime(secondsSince1970: wallClock - Double(offset))
        }
        return zone.time(atWallClock: wallClock)
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

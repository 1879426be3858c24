import CivilCalendar

/// A time written the way people write it in an experiment: `now`, `5 minutes ago`, `in 1h`, `now-5m`,
/// `yesterday`, RFC 3339, a date, or Unix epoch seconds.
///
/// The forms, case and surrounding spaces ignored:
/// - `now`, `today` (both the current instant), `yesterday`, `tomorrow` (a day back or ahead, time of day kept);
/// - `N <unit> ago`, `in N <unit>`, and a bare duration meaning that long ago (`5m`, `1d`, `5 minutes`), where
///   a duration is one or more terms (`1 hour and 5 minutes`, `1h5m`, `2 days, 3 hours`), each an amount
///   (digits with an optional fraction, `a`/`an`, or `one` to `ten`) and a unit (see ``TimeUnit``);
/// - `now-5m`, `now+1h` (also with spaces: `now - 5 minutes`);
/// - RFC 3339 with any offset and fractional seconds (`2026-11-25T13:15:49.5+01:00`);
/// - `YYYY-MM-DD` (midnight), `YYYY-MM-DD HH:MM[:SS[.fff]]` and `YYYY-MM-DDTHH:MM[:SS]`, in the local time zone;
/// - Unix epoch seconds, integer or fractional (`1764076549`, `1764076549.25`).
///
/// Seconds, minutes and hours are exact spans of time. Days, weeks, months and years are counted on the
/// calendar of the local time zone, keeping the time of day, as dateparser does: one month before
/// 31 March is 28 (or 29) February, and a day across a daylight-saving change keeps the wall-clock time.
public enum TimeExpression {
    /// Reads `text` relative to `now`, taking local dates and calendar arithmetic in `timeZone`.
    ///
    /// - Throws: ``TimeExpressionError`` (`failed to parse '<text>'`) for anything else, including amounts
    ///   that overflow and times outside the years 1 to 9999.
    public static func parse(_ text: String, now: UnixTime, timeZone: LocalZone) throws(TimeExpressionError) -> UnixTime {
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        let normalized = trimmed.lowercased()
        guard let time = AbsoluteTime.parse(normalized, timeZone: timeZone)
            ?? RelativeTime.parse(normalized, now: now, zone: timeZone),
            representable.contains(time.secondsSince1970)
        else {
            throw TimeExpressionError(text: text)
        }
        return time
    }

    /// 0001-01-01T00:00:00Z up to the end of 9999: what RFC 3339 and Prometheus can say.
    static let representable: ClosedRange<Double> = -62_135_596_800 ... 253_402_300_799.999
}

/// A time expression that could not be read.
public struct TimeExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text exactly as given.
    public let text: String

    /// `failed to parse '<text>'`, the words of the Python original.
    public var description: String { "failed to parse '\(text)'" }
}

/// The units of a relative time, and the words for each.
enum TimeUnit: CaseIterable {
    case millisecond, second, minute, hour, day, week, month, year

    init?(word: String) {
        switch word {
        case "ms", "msec", "msecs", "millisecond", "milliseconds": self = .millisecond
        case "s", "sec", "secs", "second", "seconds": self = .second
        case "m", "min", "mins", "minute", "minutes": self = .minute
        case "h", "hr", "hrs", "hour", "hours": self = .hour
        case "d", "day", "days": self = .day
        case "w", "wk", "wks", "week", "weeks": self = .week
        case "mo", "mos", "month", "months": self = .month
        case "y", "yr", "yrs", "year", "years": self = .year
        default: return nil
        }
    }

    /// The exact length of a fixed unit in seconds; `nil` for units counted on the calendar.
    var seconds: Double? {
        switch self {
        case .millisecond: 0.001
        case .second: 1
        case .minute: 60
        case .hour: 3600
        case .day, .week, .month, .year: nil
        }
    }
}

import CivilCalendar

/// A time written the way people write it in an experiment, read as the Python original's dateparser reads it:
/// `now`, `5 minutes ago`, `in 1h`, `now-5m`, `-5m`, `yesterday at noon`, `10:00`, `last monday`, `next week`,
/// `25 Nov 2026 10:00`, `10:00 UTC`, RFC 3339, a local date and time, or Unix epoch seconds.
///
/// protocol.md's "Times" lists every form, and the few deliberate differences from dateparser; the suite reads a
/// corpus with both (`DateparserAgreementTests`). The pieces: ``SpokenTime`` (a day, a time of day, or both),
/// which reads ``TimeSpan``s, ``TimeOfDay``s and ``CalendarWords``, then ``AbsoluteTime`` (epoch seconds, RFC 3339
/// and `YYYY-MM-DD` forms) for what it does not read.
///
/// Seconds, minutes and hours are exact spans of time. Days, weeks, months and years are counted on the calendar
/// of the local time zone, keeping the time of day, as dateparser does: one month before 31 March is 28 (or 29)
/// February, and a day across a daylight-saving change keeps the wall-clock time.
package enum TimeExpression {
    /// Reads `text` relative to `now`, taking local dates and calendar arithmetic in `timeZone`.
    ///
    /// - Throws: ``TimeExpressionError`` (`failed to parse '<text>'`) for anything else, including amounts
    ///   that overflow and times outside the years 1 to 9999.
    package static func parse(_ text: String, now: UnixTime, timeZone: LocalZone) throws(TimeExpressionError)
        -> UnixTime
    {
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        let normalized = trimmed.lowercased()
        guard
            // Spoken forms first: `2026` is a year and `10.30` a time of day before they are epoch seconds.
            let time = SpokenTime.parse(normalized, now: now, zone: timeZone)
                ?? AbsoluteTime.parse(normalized, timeZone: timeZone),
            representable.contains(time.secondsSince1970)
        else {
            throw TimeExpressionError(text: text)
        }
        return time
    }

    /// 0001-01-01T00:00:00Z up to the end of 9999: what RFC 3339 and Prometheus can say.
    static let representable: ClosedRange<Double> = -62_135_596_800...253_402_300_799.999
}

/// A time expression that could not be read.
package struct TimeExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text exactly as given.
    package let text: String

    /// `failed to parse '<text>'`, the words of the Python original.
    package var description: String { "failed to parse '\(text)'" }
}

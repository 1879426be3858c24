/// Dates of the proleptic Gregorian calendar as day counts from 1970-01-01, and back: the arithmetic RFC 3339,
/// HTTP dates and Prometheus's times share, without Foundation (whose Gregorian calendar turns Julian before
/// October 1582, so early dates would not read back as written). Howard Hinnant's algorithms.
package enum CivilCalendar {
    /// Whether `year` has a 29 February.
    package static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The days of `month` (1 to 12) in `year`.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (negative before it); `month` 1 to 12, `day` 1 to 31.
    package static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (before it when negative).
    package static func date(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `time` moved by whole years, months and days on the wall clock of `zone`, its time of day kept; a day past
    /// the end of the month it lands in comes back to that month's last day (31 March less a month is 28 or
    /// 29 February), and a wall-clock time a daylight-saving change skips or repeats is read as ``LocalZone``'s
    /// ``LocalZone/time(atWallClock:)`` reads it.
    package static func adding(years: Int, months: Int, days: Int, to time: UnixTime, in zone: LocalZone) -> UnixTime {
        let wall = zone.wallClock(at: time)
        let localDays = (wall / 86_400).rounded(.down)
        let secondOfDay = wall - localDays * 86_400
        let date = date(daysSince1970: Int(clamping: localDays))
        let monthIndex = date.year * 12 + (date.month - 1) + years * 12 + months
        let year = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let month = monthIndex - year * 12 + 1
        let day = min(date.day, daysIn(month: month, year: year))
        let shifted = daysSince1970(year: year, month: month, day: day) + days
        return zone.time(atWallClock: Double(shifted) * 86_400 + secondOfDay)
    }
}

extension Int {
    /// `value` rounded toward zero, or the nearest end of `Int`'s range when it lies outside it (or is NaN: 0).
    package init(clamping value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int(value)
        }
    }
}

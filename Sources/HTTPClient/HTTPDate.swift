import CivilCalendar

/// An HTTP date (RFC 9110, section 5.6.7), as `Retry-After` may give one, read without Foundation.
///
/// All three forms a recipient must accept: `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate, the one senders use),
/// `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850, a two-digit year taken as within 50 years of now, as RFC 9110 says)
/// and `Sun Nov  6 08:49:37 1994` (asctime). The weekday is not checked against the date, as RFC 9110 allows.
enum HTTPDate {
    /// The seconds since 1970-01-01T00:00:00Z that `text` names, or `nil` when it is not an HTTP date.
    /// `currentYear` settles a two-digit year.
    static func secondsSince1970(_ text: String, currentYear: Int) -> Int? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let year: Int
        let month: Int
        let day: Int
        let time: Substring
        switch words.count {
        case 6 where words[5] == "GMT" && words[0].hasSuffix(","):
            // Sun, 06 Nov 1994 08:49:37 GMT
            guard words[1].count == 2, let parsedDay = Int(words[1]), let parsedMonth = monthNumber(words[2]),
                words[3].count == 4, let parsedYear = Int(words[3])
            else { return nil }
            (year, month, day, time) = (parsedYear, parsedMonth, parsedDay, words[4])
        case 4 where words[3] == "GMT" && words[0].hasSuffix(","):
            // Sunday, 06-Nov-94 08:49:37 GMT
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 2, let parsedDay = Int(parts[0]),
                let parsedMonth = monthNumber(parts[1]),
                parts[2].count == 2, let twoDigits = Int(parts[2])
            else { return nil }
            var candidate = currentYear - currentYear % 100 + twoDigits
            if candidate > currentYear + 50 { candidate -= 100 }
            (year, month, day, time) = (candidate, parsedMonth, parsedDay, words[2])
        case 5:
            // Sun Nov  6 08:49:37 1994
            guard let parsedMonth = monthNumber(words[1]), (1...2).contains(words[2].count),
                let parsedDay = Int(words[2]),
                words[4].count == 4, let parsedYear = Int(words[4])
            else { return nil }
            (year, month, day, time) = (parsedYear, parsedMonth, parsedDay, words[3])
        default:
            return nil
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second),
            (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return CivilCalendar.daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60
            + second
    }

    /// The year, in UTC, of an instant given in seconds since 1970, for ``secondsSince1970(_:currentYear:)``.
    static func year(ofSecondsSince1970 seconds: Int) -> Int {
        CivilCalendar.date(daysSince1970: seconds / 86_400).year
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func monthNumber(_ name: Substring) -> Int? {
        months.firstIndex(of: String(name)).map { $0 + 1 }
    }

}

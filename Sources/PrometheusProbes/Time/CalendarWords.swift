/// The names of months and weekdays, full and abbreviated, as dateparser's English reads them.
enum CalendarWords {
    /// 1 to 12 for `january`/`jan` to `december`/`dec` (`sept` too).
    static func month(_ word: Substring) -> Int? {
        switch word {
        case "january", "jan": 1
        case "february", "feb": 2
        case "march", "mar": 3
        case "april", "apr": 4
        case "may": 5
        case "june", "jun": 6
        case "july", "jul": 7
        case "august", "aug": 8
        case "september", "sep", "sept": 9
        case "october", "oct": 10
        case "november", "nov": 11
        case "december", "dec": 12
        default: nil
        }
    }

    /// 0 (Monday) to 6 (Sunday) for `monday`/`mon` to `sunday`/`sun` (`tues` too).
    static func weekday(_ word: Substring) -> Int? {
        switch word {
        case "monday", "mon": 0
        case "tuesday", "tue", "tues": 1
        case "wednesday", "wed": 2
        case "thursday", "thu": 3
        case "friday", "fri": 4
        case "saturday", "sat": 5
        case "sunday", "sun": 6
        default: nil
        }
    }

    /// The weekday (0 Monday to 6 Sunday) of the day `daysSince1970` after 1970-01-01, a Thursday.
    static func weekday(daysSince1970 days: Int) -> Int {
        ((days + 3) % 7 + 7) % 7
    }
}

import CivilCalendar

/// A length of time as written in one expression (`1 hour and 5 minutes`, `1h5m`, `2 days, 3 hours`): exact
/// seconds, and days and months (years are twelve) counted on the calendar.
struct TimeSpan {
    var seconds: Double = 0
    var days: Double = 0
    var months = 0

    /// One `unit`: what `last week` and `next hour` step by.
    init(one unit: TimeUnit) {
        add(1, unit)
    }

    private init() {}

    /// The instant this span before (`sign` -1) or after (`sign` +1) `time`.
    func applied(to time: UnixTime, sign: Double, zone: LocalZone) -> UnixTime {
        let wholeDays = days.rounded(.towardZero)
        let calendarTime = CivilCalendar.adding(
            years: 0, months: months * Int(sign), days: Int(wholeDays) * Int(sign), to: time, in: zone)
        return calendarTime.adding(seconds: sign * (seconds + (days - wholeDays) * 86_400))
    }

    private mutating func add(_ amount: Double, _ unit: TimeUnit) {
        switch unit.length {
        case .seconds(let seconds): self.seconds += amount * seconds
        case .days(let days): self.days += amount * days
        case .months(let months): self.months += Int(amount) * months
        }
    }

    private static let maximumAmount: Double = 1e13

    /// Reads one or more `amount unit` terms, separated by nothing, commas (dropped by the tokenizer) or `and`;
    /// `nil` unless all of `tokens` is such terms.
    static func read(_ tokens: ArraySlice<TimeToken>) -> TimeSpan? {
        var tokens = tokens
        var span = TimeSpan()
        var terms = 0
        while !tokens.isEmpty {
            if terms > 0, tokens.first?.isWord("and") == true { tokens.removeFirst() }
            guard let amount = amount(&tokens), amount <= maximumAmount,
                case .word(let unitWord)? = tokens.popFirst(), let unit = TimeUnit(word: unitWord)
            else { return nil }
            // Calendar months and years take whole amounts (`1.0` is one, as dateparser reads it).
            if case .months = unit.length, amount.rounded(.towardZero) != amount { return nil }
            span.add(amount, unit)
            terms += 1
            // Checked at every term, so no number of terms can overflow a sum.
            guard span.months <= 120_000, span.days <= 4_000_000 else { return nil }
        }
        return terms > 0 ? span : nil
    }

    /// The amount at the front of `tokens` (digits, `a`/`an`, or a number in words up to ninety-nine), taken off.
    private static func amount(_ tokens: inout ArraySlice<TimeToken>) -> Double? {
        switch tokens.first {
        case .number(let text)?:
            tokens.removeFirst()
            return Double(text)
        case .word(let word)?:
            guard let value = numberWords[word] else { return nil }
            tokens.removeFirst()
            // `twenty one` or `twenty-one`: a ten, then a unit.
            guard value >= 20, value.truncatingRemainder(dividingBy: 10) == 0 else { return value }
            let hyphen = tokens.first == .sign(-1) ? 1 : 0
            let rest = tokens.dropFirst(hyphen)
            guard case .word(let next)? = rest.first, let ones = numberWords[next], (1...9).contains(ones),
                rest.count > 1
            else { return value }
            tokens = rest.dropFirst()
            return value + ones
        default:
            return nil
        }
    }

    private static let numberWords: [Substring: Double] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
}

/// The units of a time span, and the words for each.
enum TimeUnit {
    case millisecond, second, minute, hour, day, week, fortnight, month, year, decade

    init?(word: Substring) {
        switch word {
        case "ms", "msec", "msecs", "millisecond", "milliseconds": self = .millisecond
        case "s", "sec", "secs", "second", "seconds": self = .second
        case "m", "min", "mins", "minute", "minutes": self = .minute
        case "h", "hr", "hrs", "hour", "hours": self = .hour
        case "d", "day", "days": self = .day
        case "w", "wk", "wks", "week", "weeks": self = .week
        case "fortnight", "fortnights": self = .fortnight
        case "mo", "mos", "month", "months": self = .month
        case "y", "yr", "yrs", "year", "years": self = .year
        case "decade", "decades": self = .decade
        default: return nil
        }
    }

    /// How a unit is measured: seconds and up to hours are exact; days and weeks are calendar days (a day across
    /// a daylight-saving change keeps the wall-clock time); months and years are calendar months.
    enum Length {
        case seconds(Double)
        case days(Double)
        case months(Int)
    }

    var length: Length {
        switch self {
        case .millisecond: .seconds(0.001)
        case .second: .seconds(1)
        case .minute: .seconds(60)
        case .hour: .seconds(3600)
        case .day: .days(1)
        case .week: .days(7)
        case .fortnight: .days(14)
        case .month: .months(1)
        case .year: .months(12)
        case .decade: .months(120)
        }
    }
}

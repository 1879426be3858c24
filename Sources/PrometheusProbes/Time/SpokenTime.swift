import CivilCalendar

/// The spoken forms of a time expression: a day (`yesterday`, `2 days ago`, `last monday`, `25 Nov 2026`, ...)
/// and a time of day (`10:00`, `noon`, ...), either or both, in either order.
///
/// Without a time of day, a day written as an instant (`now`, `5 minutes ago`, `last week`) is that instant, and
/// a day written as a date (`monday`, `25 Nov`) is its midnight. With one, the time of day is set on that day's
/// local date: `2 days ago at 10:00`, `yesterday at noon`, `10:00` (today).
enum SpokenTime {
    static func parse(_ text: String, now: UnixTime, zone: LocalZone) -> UnixTime? {
        guard var tokens = TimeToken.split(text), !tokens.isEmpty else { return nil }
        // `10:00 UTC`, `25 Nov 2026 10:00 UTC`: the written date and time of day are UTC's; days are still
        // counted in the local zone. Not after an instant (`5 minutes ago UTC`), which has no wall clock written.
        var wallClockZone = zone
        let writtenInUTC = tokens.last?.word.map(utcNames.contains) == true
        if writtenInUTC {
            tokens.removeLast()
            wallClockZone = .utc
        }
        let today = LocalDay(containing: now, zone: zone)
        func reading(_ dayTokens: ArraySlice<TimeToken>, _ time: TimeOfDay?) -> UnixTime? {
            guard let day = Day.read(dayTokens, today: today, now: now, zone: zone, timeFollows: time != nil) else {
                return nil
            }
            if writtenInUTC, time == nil, case .instant = day { return nil }
            return day.time(at: time, calendarZone: zone, wallClockZone: wallClockZone)
        }
        // A time of day takes at most 7 tokens (`at 10 : 00 : 30.5 pm`): the day is the rest, before or after it.
        for timeLength in 0...min(tokens.count, 7) {
            let time = timeLength == 0 ? nil : TimeOfDay.read(tokens.suffix(timeLength))
            if timeLength > 0, time == nil { continue }
            if let reading = reading(tokens.dropLast(timeLength), time) { return reading }
        }
        for timeLength in stride(from: 1, to: min(tokens.count, 8), by: 1) {
            guard let time = TimeOfDay.read(tokens.prefix(timeLength)) else { continue }
            if let reading = reading(tokens.dropFirst(timeLength), time) { return reading }
        }
        return nil
    }

    private static let utcNames: Set<Substring> = ["utc", "gmt", "z"]
}

/// A day of the local calendar, as days since 1970-01-01.
struct LocalDay {
    var daysSince1970: Int

    init(daysSince1970: Int) {
        self.daysSince1970 = daysSince1970
    }

    init(containing time: UnixTime, zone: LocalZone) {
        daysSince1970 = Int(clamping: (zone.wallClock(at: time) / 86_400).rounded(.down))
    }

    var date: (year: Int, month: Int, day: Int) { CivilCalendar.date(daysSince1970: daysSince1970) }

    /// The instant this day's wall clock reads `secondOfDay`.
    func time(atSecondOfDay secondOfDay: Double, zone: LocalZone) -> UnixTime {
        zone.time(atWallClock: Double(daysSince1970) * 86_400 + secondOfDay)
    }
}

/// The day part of a spoken time: an instant (which keeps its time of day) or a local date (midnight).
private enum Day {
    case instant(UnixTime)
    case date(LocalDay)

    /// The instant of this day at `timeOfDay` (when given) on the wall clock of `wallClockZone`, the day of an
    /// instant being its date in `calendarZone`.
    func time(at timeOfDay: TimeOfDay?, calendarZone: LocalZone, wallClockZone: LocalZone) -> UnixTime {
        switch (self, timeOfDay) {
        case (.instant(let time), nil): time
        case (.instant(let time), let timeOfDay?):
            LocalDay(containing: time, zone: calendarZone).time(atSecondOfDay: timeOfDay.seconds, zone: wallClockZone)
        case (.date(let day), let timeOfDay): day.time(atSecondOfDay: timeOfDay?.seconds ?? 0, zone: wallClockZone)
        }
    }

    /// The day all of `tokens` names; nothing names today when a time of day follows (`10:00`, `at noon`).
    static func read(
        _ tokens: ArraySlice<TimeToken>, today: LocalDay, now: UnixTime, zone: LocalZone, timeFollows: Bool
    ) -> Day? {
        func shifted(_ span: TimeSpan?, _ sign: Double) -> Day? {
            span.map { .instant($0.applied(to: now, sign: sign, zone: zone)) }
        }
        let words = Array(tokens)
        switch words {
        case []: return timeFollows ? .date(today) : nil
        case [.word("now")], [.word("today")]: return .instant(now)
        case [.word("yesterday")]: return shifted(TimeSpan(one: .day), -1)
        case [.word("tomorrow")]: return shifted(TimeSpan(one: .day), 1)
        default: break
        }
        // `last week`, `next hour`; `this week` is now.
        if words.count == 2, let relation = words[0].word, let unit = words[1].word.flatMap(TimeUnit.init(word:)) {
            switch relation {
            case "this": return .instant(now)
            case "last": return shifted(TimeSpan(one: unit), -1)
            case "next": return shifted(TimeSpan(one: unit), 1)
            default: break
            }
        }
        if let weekday = weekday(words, today: today) { return .date(weekday) }
        if let date = calendarDate(words, today: today) { return .date(date) }
        switch words.first {
        case .word("now")? where words.count > 2:
            guard case .sign(let sign) = words[1] else { return nil }
            return shifted(TimeSpan.read(tokens.dropFirst(2)), sign)
        case .sign(let sign)?: return shifted(TimeSpan.read(tokens.dropFirst()), sign)
        case .word("in")?: return shifted(TimeSpan.read(tokens.dropFirst()), 1)
        default: break
        }
        if words.last == .word("ago") { return shifted(TimeSpan.read(tokens.dropLast()), -1) }
        if words.suffix(2) == [.word("from"), .word("now")] { return shifted(TimeSpan.read(tokens.dropLast(2)), 1) }
        return shifted(TimeSpan.read(tokens), -1)  // a bare duration: that long ago
    }

    /// `monday` (the latest Monday, today included), `this monday` (the next, today included), `last monday`
    /// (the latest before today) and `next monday` (the next after today), as dateparser counts them.
    private static func weekday(_ words: [TimeToken], today: LocalDay) -> LocalDay? {
        guard (1...2).contains(words.count), let target = words.last?.word.flatMap(CalendarWords.weekday) else {
            return nil
        }
        let relation = words.count == 2 ? words[0].word : nil
        if words.count == 2, relation == nil { return nil }
        let ahead = ((target - CalendarWords.weekday(daysSince1970: today.daysSince1970)) % 7 + 7) % 7  // 0...6
        let offset: Int
        switch relation {
        case nil: offset = ahead == 0 ? 0 : ahead - 7
        case "this": offset = ahead
        case "last": offset = ahead == 0 ? -7 : ahead - 7
        case "next": offset = ahead == 0 ? 7 : ahead
        default: return nil
        }
        return LocalDay(daysSince1970: today.daysSince1970 + offset)
    }

    /// A date with a month name, in any of dateparser's orders: `25 Nov 2026`, `November 25, 2026`, `25th of
    /// November`, `2026 Nov 25`, `25-Nov-2026`, `Wed 25 Nov`; `2026-11-25`; and, with today's day of the
    /// month (the last day of a shorter month) and year filling what is missing, `Nov 2026`, `December`, `2026`.
    private static func calendarDate(_ words: [TimeToken], today: LocalDay) -> LocalDay? {
        if let isoDate = isoDate(words) { return isoDate }
        var fields: [TimeToken] = []
        for (index, token) in words.enumerated() {
            switch token {
            case .word("of"): continue
            case .sign(-1) where index > 0: continue
            case .word("st"), .word("nd"), .word("rd"), .word("th"):
                guard let previous = fields.last, previous.integer(digits: 1...2) != nil else { return nil }
            case .word(let word) where index == 0 && words.count > 1 && CalendarWords.weekday(word) != nil:
                continue  // `Wed 25 Nov`: dateparser does not check the weekday, and nor does this
            default: fields.append(token)
            }
        }
        let (year, month, day): (Int?, Int, Int?)
        func monthNamed(_ token: TimeToken) -> Int? {
            if case .word(let word) = token { return CalendarWords.month(word) }
            return nil
        }
        switch fields.count {
        case 1:
            if let named = monthNamed(fields[0]) {
                (year, month, day) = (nil, named, nil)
            } else if let alone = fields[0].integer(digits: 4...4) {
                (year, month, day) = (alone, today.date.month, nil)
            } else {
                return nil
            }
        case 2, 3:
            let yearField = fields.count == 3 ? fields[2].integer(digits: 4...4) : nil
            if let named = monthNamed(fields[1]), let dayOfMonth = fields[0].integer(digits: 1...2) {
                (year, month, day) = (yearField, named, dayOfMonth)  // 25 Nov [2026]
            } else if let named = monthNamed(fields[0]), let dayOfMonth = fields[1].integer(digits: 1...2) {
                (year, month, day) = (yearField, named, dayOfMonth)  // Nov 25 [2026]
            } else if fields.count == 2, let named = monthNamed(fields[0]), let alone = fields[1].integer(digits: 4...4)
            {
                (year, month, day) = (alone, named, nil)  // Nov 2026
            } else if fields.count == 3, let first = fields[0].integer(digits: 4...4),
                let named = monthNamed(fields[1]),
                let dayOfMonth = fields[2].integer(digits: 1...2)
            {
                (year, month, day) = (first, named, dayOfMonth)  // 2026 Nov 25
            } else {
                return nil
            }
            if fields.count == 3, year == nil { return nil }
        default:
            return nil
        }
        let resolvedYear = year ?? today.date.year
        let length = CivilCalendar.daysIn(month: month, year: resolvedYear)
        let resolvedDay = day ?? min(today.date.day, length)
        guard (1...length).contains(resolvedDay) else { return nil }
        return LocalDay(daysSince1970: CivilCalendar.daysSince1970(year: resolvedYear, month: month, day: resolvedDay))
    }

    /// `2026-11-25` written before a time of day that RFC 3339 does not have (`2026-11-25 10am`).
    private static func isoDate(_ words: [TimeToken]) -> LocalDay? {
        guard words.count == 5, let year = words[0].integer(digits: 4...4), words[1] == .sign(-1),
            let month = words[2].integer(digits: 2...2), words[3] == .sign(-1),
            let day = words[4].integer(digits: 2...2),
            (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return LocalDay(daysSince1970: CivilCalendar.daysSince1970(year: year, month: month, day: day))
    }
}

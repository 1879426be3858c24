import CivilCalendar
import Foundation
import Testing

/// The calendar that replaced Foundation's, checked against Foundation itself (which the tests may use): the same
/// offsets from the same time zone database, and the same wall-clock arithmetic away from daylight-saving changes.
@Suite("Civil time without Foundation")
struct CivilCalendarTests {
    /// Every 6 hours and 17 minutes from 1900 to 2036: a step that lands on every hour of the day over the years.
    private static let sweep = stride(from: -2_208_988_800.0, to: 2_082_758_400, by: 22_620)

    @Test(arguments: [
        "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "UTC",
    ])
    func aNamedZoneHasFoundationsOffsetAtEveryInstant(_ identifier: String) throws {
        let zone = try #require(LocalZone(identifier: identifier))
        let foundation = try #require(TimeZone(identifier: identifier))
        var differences = 0
        for seconds in Self.sweep
        where zone.secondsFromGMT(at: UnixTime(secondsSince1970: seconds))
            != foundation.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        {
            differences += 1
        }
        #expect(differences == 0)
    }

    @Test func theProcessZoneHasFoundationsOffsetAtEveryInstant() {
        let differences = Self.sweep.filter { seconds in
            LocalZone.current.secondsFromGMT(at: UnixTime(secondsSince1970: seconds))
                != TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        }
        #expect(differences.isEmpty)
    }

    @Test(arguments: ["Etc/Nowhere", "../../etc/passwd", "/etc/localtime", ""])
    func refusesAZoneTheDatabaseDoesNotHave(_ identifier: String) {
        #expect(LocalZone(identifier: identifier) == nil)
    }

    /// Years, months and days on the wall clock, as Foundation's Gregorian calendar counts them, at noon (no
    /// daylight-saving change happens at noon) from 1990 to 2030.
    @Test(arguments: [(0, 1, 0), (0, -1, 0), (1, 0, 0), (-1, 0, 0), (0, 0, 1), (0, 0, -1), (0, 0, 45), (0, -13, -3)])
    func addsYearsMonthsAndDaysAsFoundationsCalendarDoes(_ years: Int, _ months: Int, _ days: Int) throws {
        let identifier = "Europe/Paris"
        let zone = try #require(LocalZone(identifier: identifier))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: identifier))
        var differences: [String] = []
        for day in stride(from: 7305, to: 21915, by: 3) {
            let noon = zone.time(atWallClock: Double(day) * 86_400 + 43_200)
            let ours = CivilCalendar.adding(years: years, months: months, days: days, to: noon, in: zone)
            let theirs = calendar.date(
                byAdding: DateComponents(year: years, month: months, day: days),
                to: Date(timeIntervalSince1970: noon.secondsSince1970))
            if theirs?.timeIntervalSince1970 != ours.secondsSince1970 { differences.append("day \(day)") }
        }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// Years and months are counted together and the day clamped once, as dateutil's `relativedelta` (under
    /// dateparser) does; Foundation's calendar clamped after the years, and said 25 January.
    @Test func yearsAndMonthsAreCountedTogetherBeforeTheDayIsClamped() {
        let leapDay = UnixTime(
            secondsSince1970: Double(CivilCalendar.daysSince1970(year: 1992, month: 2, day: 29)) * 86_400)
        let moved = CivilCalendar.adding(years: 2, months: -13, days: -3, to: leapDay, in: .utc)
        #expect(moved.secondsSince1970 == Double(CivilCalendar.daysSince1970(year: 1993, month: 1, day: 26)) * 86_400)
    }

    /// A wall-clock time on a day of a daylight-saving change: (zone, date, second of the day, the instant it is
    /// read as). Until a review found it, zones west of Greenwich read a skipped time an hour early and a repeated
    /// one as its first occurrence; Santiago's change at midnight put `2026-09-06` on the 5th.
    @Test(arguments: [
        // Skipped, read as the same time after the change (Python's fold=0 agrees).
        ("Europe/Paris", (2026, 3, 29), 9_000.0, "2026-03-29T01:30:00Z"),
        ("America/New_York", (2026, 3, 8), 9_000.0, "2026-03-08T07:30:00Z"),
        ("America/Santiago", (2026, 9, 6), 1_800.0, "2026-09-06T04:30:00Z"),
        ("America/Santiago", (2026, 9, 6), 0.0, "2026-09-06T04:00:00Z"),
        // Repeated, read as its second occurrence (fold=1).
        ("Europe/Paris", (2026, 10, 25), 9_000.0, "2026-10-25T01:30:00Z"),
        ("America/New_York", (2026, 11, 1), 5_400.0, "2026-11-01T06:30:00Z"),
        ("America/Santiago", (2026, 4, 4), 84_600.0, "2026-04-05T03:30:00Z"),
    ])
    func aWallClockTimeOnAChangeDayIsReadAsProtocolMdSays(
        _ zone: String, _ date: (Int, Int, Int), _ secondOfDay: Double, _ expected: String
    ) throws {
        let localZone = try #require(LocalZone(identifier: zone))
        let wall = Double(CivilCalendar.daysSince1970(year: date.0, month: date.1, day: date.2)) * 86_400 + secondOfDay
        let instant = localZone.time(atWallClock: wall).secondsSince1970
        let expectedDate = expected.prefix(10).split(separator: "-").compactMap { Int($0) }
        let expectedTime = expected.dropFirst(11).prefix(8).split(separator: ":").compactMap { Double($0) }
        let expectedInstant =
            Double(CivilCalendar.daysSince1970(year: expectedDate[0], month: expectedDate[1], day: expectedDate[2]))
            * 86_400 + expectedTime[0] * 3600 + expectedTime[1] * 60 + expectedTime[2]
        #expect(instant == expectedInstant, "\(zone) \(date) +\(secondOfDay) s")
    }

    @Test func readsDatesBackFromDayCountsAcrossTheWholeRange() {
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            let date = CivilCalendar.date(daysSince1970: days)
            #expect(CivilCalendar.daysSince1970(year: date.year, month: date.month, day: date.day) == days)
        }
    }
}

extension UnixTime {
    fileprivate var secondsFromMidnightUTC: Double {
        secondsSince1970 - (secondsSince1970 / 86_400).rounded(.down) * 86_400
    }
}

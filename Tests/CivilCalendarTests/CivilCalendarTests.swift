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

    @Test func aWallClockTimeThatASpringChangeSkipsComesOutAsLateAsTheSkip() throws {
        let paris = try #require(LocalZone(identifier: "Europe/Paris"))
        // 29 March 2026: 02:30 does not exist in Paris; it is read as 03:30 CEST, 01:30 UTC.
        let wall = Double(CivilCalendar.daysSince1970(year: 2026, month: 3, day: 29)) * 86_400 + 9_000
        #expect(paris.time(atWallClock: wall).secondsFromMidnightUTC == 5_400)
    }

    @Test func aWallClockTimeThatAnAutumnChangeRepeatsComesOutAsItsSecondOccurrence() throws {
        let paris = try #require(LocalZone(identifier: "Europe/Paris"))
        // 25 October 2026: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET); the second is taken.
        let wall = Double(CivilCalendar.daysSince1970(year: 2026, month: 10, day: 25)) * 86_400 + 9_000
        #expect(paris.time(atWallClock: wall).secondsFromMidnightUTC == 5_400)
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

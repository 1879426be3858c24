import CivilCalendar
import Foundation
import PrometheusProbes
import Testing

/// The fixed clock of these tests: Wednesday 25 November 2026, 13:15:49.250 UTC.
private let now = UnixTime(secondsSince1970: 1_795_612_549.25)
private let utc = LocalZone.utc

private func parse(_ text: String, now: UnixTime = now, zone: LocalZone = utc) throws -> String {
    RFC3339.format(try TimeExpression.parse(text, now: now, timeZone: zone))
}

@Suite("Time expressions")
struct TimeExpressionTests {
    @Test func theFixedClockIsWhatTheseTestsSayItIs() {
        #expect(RFC3339.format(now) == "2026-11-25T13:15:49.250Z")
    }

    @Test(arguments: ["now", "NOW", "  now  ", "Now", "today", "Today"])
    func nowAndTodayAreTheCurrentInstant(_ text: String) throws {
        #expect(try parse(text) == "2026-11-25T13:15:49.250Z")
    }

    @Test func yesterdayAndTomorrowKeepTheTimeOfDay() throws {
        #expect(try parse("yesterday") == "2026-11-24T13:15:49.250Z")
        #expect(try parse("Tomorrow") == "2026-11-26T13:15:49.250Z")
    }

    @Test(arguments: [
        ("2 seconds ago", "2026-11-25T13:15:47.250Z"), ("2 second ago", "2026-11-25T13:15:47.250Z"),
        ("2 secs ago", "2026-11-25T13:15:47.250Z"), ("2 sec ago", "2026-11-25T13:15:47.250Z"),
        ("2 s ago", "2026-11-25T13:15:47.250Z"), ("2s ago", "2026-11-25T13:15:47.250Z"),
        ("5 minutes ago", "2026-11-25T13:10:49.250Z"), ("5 minute ago", "2026-11-25T13:10:49.250Z"),
        ("5 mins ago", "2026-11-25T13:10:49.250Z"), ("5 min ago", "2026-11-25T13:10:49.250Z"),
        ("5 m ago", "2026-11-25T13:10:49.250Z"), ("5m ago", "2026-11-25T13:10:49.250Z"),
        ("3 hours ago", "2026-11-25T10:15:49.250Z"), ("3 hour ago", "2026-11-25T10:15:49.250Z"),
        ("3 hrs ago", "2026-11-25T10:15:49.250Z"), ("3 hr ago", "2026-11-25T10:15:49.250Z"),
        ("3h ago", "2026-11-25T10:15:49.250Z"),
        ("2 days ago", "2026-11-23T13:15:49.250Z"), ("2 day ago", "2026-11-23T13:15:49.250Z"),
        ("2d ago", "2026-11-23T13:15:49.250Z"),
        ("2 weeks ago", "2026-11-11T13:15:49.250Z"), ("1 week ago", "2026-11-18T13:15:49.250Z"),
        ("1w ago", "2026-11-18T13:15:49.250Z"),
        ("1 month ago", "2026-10-25T13:15:49.250Z"), ("3 months ago", "2026-08-25T13:15:49.250Z"),
        ("1 year ago", "2025-11-25T13:15:49.250Z"), ("2 years ago", "2024-11-25T13:15:49.250Z"),
        ("250 ms ago", "2026-11-25T13:15:49.000Z"), ("1.5 hours ago", "2026-11-25T11:45:49.250Z"),
        ("0.5 days ago", "2026-11-25T01:15:49.250Z"),
    ])
    func amountAndUnitAgo(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("an hour ago", "2026-11-25T12:15:49.250Z"), ("a minute ago", "2026-11-25T13:14:49.250Z"),
        ("a day ago", "2026-11-24T13:15:49.250Z"), ("one hour ago", "2026-11-25T12:15:49.250Z"),
        ("two days ago", "2026-11-23T13:15:49.250Z"), ("three weeks ago", "2026-11-04T13:15:49.250Z"),
        ("four seconds ago", "2026-11-25T13:15:45.250Z"), ("five minutes ago", "2026-11-25T13:10:49.250Z"),
        ("six hours ago", "2026-11-25T07:15:49.250Z"), ("seven days ago", "2026-11-18T13:15:49.250Z"),
        ("eight minutes ago", "2026-11-25T13:07:49.250Z"), ("nine months ago", "2026-02-25T13:15:49.250Z"),
        ("ten minutes ago", "2026-11-25T13:05:49.250Z"), ("A Year Ago", "2025-11-25T13:15:49.250Z"),
    ])
    func amountsInWords(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("in 5 minutes", "2026-11-25T13:20:49.250Z"), ("in 1h", "2026-11-25T14:15:49.250Z"),
        ("in a day", "2026-11-26T13:15:49.250Z"), ("in 2 weeks", "2026-12-09T13:15:49.250Z"),
        ("in one month", "2026-12-25T13:15:49.250Z"), ("IN 1 YEAR", "2027-11-25T13:15:49.250Z"),
    ])
    func inTheFuture(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("1 hour and 5 minutes ago", "2026-11-25T12:10:49.250Z"), ("1h5m ago", "2026-11-25T12:10:49.250Z"),
        ("1h 5m ago", "2026-11-25T12:10:49.250Z"), ("1 hour, 5 minutes ago", "2026-11-25T12:10:49.250Z"),
        ("2 days, 3 hours and 4 minutes ago", "2026-11-23T10:11:49.250Z"),
        ("1 month and 1 day ago", "2026-10-24T13:15:49.250Z"), ("in 1h30m", "2026-11-25T14:45:49.250Z"),
    ])
    func compounds(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("1d", "2026-11-24T13:15:49.250Z"), ("5m", "2026-11-25T13:10:49.250Z"),
        ("5 minutes", "2026-11-25T13:10:49.250Z"), ("1h30m", "2026-11-25T11:45:49.250Z"),
        ("an hour", "2026-11-25T12:15:49.250Z"),
    ])
    func aBareDurationMeansThatLongAgo(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("now-5m", "2026-11-25T13:10:49.250Z"), ("now+1h", "2026-11-25T14:15:49.250Z"),
        ("now - 5 minutes", "2026-11-25T13:10:49.250Z"), ("NOW-1d", "2026-11-24T13:15:49.250Z"),
        ("now-1h30m", "2026-11-25T11:45:49.250Z"),
    ])
    func nowPlusOrMinus(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("5 minutes from now", "2026-11-25T13:20:49.250Z"), ("-5m", "2026-11-25T13:10:49.250Z"),
        ("-1h30m", "2026-11-25T11:45:49.250Z"), ("+1d", "2026-11-26T13:15:49.250Z"),
        ("eleven minutes ago", "2026-11-25T13:04:49.250Z"), ("twenty one minutes ago", "2026-11-25T12:54:49.250Z"),
        ("ninety-nine minutes ago", "2026-11-25T11:36:49.250Z"),
        ("1 fortnight ago", "2026-11-11T13:15:49.250Z"), ("1 decade ago", "2016-11-25T13:15:49.250Z"),
        ("1.0 months ago", "2026-10-25T13:15:49.250Z"),
    ])
    func fromNowSignsAndMoreWords(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("last week", "2026-11-18T13:15:49.250Z"), ("next week", "2026-12-02T13:15:49.250Z"),
        ("last month", "2026-10-25T13:15:49.250Z"), ("next year", "2027-11-25T13:15:49.250Z"),
        ("next hour", "2026-11-25T14:15:49.250Z"), ("last day", "2026-11-24T13:15:49.250Z"),
        ("this week", "2026-11-25T13:15:49.250Z"),
    ])
    func lastAndNextStepOneUnitKeepingTheTimeOfDay(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    /// The fixed clock is a Wednesday.
    @Test(arguments: [
        ("wednesday", "2026-11-25"), ("monday", "2026-11-23"), ("thursday", "2026-11-19"),
        ("this wednesday", "2026-11-25"), ("this monday", "2026-11-30"), ("this thursday", "2026-11-26"),
        ("last wednesday", "2026-11-18"), ("last monday", "2026-11-23"), ("last thursday", "2026-11-19"),
        ("next wednesday", "2026-12-02"), ("next monday", "2026-11-30"), ("next thursday", "2026-11-26"),
        ("wed", "2026-11-25"), ("tues", "2026-11-24"),
    ])
    func weekdaysAreMidnightsCountedAsDateparserCountsThem(_ text: String, _ day: String) throws {
        #expect(try parse(text) == day + "T00:00:00.000Z")
    }

    @Test(arguments: [
        ("10:00", "2026-11-25T10:00:00.000Z"), ("10:00:30", "2026-11-25T10:00:30.000Z"),
        ("10:00:30.5", "2026-11-25T10:00:30.500Z"), ("10am", "2026-11-25T10:00:00.000Z"),
        ("3:30 pm", "2026-11-25T15:30:00.000Z"), ("10.30", "2026-11-25T10:30:00.000Z"),
        ("noon", "2026-11-25T12:00:00.000Z"), ("midnight", "2026-11-25T00:00:00.000Z"),
        ("12am", "2026-11-25T00:00:00.000Z"), ("12pm", "2026-11-25T12:00:00.000Z"),
        ("at 23:59:59", "2026-11-25T23:59:59.000Z"),
    ])
    func aTimeOfDayIsTodayAtThatTimeEvenLaterToday(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("2 days ago at 10:00", "2026-11-23T10:00:00.000Z"), ("yesterday at noon", "2026-11-24T12:00:00.000Z"),
        ("10:00 yesterday", "2026-11-24T10:00:00.000Z"), ("last monday at 9am", "2026-11-23T09:00:00.000Z"),
        ("in 2 hours at 10:00", "2026-11-25T10:00:00.000Z"), ("2026-11-20 3pm", "2026-11-20T15:00:00.000Z"),
    ])
    func aDayAtATimeOfDayIsThatDaysDateAtThatTime(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("25 Nov 2026", "2026-11-25T00:00:00.000Z"), ("November 20, 2026", "2026-11-20T00:00:00.000Z"),
        ("Nov 20 2026 10:00", "2026-11-20T10:00:00.000Z"), ("20th of November", "2026-11-20T00:00:00.000Z"),
        ("20-Nov-2026", "2026-11-20T00:00:00.000Z"), ("2026 Nov 20", "2026-11-20T00:00:00.000Z"),
        ("Fri 20 Nov", "2026-11-20T00:00:00.000Z"), ("1 jan", "2026-01-01T00:00:00.000Z"),
        ("Feb 2027", "2027-02-25T00:00:00.000Z"), ("december", "2026-12-25T00:00:00.000Z"),
        ("2027", "2027-11-25T00:00:00.000Z"),
    ])
    func datesWithMonthNamesFillWhatIsMissingFromToday(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test func aMissingDayOfTheMonthIsTodaysOrTheMonthsLast() throws {
        let thirtyFirst = try TimeExpression.parse("2027-03-31T12:00:00Z", now: now, timeZone: utc)
        #expect(try parse("Feb 2027", now: thirtyFirst) == "2027-02-28T00:00:00.000Z")
    }

    @Test func aWrittenDateOrTimeOfDayInUTCIsReadInUTC() throws {
        let paris = LocalZone(identifier: "Europe/Paris")!
        #expect(try parse("10:00", zone: paris) == "2026-11-25T09:00:00.000Z")
        #expect(try parse("10:00 UTC", zone: paris) == "2026-11-25T10:00:00.000Z")
        #expect(try parse("25 Nov 2026 10:00 GMT", zone: paris) == "2026-11-25T10:00:00.000Z")
    }

    @Test(arguments: [
        ("2026-11-25T10:00:00Z", "2026-11-25T10:00:00.000Z"),
        ("2026-11-25T10:00:00.5+01:00", "2026-11-25T09:00:00.500Z"),
        ("2026-11-25t10:00:00z", "2026-11-25T10:00:00.000Z"),
        ("2026-11-25T10:00:00-05:30", "2026-11-25T15:30:00.000Z"),
        ("2026-11-25 10:00:00Z", "2026-11-25T10:00:00.000Z"),
        ("2026-11-25T10:00:00.123456789Z", "2026-11-25T10:00:00.123Z"),
        ("2026-11-25T10:00:00+0200", "2026-11-25T08:00:00.000Z"),
    ])
    func rfc3339WithAnyOffsetAndFraction(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    @Test func datesAndNaiveTimesAreLocal() throws {
        let paris = LocalZone(identifier: "Europe/Paris")!
        #expect(try parse("2026-11-20", zone: utc) == "2026-11-20T00:00:00.000Z")
        #expect(try parse("2026-11-20", zone: paris) == "2026-11-19T23:00:00.000Z")
        #expect(try parse("2026-11-20 08:30", zone: paris) == "2026-11-20T07:30:00.000Z")
        #expect(try parse("2026-07-20 08:30:15", zone: paris) == "2026-07-20T06:30:15.000Z")
        #expect(try parse("2026-11-20T08:30:15", zone: paris) == "2026-11-20T07:30:15.000Z")
        #expect(try parse("2026-11-20T08:30:15Z", zone: paris) == "2026-11-20T08:30:15.000Z")
    }

    @Test(arguments: [
        ("1764076549", "2025-11-25T13:15:49.000Z"), ("1764076549.25", "2025-11-25T13:15:49.250Z"),
        ("86400", "1970-01-02T00:00:00.000Z"), ("0", "1970-01-01T00:00:00.000Z"), ("10", "1970-01-01T00:00:10.000Z"),
        ("44.114", "1970-01-01T00:00:44.114Z"), ("24.30", "1970-01-01T00:00:24.300Z"),
    ])
    func unixEpochSeconds(_ text: String, _ expected: String) throws {
        #expect(try parse(text) == expected)
    }

    /// Found by the fuzzer: Foundation's Gregorian calendar is Julian before October 1582, so a date written
    /// in RFC 3339 (proleptic Gregorian) read back days away from where it was written.
    @Test(arguments: [
        "1111Y", "0915-11-30T13:11:51.250Z", "1582-10-10T00:00:00Z", "0001-01-01T00:00:00Z", "1000 years ago",
    ])
    func everyTimeReadsBackFromTheRFC3339TextItIsWrittenAs(_ text: String) throws {
        let newYork = LocalZone(identifier: "America/New_York")!
        let written = RFC3339.format(try TimeExpression.parse(text, now: now, timeZone: newYork))
        #expect(RFC3339.format(try TimeExpression.parse(written, now: now, timeZone: newYork)) == written)
    }

    @Test func datesBeforeTheGregorianReformAreProleptic() throws {
        #expect(try parse("1582-10-10") == "1582-10-10T00:00:00.000Z")
        #expect(try parse("0915-11-30 13:11") == "0915-11-30T13:11:00.000Z")
    }

    @Test func monthsAreCountedOnTheCalendar() throws {
        let endOfMarch = try TimeExpression.parse("2026-03-31T12:00:00Z", now: now, timeZone: utc)
        #expect(try parse("1 month ago", now: endOfMarch) == "2026-02-28T12:00:00.000Z")
        let leapDay = try TimeExpression.parse("2028-02-29T12:00:00Z", now: now, timeZone: utc)
        #expect(try parse("1 year ago", now: leapDay) == "2027-02-28T12:00:00.000Z")
    }

    @Test func daysKeepTheWallClockAcrossADaylightSavingChange() throws {
        let newYork = LocalZone(identifier: "America/New_York")!
        // Noon on 8 March 2026, the first day of daylight-saving time in New York (16:00 UTC).
        let noon = try TimeExpression.parse("2026-03-08T12:00:00-04:00", now: now, timeZone: newYork)
        #expect(try parse("1 day ago", now: noon, zone: newYork) == "2026-03-07T17:00:00.000Z")
        #expect(try parse("24 hours ago", now: noon, zone: newYork) == "2026-03-07T16:00:00.000Z")
    }

    @Test(arguments: [
        "2 mns ago", "right now", "", "   ", "ago", "in", "now-", "now-5", "now 5m",
        "2026-13-01", "2026-02-30", "2026-11-25T25:00:00Z", "2026-11-25T10:60:00Z", "2026-11-25T10:00:61Z",
        "2026-11-25T10:00:00+25:00", "2026-11-25T10", "26-11-25", "1e5", "99999999999999999999 years ago",
        "10001 years ago", "in 20000 years", "1.5 months ago", "in 2.5 years", "5 minutes ago ago", "a ago",
        "now+", "999999999999", "1..5 hours ago", "5.", "5 minutes ago UTC", "yesterday UTC", "next tuesday 25:00",
        "Feb 29", "31 Nov", "2026-11-25 10am +01:00", "13pm", "0am", "10:5", "10:00:5", "thur", "utc",
        "1 hour and", "and 1 hour ago", "5 minutes agoo", "in 5 minutes ago", "now now", "at", "noon noon",
        "１ hour ago", "1 hour ago!", String(repeating: "9", count: 400) + " seconds ago",
        String(repeating: "1000000 years ", count: 10_000) + "ago",
    ])
    func anythingElseIsRefusedWithTheTextAsGiven(_ text: String) {
        let error = #expect(throws: TimeExpressionError.self) {
            try TimeExpression.parse(text, now: now, timeZone: utc)
        }
        #expect(error?.description == "failed to parse '\(text)'")
    }
}

@Suite("RFC 3339 for Prometheus")
struct RFC3339Tests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (-0.5, "1969-12-31T23:59:59.500Z"),
        (1_795_612_549.2506, "2026-11-25T13:15:49.251Z"), (951_782_400, "2000-02-29T00:00:00.000Z"),
        (-62_135_596_800, "0001-01-01T00:00:00.000Z"), (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func writesUTCWithMilliseconds(_ seconds: Double, _ expected: String) {
        #expect(RFC3339.format(UnixTime(secondsSince1970: seconds)) == expected)
    }
}

import CivilCalendar
import Foundation
import PrometheusProbes
import TestSupport
import Testing

/// The Python original reads `when`, `start`, `end` and `window` with dateparser: an experiment must mean the same
/// instant under the plugin. Every expression below, and every example of protocol.md's time table, is read by
/// both, with the same "now" and the same `TZ`, in several zones; they must both refuse it, or agree within a
/// second. The only exceptions are protocol.md's table of deliberate differences, and each of those must still
/// differ, so that the table stays true.
@Suite("Times as dateparser reads them")
struct DateparserAgreementTests {
    /// What people write, grouped by form.
    static let corpus: [String] = [
        // now
        "now", "NOW", "  Now  ", "today", "Today", "yesterday", "tomorrow", "this week", "this month", "this year",
        // ago
        "2 seconds ago", "2 second ago", "2 secs ago", "2 sec ago", "2s ago", "5 minutes ago", "5 minute ago",
        "5 mins ago", "5 min ago", "5 m ago", "5m ago", "3 hours ago", "3 hour ago", "3 hr ago", "3h ago",
        "2 days ago", "2 day ago", "2d ago", "2 weeks ago", "1 week ago", "1w ago", "1 month ago", "3 months ago",
        "1 mo ago", "1 year ago", "2 years ago", "1.5 hours ago", "0.5 days ago", "1.5 days ago", "1.0 months ago",
        "1 fortnight ago", "2 fortnights ago", "1 decade ago", "1111Y",
        // amounts in words
        "an hour ago", "a minute ago", "a day ago", "one hour ago", "two days ago", "three weeks ago",
        "four seconds ago", "five minutes ago", "six hours ago", "seven days ago", "eight minutes ago",
        "nine months ago", "ten minutes ago", "A Year Ago", "eleven minutes ago", "twelve hours ago",
        "fifteen minutes ago", "twenty days ago", "thirty minutes ago", "forty minutes ago", "sixty minutes ago",
        "twenty one minutes ago", "twenty-one minutes ago", "ninety nine minutes ago", "ninety-nine minutes ago",
        // in, from now
        "in 5 minutes", "in 1h", "in a day", "in 2 weeks", "in one month", "IN 1 YEAR", "in 1h30m", "in 1 fortnight",
        "5 minutes from now", "an hour from now", "2 days from now",
        // compounds
        "1 hour and 5 minutes ago", "1h5m ago", "1h 5m ago", "1 hour, 5 minutes ago", "2 days, 3 hours ago",
        "2 days, 3 hours and 4 minutes ago", "1 month and 1 day ago", "1 month and 2 days ago",
        "1 year, 2 months ago", "1y2mo ago",
        // a bare duration: that long ago
        "1d", "5m", "5 minutes", "1h30m", "an hour", "a minute", "1 minute", "1 day", "2mo", "1y", "1w", "1.5h",
        "90s", "2 sec", "5 hrs",
        // now plus or minus a duration
        "now-5m", "now+1h", "now - 5 minutes", "NOW-1d", "now-1h30m", "now + 1 hour",
        // a signed duration
        "-5m", "-1h30m", "- 5m", "-1d", "-1w", "-5 minutes", "-90s", "-1.5h", "-1h 30m", "-an hour", "+5m", "+1d",
        "+ 1d",
        // last, next, this and a unit
        "last week", "next week", "last month", "next month", "last year", "next year", "last fortnight",
        "next decade",
        // weekdays
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "last monday", "last tuesday", "last wednesday", "last thursday", "last friday", "last saturday", "last sunday",
        "next monday", "next tuesday", "next wednesday", "next thursday", "next friday", "next saturday", "next sunday",
        "this monday", "this tuesday", "this wednesday", "this thursday", "this friday", "this saturday",
        "this sunday", "mon", "tue", "tues", "wed", "thu", "fri", "sat", "sun", "Wed", "last mon", "next fri",
        // times of day
        "10:00", "10:00:30", "10:00:30.5", "10am", "10 am", "10:00 am", "10pm", "10:00 pm", "3pm", "3 pm", "3:30pm",
        "3:30 PM", "15:30", "15:30:00", "12am", "12pm", "12:30am", "12:00 am", "12:00 pm", "00:00", "0:00", "0:30",
        "7:05", "07:05 am", "9:05:07", "23:59:59", "noon", "midnight", "12 noon", "at noon", "at midnight",
        "at 10:00", "10.30", "10.30 pm", "10.00",
        // a day and a time of day
        "today at 10:00", "today 10:00", "today at 10am", "today at midnight", "noon today", "today noon",
        "tomorrow at 10am", "tomorrow 3pm", "tomorrow at noon", "tomorrow midnight", "midnight tomorrow",
        "10:00 tomorrow", "yesterday 10:00", "10:00 yesterday", "yesterday at noon", "yesterday noon",
        "noon yesterday", "yesterday at midnight", "2 days ago at 10:00", "2 days ago 10:00", "10:00 2 days ago",
        "2 days ago at 10:00:30", "a week ago at noon", "1 week ago at noon", "2 hours ago at 10:00",
        "5 minutes ago at noon", "in a day at noon", "in 2 days at noon", "in 2 weeks at noon", "in 1 hour at noon",
        "10:00 in 2 days", "last week at noon", "next week at noon", "last month at 10:00", "last year at noon",
        "monday at 10:00", "last monday at noon", "last sunday at 10:00", "next friday 10am", "friday 10:00",
        "monday 12am", "wed at 10am", "now at 10:00",
        // dates with month names
        "25 Nov 2026", "25 November 2026", "November 25, 2026", "Nov 25 2026", "Nov 25, 2026", "25 Nov, 2026",
        "25 Nov", "25 November", "Nov 25", "November 25th", "25th November", "1st dec", "2nd dec 2026",
        "3rd of december", "sept 25", "sep 25", "june 1", "july 4th", "Jan 1", "1 jan", "1 Jan 2027", "25 Dec",
        "31 dec 2026", "25-Nov-2026", "Nov-25-2026", "2026 Nov 25", "Wed 25 Nov", "Mon 25 Nov 2026",
        "Wednesday 25 November 2026", "Wednesday, November 25, 2026", "28 Feb 2027", "Feb 29 2028",
        "15 january", "15 february", "15 march", "15 april", "15 may", "15 june", "15 july", "15 august",
        "15 september", "15 october", "15 november", "15 december", "15 jan", "15 feb", "15 mar", "15 apr",
        "15 jun", "15 jul", "15 aug", "15 sep", "15 oct", "15 nov", "15 dec",
        // dates with month names and a time of day
        "Nov 25 2026 10:00", "25 Nov 2026 10:00", "25 Nov 2026 10:00:30", "25 Nov 2026 at 10:00",
        "Nov 25 2026 10:00 am", "November 25 2026 3pm", "25 november 2026 3:30 pm", "Wed, 25 Nov 2026 10:00:00",
        "25 Nov 2026 10:00 pm", "25 Nov 2026 10pm", "10:00 25 Nov 2026", "noon 25 Nov 2026", "25 nov 2026 noon",
        "25 Nov 10:00",
        // a month, a year: today's day of the month fills what is missing
        "Nov 2026", "Feb 2026", "December 2026", "dec", "December", "sept", "2026", "nov 2026 10:00", "2026 at 10:00",
        // a written date or time of day in UTC
        "10:00 UTC", "10:00 utc", "noon UTC", "25 Nov 2026 10:00 UTC", "2026-11-25 10:00 UTC", "yesterday at noon UTC",
        "10am GMT", "10:00 Z",
        // RFC 3339, local dates and times
        "2026-11-25", "2026-11-25 13:15", "2026-11-25 13:15:49", "2026-11-25T13:15:49", "2026-11-25T13:15",
        "2026-11-25T10:00:00Z", "2026-11-25T10:00:00+01:00", "2026-11-25T10:00:00.5+01:00", "2026-11-25 10am",
        "2026-11-25 at 10:00", "2026-11-25 noon", "2026-11-25 3pm", "2026-11-25 12:00 pm", "2026-11-25 10:00 am",
        // Unix epoch seconds
        "1764076549", "1764076549.25", "1000000000", "2000000000",
        // refused by both
        "2 mns ago", "right now", "", "   ", "in", "5 minutes agoo", "13pm", "25:00", "10:60", "0am", "Nov 31",
        "31 Nov 2026", "29 Feb 2027", "Feb 30 2026", "2026-13-01", "2026-02-30", "2026-11-25 25:00", "midday",
        "half past ten", "10 o'clock", "last 2 days", "1 quarter ago", "999999999999", "1.5 months ago",
        "thur", "weds",
    ]

    /// Times each read on: a Sunday afternoon, the last day of March (a month after February's end, near the
    /// daylight-saving changes of Europe and New York), and early on New Year's Day.
    static let nows = [1_795_958_149, 1_806_485_415, 1_798_772_820]

    /// Zones that put those instants on different local days and across daylight-saving changes.
    static let zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let protocolDocument =
        (try? String(contentsOf: repository.appendingPathComponent("protocol.md"), encoding: .utf8)) ?? ""

    /// The rows of the protocol.md table under `heading`: each row's cells.
    static func tableRows(under heading: String) -> [[String]] {
        guard let start = protocolDocument.range(of: heading) else { return [] }
        return protocolDocument[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2)
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init) }
    }

    /// The backquoted texts of `cell`.
    static func quoted(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
            .map { String($0.element) }
    }

    /// protocol.md's examples of each form.
    static let documentedExamples = tableRows(under: "### Times\n").flatMap { quoted($0[1]) }

    /// protocol.md's deliberate differences: the expressions of its first column.
    static let deliberateDifferences = Set(tableRows(under: "#### Beside dateparser").flatMap { quoted($0[0]) })

    static var texts: [String] {
        var seen = Set<String>()
        return (corpus + documentedExamples + deliberateDifferences.sorted()).filter { seen.insert($0).inserted }
    }

    /// dateparser's reading of each of `texts` at each of `nows` in `zone`, as the original calls it
    /// (`RETURN_AS_TIMEZONE_AWARE`), with `RELATIVE_BASE` as "now": epoch seconds, or `nil` for a refusal.
    static func dateparser(_ texts: [String], zone: String) async throws -> [[Double?]] {
        // Not standardized: that resolves the environment's symbolic link, and Python run by its real path does not
        // find its environment.
        let python = repository.appendingPathComponent(".build/chaosprometheus-original-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing: scripts/install-dependencies makes it, with dateparser")
        }
        let script = """
            import datetime, json, sys, zoneinfo
            import dateparser
            request = json.load(sys.stdin)
            zone = zoneinfo.ZoneInfo(request["zone"])
            answers = []
            for now in request["nows"]:
                base = datetime.datetime.fromtimestamp(now, zone).replace(tzinfo=None)
                settings = {"RETURN_AS_TIMEZONE_AWARE": True, "RELATIVE_BASE": base}
                answers.append([(lambda d: None if d is None else d.timestamp())(dateparser.parse(t, settings=settings))
                                for t in request["texts"]])
            json.dump(answers, sys.stdout)
            """
        let request = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dateparser-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: ["zone": zone, "nows": nows, "texts": texts]).write(to: request)
        defer { try? FileManager.default.removeItem(at: request) }
        let run = try await Subprocess.run(
            python, arguments: ["-c", script], environment: ["TZ": zone], input: .file(request.path),
            timeout: .seconds(120))
        guard run.status == 0, let rows = try? JSONSerialization.jsonObject(with: Data(run.output)) as? [[Any]] else {
            throw TestSupportError("dateparser in \(zone) exited \(run.status): \(run.errorText)")
        }
        return rows.map { $0.map { $0 as? Double } }
    }

    /// The plugin's reading of `text`, or `nil` for a refusal.
    static func plugin(_ text: String, now: Int, zone: String) -> Double? {
        guard let localZone = LocalZone(identifier: zone) else { return nil }
        return try? TimeExpression.parse(text, now: UnixTime(secondsSince1970: Double(now)), timeZone: localZone)
            .secondsSince1970
    }

    @Test func theCorpusIsLargeAndTheDocumentIsRead() {
        #expect(Self.texts.count >= 200)
        #expect(Self.documentedExamples.count >= 40)
        #expect(Self.deliberateDifferences.count >= 5)
    }

    @Test func thePluginReadsEveryTimeAsDateparserDoes() async throws {
        let texts = Self.texts
        let answers = try await withThrowingTaskGroup(of: (String, [[Double?]]).self) { group in
            for zone in Self.zones {
                group.addTask { (zone, try await Self.dateparser(texts, zone: zone)) }
            }
            return try await group.reduce(into: [String: [[Double?]]]()) { $0[$1.0] = $1.1 }
        }
        var disagreements: [String] = []
        var differing = Set<String>()
        for zone in Self.zones {
            for (nowIndex, now) in Self.nows.enumerated() {
                for (textIndex, text) in texts.enumerated() {
                    let theirs = answers[zone]?[nowIndex][textIndex] ?? nil
                    let ours = Self.plugin(text, now: now, zone: zone)
                    let agree =
                        switch (theirs, ours) {
                        case (nil, nil): true
                        case (let theirs?, let ours?): abs(theirs - ours) <= 1
                        default: false
                        }
                    if agree { continue }
                    differing.insert(text)
                    if !Self.deliberateDifferences.contains(text) {
                        disagreements.append(
                            "'\(text)' at \(now) in \(zone): dateparser \(Self.written(theirs)), plugin \(Self.written(ours))"
                        )
                    }
                }
            }
        }
        #expect(
            disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
        let stale = Self.deliberateDifferences.subtracting(differing).sorted()
        #expect(stale.isEmpty, "protocol.md lists these as differences, but both read them alike: \(stale)")
    }

    static func written(_ time: Double?) -> String {
        time.map { RFC3339.format(UnixTime(secondsSince1970: $0)) } ?? "refused"
    }
}

import Foundation
import JSON
import TestSupport

/// Figure (6) and the peak of figure (7): a range query with a result of several megabytes, fetched raw with
/// libcurl over a kept-alive connection and asked of the plugin (`query_interval`, the same parameters), in
/// alternating runs; then the plugin's peak resident memory (`VmHWM`).
///
/// The range starts at Prometheus's first scrape and lasts ``BenchmarkSettings/rangeSeconds`` (at most 300 s):
/// Prometheus's 5-minute lookback fills every step from the last sample, so the result has the same number of
/// points per series however long the server has been up.
enum LargeResultMeasurement {
    /// The times of both paths, what the result held, and the plugin's memory after it.
    struct Outcome: Sendable {
        var plugin = Samples()
        var raw = Samples()
        /// Prometheus's body, as fetched raw.
        var bodyBytes = 0
        /// The plugin's answer line, as read.
        var answerBytes = 0
        var series = 0
        var steps = 0
        /// The plugin's `VmHWM` after the runs.
        var peakResident = 0
        /// The plugin's `VmRSS` after the runs.
        var residentAfter = 0
    }

    static func run(baseURL: String, rangeStart: Int, settings: BenchmarkSettings) throws -> Outcome {
        let end = rangeStart + settings.rangeSeconds
        let step =
            settings.rangeStep == settings.rangeStep.rounded()
            ? String(Int(settings.rangeStep)) : String(settings.rangeStep)
        let encodedQuery = settings.rangeQuery.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let url = "\(baseURL)/api/v1/query_range?query=\(encodedQuery)&start=\(rangeStart)&end=\(end)&step=\(step)"
        let fetcher = try KeptAliveFetcher()
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
        defer { plugin.finish() }
        var nextID = 1
        func pluginLine() -> [UInt8] {
            defer { nextID += 1 }
            return RequestLines.queryInterval(
                id: nextID, query: settings.rangeQuery, start: rangeStart, end: end, step: settings.rangeStep)
        }

        var outcome = Outcome()
        // Warm-up: raw, through the plugin, raw again. The first range query makes Prometheus start series of its
        // own (the `query_range` handler's histogram), so the body settles only from the second fetch on.
        try fetcher.get(url)
        let warmup = try plugin.call(pluginLine(), timeout: 60)
        try AnswerCheck.verify([warmup], ids: (nextID - 1)..<nextID)
        try fetcher.get(url)
        try describeBody(fetcher.body, in: &outcome)
        guard outcome.series > 0 else {
            throw BenchmarkError("the range query \(settings.rangeQuery) has an empty result")
        }

        for run in 0..<settings.largeRuns {
            func measureRaw() throws {
                let start = Monotonic.now()
                try fetcher.get(url)
                outcome.raw.append(Monotonic.since(start))
            }
            func measurePlugin() throws {
                let line = pluginLine()
                let start = Monotonic.now()
                let answer = try plugin.call(line, timeout: 60)
                outcome.plugin.append(Monotonic.since(start))
                outcome.answerBytes = answer.count
                try check(answer, id: nextID - 1, series: outcome.series)
            }
            if run.isMultiple(of: 2) {
                try measurePlugin()
                try measureRaw()
            } else {
                try measureRaw()
                try measurePlugin()
            }
        }
        try describeBody(fetcher.body, in: &outcome)
        let memory = try ResidentMemory.of(plugin.pid)
        outcome.peakResident = memory.peak
        outcome.residentAfter = memory.current
        return outcome
    }

    /// Records the size of Prometheus's `body` and the series and steps it holds.
    private static func describeBody(_ body: [UInt8], in outcome: inout Outcome) throws {
        let result = try JSONValue(parsing: body)["data"]?["result"]?.arrayValue ?? []
        outcome.bodyBytes = body.count
        outcome.series = result.count
        outcome.steps = result.first?["values"]?.arrayValue?.count ?? 0
    }

    /// Checks (after the clock stopped) that `answer` is a success holding about as many series as the raw body
    /// (not exactly: the range reaches past the present, so a series can appear between two fetches).
    private static func check(_ answer: [UInt8], id: Int, series: Int) throws {
        let result = try AnswerCheck.verify([answer], ids: id..<(id + 1))[0]
        let count = result["data"]?["result"]?.arrayValue?.count ?? 0
        guard count >= series * 9 / 10 else {
            throw BenchmarkError("the plugin's range result has \(count) series, the raw body \(series)")
        }
    }
}

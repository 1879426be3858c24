import TestSupport

/// Figure (8): 64 requests written to the plugin at once, in front of a local stub server that answers each one
/// after 100 ms: the wall time until every answer is read shows whether the calls run concurrently.
enum SlowServerMeasurement {
    /// The wall time of the burst, and what the stub saw of it.
    struct Outcome: Sendable {
        let requests: Int
        let seconds: Double
        /// The most requests the stub was answering at the same moment.
        let mostConcurrent: Int
        /// The connections the plugin opened to the stub.
        let connections: Int
    }

    static let emptyResult = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    static func run(settings: BenchmarkSettings) throws -> Outcome {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: emptyResult, delay: .milliseconds(settings.slowDelayMilliseconds)))
        defer { stub.stop() }
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", stub.baseURL])
        defer { plugin.finish() }
        // One call first, so the figure is the plugin running calls at once, not its start.
        try AnswerCheck.verify([try plugin.call(RequestLines.queryUp(id: 1), timeout: 10)], ids: 1..<2)

        let firstID = 1000
        let bytes = RequestLines.queryUpBurst(count: settings.slowRequests, firstID: firstID)
        var answers: [[UInt8]] = []
        let start = Monotonic.now()
        try plugin.write(bytes)
        let deadline = Monotonic.deadline(after: 30)
        for _ in 0..<settings.slowRequests {
            answers.append(try plugin.readLine(until: deadline))
        }
        let elapsed = Monotonic.since(start)
        try AnswerCheck.verify(answers, ids: firstID..<(firstID + settings.slowRequests))
        return Outcome(
            requests: settings.slowRequests, seconds: Double(elapsed) / 1e9,
            mostConcurrent: stub.mostConcurrentRequests,
            connections: stub.connectionCount)
    }
}

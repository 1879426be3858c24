import Foundation

/// Figure (10): `query` calls written at once to a plugin at `--log-level trace` whose standard error nobody reads
/// until they are answered: a plugin that waited for standard error stopped after 175 answers.
enum UnreadStandardErrorMeasurement {
    struct Outcome: Sendable {
        let requests: Int
        let seconds: Double
        /// The log lines the plugin said it dropped, once its standard error was read.
        let droppedLines: Int
    }

    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Outcome {
        let plugin = try PluginLink(
            executable: settings.plugin, arguments: ["--log-level", "trace", "--prometheus-base-url", baseURL],
            readingStandardError: false)
        defer { plugin.finish() }
        let firstID = 1
        let bytes = RequestLines.queryUpBurst(count: settings.unreadErrorRequests, firstID: firstID)
        var answers: [[UInt8]] = []
        let start = Monotonic.now()
        // Written by a thread of its own: the plugin reads its input only as fast as it answers.
        let input = plugin.process.standardInput!
        Thread.detachNewThread { try? PluginLink.write(bytes, to: input) }
        let deadline = Monotonic.deadline(after: 120)
        for _ in 0..<settings.unreadErrorRequests {
            answers.append(try plugin.readLine(until: deadline))
        }
        let elapsed = Monotonic.since(start)
        try AnswerCheck.verify(answers, ids: firstID..<(firstID + settings.unreadErrorRequests))
        plugin.readStandardError()
        plugin.finish()
        let notices = plugin.standardErrorToTheEnd().split(separator: "\n").filter {
            $0.hasPrefix("warning [logging] ")
        }
        let dropped = notices.compactMap { Int($0.split(separator: " ")[2]) }.reduce(0, +)
        return Outcome(requests: settings.unreadErrorRequests, seconds: Double(elapsed) / 1e9, droppedLines: dropped)
    }
}

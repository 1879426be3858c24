import Dispatch
import Foundation

/// Figure (3): many `query up` lines written to the plugin at once by a writer thread, while this thread reads the
/// answers as they come, in whatever order they complete: the plugin's throughput, from the first byte written to
/// the last answer read.
enum BurstMeasurement {
    /// How many answers arrived in how long.
    struct Outcome: Sendable {
        let requests: Int
        let seconds: Double

        var perSecond: Double { Double(requests) / seconds }
    }

    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Outcome {
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
        defer { plugin.finish() }
        var warmup: [[UInt8]] = []
        for id in 1...settings.warmup { warmup.append(try plugin.call(RequestLines.queryUp(id: id))) }
        try AnswerCheck.verify(warmup, ids: 1..<(settings.warmup + 1))

        let firstID = 1_000_000
        let bytes = RequestLines.queryUpBurst(count: settings.burst, firstID: firstID)
        let descriptor = plugin.process.standardInput!
        let written = DispatchSemaphore(value: 0)
        let writeFailure = WriteFailure()
        var answers: [[UInt8]] = []
        answers.reserveCapacity(settings.burst)

        let start = Monotonic.now()
        Thread {
            do {
                try PluginLink.write(bytes, to: descriptor)
            } catch {
                writeFailure.set("\(error)")
            }
            written.signal()
        }.start()
        let deadline = Monotonic.deadline(after: 120)
        do {
            for _ in 0..<settings.burst {
                answers.append(try plugin.readLine(until: deadline))
            }
        } catch {
            // Stop the plugin first: the writer's pipe breaks and it ends before its descriptor is closed.
            plugin.process.stop()
            _ = written.wait(timeout: .now() + 10)
            throw error
        }
        let elapsed = Monotonic.since(start)
        guard written.wait(timeout: .now() + 10) == .success else {
            throw BenchmarkError("the writer thread did not finish")
        }
        if let failure = writeFailure.message { throw BenchmarkError(failure) }

        try AnswerCheck.verify(answers, ids: firstID..<(firstID + settings.burst))
        return Outcome(requests: settings.burst, seconds: Double(elapsed) / 1e9)
    }
}

/// What went wrong on the writer thread, if anything.
private final class WriteFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?

    func set(_ message: String) { lock.withLock { text = message } }

    var message: String? { lock.withLock { text } }
}

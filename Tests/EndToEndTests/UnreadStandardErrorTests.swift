import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13: a host that never read the plugin's standard error stalled it: at `--log-level trace` the plugin
/// stopped answering after 175 answers, its log lines waiting on a full pipe. Logging never waits now: lines that
/// do not fit are dropped, counted, and the count is logged once standard error is read again.
@Suite("A host that does not read standard error")
struct UnreadStandardErrorTests {
    /// A plugin at `--log-level trace` in front of a stub, sent `calls` queries, its standard error not read.
    private struct Run {
        let stub: StubHTTPServer
        let child: Subprocess
        let answers: OutputCollector

        /// Starts it; the queries are written from a thread of their own, since the plugin reads input only as fast
        /// as it answers, and the input is closed after them when `closingInput`.
        init(calls: Int, closingInput: Bool) throws {
            stub = try StubHTTPServer(
                always: .init(status: 200, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#))
            child = try Subprocess(
                PluginProcess.executable.path,
                arguments: ["--log-level", "trace", "--prometheus-base-url", stub.baseURL],
                input: .pipe, output: .pipe, error: .pipe)
            answers = OutputCollector(child.standardOutput!)
            let input = child.standardInput!
            Thread.detachNewThread {
                var lines: [UInt8] = []
                for id in 1...calls {
                    lines += Array(
                        (#"{"jsonrpc":"2.0","id":\#(id),"method":"query","params":{"arguments":{"query":"up"}}}"# + "\n")
                            .utf8)
                }
                writeAll(lines, to: input)
                if closingInput { close(input) }
            }
        }

        func stop() {
            child.stop()
            stub.stop()
        }
    }

    private static func lineCount(_ bytes: [UInt8]) -> Int { bytes.lazy.filter { $0 == UInt8(ascii: "\n") }.count }

    @Test func everyCallIsAnsweredAndTheDroppedLinesAreCounted() async throws {
        let calls = 3_000
        let run = try Run(calls: calls, closingInput: false)
        defer { run.stop() }
        let deadline = ContinuousClock.now + .seconds(120)
        var answered = 0
        while answered < calls && ContinuousClock.now < deadline {
            answered = Self.lineCount(run.answers.bytes)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(answered == calls, "answered \(answered) of \(calls) with standard error unread")

        // Read at last, while the plugin still runs: once standard error drains, it says what it dropped.
        let errors = OutputCollector(run.child.standardError!)
        func notice() -> Substring? {
            String(decoding: errors.bytes, as: UTF8.self).split(separator: "\n")
                .first {
                    $0.hasPrefix("warning [logging] ")
                        && $0.hasSuffix("dropped: standard error was not read fast enough")
                }
        }
        let noticeDeadline = ContinuousClock.now + .seconds(60)
        while notice() == nil && ContinuousClock.now < noticeDeadline { try await Task.sleep(for: .milliseconds(50)) }
        let found = try #require(notice(), "\(String(decoding: errors.bytes.suffix(500), as: UTF8.self))")
        #expect((Int(found.split(separator: " ")[2]) ?? 0) > 0)
        close(run.child.standardInput!)
        #expect(try await run.child.waitForExit(timeout: .seconds(30)) == 0)
    }

    @Test func atTheEndOfInputThePluginExitsThoughItsLastLinesAreNeverRead() async throws {
        let run = try Run(calls: 1_000, closingInput: true)
        defer { run.stop() }
        // Standard error is full and never read: the plugin waits a second at most for it (protocol.md, "Logging").
        #expect(try await run.child.waitForExit(timeout: .seconds(60)) == 0)
        #expect(Self.lineCount(try await run.answers.collected(timeout: .seconds(10))) == 1_000)
    }
}

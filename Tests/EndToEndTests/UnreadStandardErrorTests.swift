#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import TestSupport
import Testing

/// Issue 13: a host that never read the plugin's standard error stalled it: at `--log-level trace` the plugin
/// stopped answering after 175 answers, its log lines waiting on a full pipe. Logging never waits now: lines that
/// do not fit are dropped, counted, and the count is logged once standard error is read again.
@Suite("A host that does not read standard error")
struct UnreadStandardErrorTests {
    static let calls = 3_000

    @Test func everyCallIsAnsweredAndTheDroppedLinesAreCounted() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#))
        defer { stub.stop() }
        let child = try Subprocess(
            PluginProcess.executable.path, arguments: ["--log-level", "trace", "--prometheus-base-url", stub.baseURL],
            input: .pipe, output: .pipe, error: .pipe)
        defer { child.stop() }
        let answers = OutputCollector(child.standardOutput!)
        // Written from a thread of its own: the plugin reads input only as fast as it answers.
        let input = child.standardInput!
        Thread.detachNewThread {
            var lines: [UInt8] = []
            for id in 1...Self.calls {
                lines += Array((#"{"jsonrpc":"2.0","id":\#(id),"method":"query","params":{"arguments":{"query":"up"}}}"# + "\n").utf8)
            }
            var offset = 0
            while offset < lines.count {
                let written = lines.withUnsafeBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }
                offset += written
            }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        var answered = 0
        while answered < Self.calls && ContinuousClock.now < deadline {
            answered = answers.bytes.lazy.filter { $0 == UInt8(ascii: "\n") }.count
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(answered == Self.calls, "answered \(answered) of \(Self.calls) with standard error unread")

        // Read at last, while the plugin still runs: once standard error drains, it says what it dropped.
        let errors = OutputCollector(child.standardError!)
        func notice() -> Substring? {
            String(decoding: errors.bytes, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("warning [logging] ") && $0.hasSuffix("dropped: standard error was not read fast enough") }
        }
        let noticeDeadline = ContinuousClock.now + .seconds(60)
        while notice() == nil && ContinuousClock.now < noticeDeadline { try await Task.sleep(for: .milliseconds(50)) }
        let found = try #require(notice(), "\(String(decoding: errors.bytes.suffix(500), as: UTF8.self))")
        #expect((Int(found.split(separator: " ")[2]) ?? 0) > 0)
        close(input)
        #expect(try await child.waitForExit(timeout: .seconds(30)) == 0)
    }
}

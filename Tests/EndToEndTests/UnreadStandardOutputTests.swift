import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13: answers wait in a queue for a host that does not read them, and only the calls whose answers wait
/// are held: the event loop goes on reading input and running other calls, and the answers come out whole once
/// the host reads again.
@Suite("A host that stops reading standard output")
struct UnreadStandardOutputTests {
    @Test func theLoopGoesOnAndEveryAnswerComesOutWholeOnceTheHostReads() async throws {
        let child = try Subprocess(
            PluginProcess.executable.path, arguments: ["--log-level", "debug"], input: .pipe, output: .pipe,
            error: .pipe)
        defer { child.stop() }
        let log = OutputCollector(child.standardError!)
        // Each `discover` answer is tens of kilobytes: 40 of them overfill the pipe, which nobody reads yet.
        let early = (1...40).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"discover"}"# + "\n" }.joined()
        #expect(writeAll(Array(early.utf8), to: child.standardInput!))
        #expect(
            writeAll(
                Array((#"{"jsonrpc":"2.0","id":"late","method":"discover"}"# + "\n").utf8), to: child.standardInput!))

        // The loop still reads and starts calls: the last request is logged while the first answers wait.
        let deadline = ContinuousClock.now + .seconds(60)
        var logged = ""
        while !logged.contains(#"(id "late")"#) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            logged = String(decoding: log.bytes, as: UTF8.self)
        }
        #expect(
            logged.contains(#"calling 'discover' (id "late")"#), "the plugin stopped reading while its answers waited")

        let answers = OutputCollector(child.standardOutput!)
        close(child.standardInput!)
        #expect(try await child.waitForExit(timeout: .seconds(60)) == 0)
        let lines = String(decoding: try await answers.collected(timeout: .seconds(30)), as: UTF8.self).split(
            separator: "\n")
        let ids = lines.compactMap { (try? JSONValue(parsing: Array($0.utf8)))?["id"] }
        #expect(ids.count == 41, "\(lines.count) lines, \(ids.count) of them whole JSON-RPC answers")
        #expect(lines.allSatisfy { ProtocolLine.problem(with: String($0)) == nil })
    }

    @Test func sigtermEndsThePluginThoughItsAnswersWaitForAHostThatReadsNothing() async throws {
        let child = try Subprocess(
            PluginProcess.executable.path, arguments: ["--log-level", "debug", "--shutdown-grace", "0"],
            input: .pipe, output: .pipe, error: .pipe)
        defer { child.stop() }
        let log = OutputCollector(child.standardError!)
        let requests = (1...40).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"discover"}"# + "\n" }.joined()
        #expect(writeAll(Array(requests.utf8), to: child.standardInput!))
        let deadline = ContinuousClock.now + .seconds(60)
        while !String(decoding: log.bytes, as: UTF8.self).contains("(id 40)") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        child.terminate()
        // Answers that never left are lost with a host that reads nothing; the process must not wait for it.
        #expect(try await child.waitForExit(timeout: .seconds(60)) == 0)
    }
}

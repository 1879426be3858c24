import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The plugin's lifecycle")
struct PluginLifecycleTests {
    private let stalledAnswer = StubHTTPServer.Reply(
        status: 200, body: #"{"status":"success","data":{}}"#, delay: .seconds(60))

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalAnswersTheStalledRequestAfterTheGracePeriodAndExitsZero(_ number: Int32) async throws {
        let stalled = try StubHTTPServer(always: stalledAnswer)
        defer { stalled.stop() }
        let plugin = try PluginProcess(arguments: ["--shutdown-grace", "1", "--prometheus-base-url", stalled.baseURL])
        plugin.send(Requests.call("query", id: 1, arguments: ["query": "up"]))
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"discover"}"#)
        _ = try await plugin.response(id: 2)
        let started = ContinuousClock.now
        plugin.signal(number)
        let run = try await plugin.waitForExit(timeout: .seconds(40))
        #expect(ContinuousClock.now - started < .seconds(30))  // far from the stub's 60 s
        #expect(run.status == 0)
        #expect(
            run.messages.first { $0["id"] == 1 }?["error"] == [
                "code": -32800, "message": "Request cancelled: the plugin is shutting down",
            ])
    }

    @Test func shutdownThenExitEndsWithStatusZero() async throws {
        let plugin = try PluginProcess()
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#)
        _ = try await plugin.response(id: 1)
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"discover"}"#)
        plugin.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let run = try await plugin.waitForExit(timeout: .seconds(10))
        #expect(run.status == 0)
        #expect(run.messages.first { $0["id"] == 1 }?["result"] == .null)
        #expect(run.messages.first { $0["id"] == 2 }?["error"]?["code"] == -32600)
    }

    @Test func exitWithoutShutdownEndsWithStatusOne() async throws {
        let plugin = try PluginProcess()
        plugin.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let run = try await plugin.waitForExit(timeout: .seconds(10))
        #expect(run.status == 1)
        #expect(run.lines.isEmpty)
    }

    @Test func aHostThatClosesStandardOutputMakesThePluginExitPromptly() async throws {
        let plugin = try Subprocess(
            PluginProcess.executable.path, arguments: [], input: .pipe, output: .pipe, error: .pipe)
        let (input, output, error) = try (
            #require(plugin.standardInput), #require(plugin.standardOutput), #require(plugin.standardError)
        )
        let errors = OutputCollector(error)
        close(output)
        writeAll(Array(#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#.utf8) + [UInt8(ascii: "\n")], to: input)
        let status = try await plugin.waitForExit(timeout: .seconds(10))
        close(input)
        // Standard error is shown when the status is wrong: once, under the address sanitizer in CI, it was 1
        // with nothing to say why.
        let standardError = String(decoding: try await errors.collected(timeout: .seconds(10)), as: UTF8.self)
        #expect(
            PluginProcess.statusLeakCheckerAside(status, standardError: standardError) == 0,
            "status \(status); standard error: \(standardError)")
    }

    @Test func anAnswerLargerThanTheLimitFails() async throws {
        let stub = try StubHTTPServer(
            always: .init(
                status: 200, body: #"{"status":"success","data":""# + String(repeating: "x", count: 4096) + #""}"#))
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up"])],
            arguments: ["--max-response-size", "2048", "--prometheus-base-url", stub.baseURL])
        #expect(run.messages.first?["error"]?["data"]?["reason"] == "response_too_large")
        #expect(
            run.messages.first?["error"]?["message"]?.stringValue?.hasSuffix(
                "the response body is larger than the limit of 2048 bytes") == true)
    }
    /// Issue 12, finding 3, through the executable: with two `shutdown` requests the plugin hung at end of input in
    /// 19 of 20 runs.
    @Test func twoShutdownsThenEndOfInputEndTheProcessEveryTime() async throws {
        for _ in 0..<20 {
            let run = try await PluginProcess.run([
                #"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#, #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
                #"{"jsonrpc":"2.0","id":3,"method":"$/cancelRequest","params":{"id":1}}"#,
            ])
            #expect(run.status == 0, "\(run.standardError.suffix(4000))")
            #expect(run.messages.filter { $0["result"] == .null }.count == 1, "\(run.lines)")
            #expect(run.messages.filter { $0["error"]?["code"] == -32600 }.count == 2, "\(run.lines)")
        }
    }

    @Test func exitWithAnIdIsAnsweredBeforeTheProcessEnds() async throws {
        let run = try await PluginProcess.run([
            #"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#, #"{"jsonrpc":"2.0","id":2,"method":"exit"}"#,
        ])
        #expect(run.status == 0)
        #expect(run.messages.contains { $0["id"] == 2 && $0["result"] == .null })
    }
    /// Issue 12, finding 6: a `$/cancelRequest` written right behind its request could run before the request was
    /// registered, and was lost (9 of 30 tries); a lost cancel of a wait runs to its timeout. Lines are now admitted
    /// in order, so each of these is cancelled.
    @Test func aCancellationRightBehindItsRequestIsNeverLost() async throws {
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", "http://127.0.0.1:1"])
        for id in 1...30 {
            let wait =
                #"{"jsonrpc":"2.0","id":\#(id),"method":"wait_for_threshold","params":{"arguments":{"query":"vector(1)","operator":">","threshold":5,"timeout":"60s","interval":"1s"}}}"#
            let cancel = #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":\#(id)}}"#
            plugin.sendRaw(Array((wait + "\n" + cancel + "\n").utf8))  // one write: the two arrive together
        }
        let lines = try await plugin.waitForLines(30, timeout: .seconds(20))
        let answers = lines.compactMap { try? JSONValue(parsing: $0) }
        #expect(answers.count == 30)
        #expect(answers.allSatisfy { $0["error"]?["code"] == -32800 }, "\(lines)")
        _ = try await plugin.finish()
    }
    /// Issue 12, finding 15: a SIGINT the parent ignored (a background job, a host in a session of its own) still
    /// shut the plugin down; POSIX keeps an ignored SIGINT ignored. SIGTERM still ends it.
    @Test func anInheritedIgnoredSIGINTStaysIgnored() async throws {
        let child = try Subprocess(
            "/bin/sh", arguments: ["-c", #"trap "" INT; exec "$0""#, PluginProcess.executable.path],
            input: .pipe, output: .pipe, error: .pipe, defaultSignals: true)
        let output = OutputCollector(child.standardOutput!)
        let error = OutputCollector(child.standardError!)
        func send(_ line: String) {
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(child.standardInput!, $0.baseAddress, $0.count) }
        }
        func waitForAnswer(_ id: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while !String(decoding: output.bytes, as: UTF8.self).contains(#""id":\#(id)"#),
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        send(#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#)
        try await waitForAnswer(1)
        kill(child.pid, SIGINT)
        try await Task.sleep(for: .milliseconds(300))
        #expect(child.isRunning, "SIGINT ended it: \(String(decoding: error.bytes, as: UTF8.self))")
        send(#"{"jsonrpc":"2.0","id":2,"method":"discover"}"#)
        try await waitForAnswer(2)
        #expect(String(decoding: output.bytes, as: UTF8.self).contains(#""id":2,"result""#))
        kill(child.pid, SIGTERM)
        #expect(try await child.waitForExit(timeout: .seconds(10)) == 0)
        close(child.standardInput!)
    }
}

import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, finding 1 (and the `on_empty` case of finding 17): a number JSON can write but no double can hold
/// (`1e999`) reached a `precondition` when it was written back, and SIGILL took the process down with every call
/// in flight. One rule now: where a finite number is needed such a value is refused (`invalid_argument`), and a
/// non-finite value the plugin writes is `null`.
@Suite("Numbers too large for a double")
struct NonFiniteNumberTests {
    /// Nothing listens there: a request that were sent would fail `unreachable`, not `invalid_argument`.
    static let unreachable = #"{"prometheus_base_url":"http://127.0.0.1:1","prometheus_http_attempts":1}"#

    struct Case: Sendable, CustomTestStringConvertible {
        let method: String
        let arguments: String
        let argument: String
        var testDescription: String { "\(method) \(arguments)" }
    }

    static let cases = [
        Case(
            method: "check_threshold",
            arguments: #"{"query":"vector(1)","operator":"between","threshold":[0,1e999],"detail":true}"#,
            argument: "threshold"),
        Case(
            method: "check_threshold", arguments: #"{"query":"vector(1)","operator":"<","threshold":-1e999}"#,
            argument: "threshold"),
        Case(
            method: "wait_for_threshold",
            arguments: #"{"query":"vector(1)","operator":">","threshold":1e999,"timeout":"1s"}"#, argument: "threshold"),
        Case(method: "query_value", arguments: #"{"query":"vector(1)","on_empty":1e999}"#, argument: "on_empty"),
        Case(method: "change_ratio", arguments: #"{"query":"vector(1)","on_empty":1e999}"#, argument: "on_empty"),
    ]

    @Test(arguments: cases, [["--log-level", "warning"], ["--log-level", "info"]])
    func aNonFiniteArgumentIsRefusedAndTheProcessServesTheNextCall(_ test: Case, _ flags: [String]) async throws {
        let run = try await PluginProcess.run(
            [
                #"{"jsonrpc":"2.0","id":1,"method":"\#(test.method)","params":{"arguments":\#(test.arguments),"configuration":\#(Self.unreachable)}}"#,
                #"{"jsonrpc":"2.0","id":2,"method":"discover"}"#,
            ], arguments: flags)
        #expect(run.status == 0, "\(run.standardError)")
        let refusal = try #require(run.messages.first { $0["id"] == 1 }?["error"])
        #expect(refusal["data"]?["reason"] == "invalid_argument", "\(refusal)")
        #expect(refusal["data"]?["argument"] == .string(test.argument))
        #expect(run.messages.contains { $0["id"] == 2 && $0["result"] != nil })
    }

    @Test func theOneShotModeRefusesItWithStatus1() async throws {
        let outcome = try await Self.oneShot([
            "call", "check_threshold", "--arguments",
            #"{"query":"vector(1)","operator":"between","threshold":[0,1e999],"detail":true}"#,
            "--configuration", Self.unreachable,
        ])
        #expect(outcome.status == 1, "\(outcome.error)")
        #expect(outcome.error.contains("check_threshold failed (invalid_argument)"), "\(outcome.error)")
    }

    /// Runs the plugin with `arguments` to its end.
    static func oneShot(_ arguments: [String]) async throws -> (status: Int32, error: String) {
        let child = try Subprocess(PluginProcess.executable.path, arguments: arguments, output: .pipe, error: .pipe)
        let output = OutputCollector(child.standardOutput!)
        let error = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: .seconds(30))
        _ = try await output.collected(timeout: .seconds(10))
        return (status, String(decoding: try await error.collected(timeout: .seconds(10)), as: UTF8.self))
    }
}

/// Issue 12, finding 12: with standard output closed, the one-shot mode, `discover`, `--help` and `--version` died
/// with SIGILL (Foundation's `FileHandle.write` traps on `EPIPE`). They now say so and exit 74 (`EX_IOERR`).
@Suite("The command line with its standard output closed")
struct ClosedStandardOutputTests {
    static let commands: [[String]] = [
        ["--version"], ["--help"], ["discover"], ["call", "query_value", "--arg", "query=vector(1)"],
    ]

    @Test(arguments: commands)
    func aResultWhoseReaderHasGoneIsExitStatus74NotACrash(_ arguments: [String]) async throws {
        let prometheus = try await PrometheusServer.shared()
        let child = try Subprocess(
            PluginProcess.executable.path, arguments: arguments + ["--prometheus-base-url", prometheus.baseURL],
            output: .pipe, error: .pipe)
        close(child.standardOutput!)  // the reader goes away before the plugin writes: its write fails with EPIPE
        let error = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: .seconds(30))
        let message = String(decoding: try await error.collected(timeout: .seconds(10)), as: UTF8.self)
        #expect(status == 74, "\(message)")
    }

    @Test(arguments: commands)
    func aClosedStandardOutputIsExitStatus74NotACrash(_ arguments: [String]) async throws {
        let prometheus = try await PrometheusServer.shared()
        let child = try Subprocess(
            "/bin/sh",
            arguments: ["-c", #"exec "$0" "$@" >&-"#, PluginProcess.executable.path]
                + arguments + ["--prometheus-base-url", prometheus.baseURL],
            output: .null, error: .pipe)
        let error = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: .seconds(30))
        let message = String(decoding: try await error.collected(timeout: .seconds(10)), as: UTF8.self)
        #expect(status == 74, "\(message)")
        if arguments.first == "call" {
            #expect(message.contains("the result could not be written: standard output is closed"), "\(message)")
        }
    }

    @Test func theJSONRPCModeWithoutStandardOutputExitsAtOnceWithStatus0() async throws {
        let child = try Subprocess(
            "/bin/sh", arguments: ["-c", #"exec "$0" >&-"#, PluginProcess.executable.path], input: .pipe, output: .null,
            error: .pipe)
        let error = OutputCollector(child.standardError!)
        // Its input stays open: it is the missing output that ends it, as EPIPE does later in a run.
        let status = try await child.waitForExit(timeout: .seconds(30))
        close(child.standardInput!)
        let message = String(decoding: try await error.collected(timeout: .seconds(10)), as: UTF8.self)
        #expect(status == 0)
        #expect(message.contains("standard output is closed"), "\(message)")
    }
}

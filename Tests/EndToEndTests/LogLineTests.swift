import Foundation
import JSON
import TestSupport
import Testing

/// Text a host or a server supplies (a time argument, a server's error) can hold line breaks and escape sequences;
/// written as it is, it forged log lines and reached terminals (issue 12, finding 8, through arguments as well as
/// servers). Every log line and every one-shot message is one line, control characters shown as `\u{..}`.
@Suite("Log lines stay lines")
struct LogLineTests {
    static let forged = "now\nerror [jsonrpc] forged line\u{1B}[2J"

    @Test func aFailureLoggedAtInfoIsOneLineWhateverItsArgumentHolds() async throws {
        let arguments = JSONValue.object(["query": "up", "when": .string(Self.forged)]).serializedString()
        let run = try await PluginProcess.run(
            [#"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":\#(arguments)}}"#],
            arguments: ["--log-level", "info", "--prometheus-base-url", "http://127.0.0.1:1"])
        #expect(run.messages.first?["error"]?["data"]?["reason"] == "invalid_time")
        let lines = run.standardError.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("error [jsonrpc] forged") }, "\(run.standardError)")
        #expect(!run.standardError.contains("\u{1B}"))
        #expect(
            lines.contains { $0.contains(#"now\u{a}error [jsonrpc] forged line\u{1b}[2J"#) }, "\(run.standardError)")
    }

    @Test func aOneShotFailureIsOneLineOnStandardError() async throws {
        let child = try Subprocess(
            PluginProcess.executable.path,
            arguments: ["call", "query", "--arg", "query=up", "--arg", "when=\(Self.forged)"],
            output: .pipe, error: .pipe)
        let output = OutputCollector(child.standardOutput!)
        let error = OutputCollector(child.standardError!)
        #expect(try await child.waitForExit(timeout: .seconds(30)) == 1)
        _ = try await output.collected(timeout: .seconds(10))
        let message = String(decoding: try await error.collected(timeout: .seconds(10)), as: UTF8.self)
        #expect(message.split(separator: "\n").count == 1, "\(message)")
        #expect(!message.contains("\u{1B}"))
    }
}

/// Issue 12, finding 5: redaction covered answers only; a call's own log lines showed what its secrets are when
/// they were echoed there (the query it sent, the URL of each exchange, libcurl's words).
@Suite("A call's secrets in its log lines")
struct LogLineSecretTests {
    @Test func everyLineOfACallPassesThroughItsRedaction() async throws {
        let secret = "Tok3n-In-The-Query"
        let request = Requests.call(
            "query", id: 1, arguments: ["query": .string(#"up{token="\#(secret)"}"#)],
            configuration: ["prometheus_base_url": "http://127.0.0.1:1", "prometheus_http_attempts": 1],
            secrets: ["prometheus_bearer_token": .string(secret)])
        let run = try await PluginProcess.run([request], arguments: ["--log-level", "trace"])
        #expect(run.messages.first?["error"]?["data"]?["reason"] == "unreachable")
        #expect(run.standardError.contains("Querying with"), "\(run.standardError)")
        #expect(run.standardError.contains("***"), "\(run.standardError)")
        #expect(!run.standardError.contains(secret), "\(run.standardError)")
        #expect(!run.standardError.contains("Tok3n%2DIn"), "\(run.standardError)")
    }
}

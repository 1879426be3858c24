import Foundation
import JSON
import TestSupport
import Testing

@Suite("The plugin process")
struct ProcessBehaviourTests {
    @Test func aSlowRequestDoesNotHoldUpTheNextOne() async throws {
        let slow = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{}}"#, delay: .seconds(2)))
        let plugin = try PluginProcess()
        plugin.send(
            Requests.call(
                "query", id: "slow", arguments: ["query": "up"],
                configuration: ["prometheus_base_url": .string(slow.baseURL)]))
        plugin.send(#"{"jsonrpc":"2.0","id":"fast","method":"discover"}"#)
        let first = try await plugin.waitForLines(1)
        #expect(try JSONValue(parsing: first[0])["id"] == "fast")
        // The slow request is in flight meanwhile: the fast answer can come before libcurl has even connected,
        // so the stub's count is waited for, not read at once.
        try await slow.waitForRequests(1)
        #expect(slow.requests.count == 1)
        let run = try await plugin.finish()
        #expect(run.messages.map { $0["id"] } == ["fast", "slow"])
        #expect(run.messages.last?["result"]?["status"] == "success")
    }

    @Test func cancelRequestAbortsAStalledQueryAtOnce() async throws {
        let stalled = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{}}"#, delay: .seconds(60)))
        let plugin = try PluginProcess()
        plugin.send(
            Requests.call(
                "query", id: 7, arguments: ["query": "up"],
                configuration: ["prometheus_base_url": .string(stalled.baseURL)]))
        // The query at the server, when that comes soon (a loaded machine may take longer; the cancellation must be
        // as prompt either way).
        try? await stalled.waitForRequests(1, timeout: .seconds(3))
        let started = ContinuousClock.now
        plugin.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"#)
        let answer = try await plugin.response(id: 7, timeout: .seconds(25))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(answer["error"] == ["code": -32800, "message": "Request cancelled"])
        let run = try await plugin.finish()
        #expect(run.lines.count == 1)
        stalled.stop()
    }

    @Test func answersEveryRequestInFlightAtEndOfInputThenExitsZero() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{}}"#, delay: .milliseconds(700)))
        let requests = (1...10).map {
            Requests.call(
                "query", id: .number(JSONNumber($0)), arguments: ["query": "up"],
                configuration: ["prometheus_base_url": .string(stub.baseURL)])
        }
        let run = try await PluginProcess.run(requests)
        #expect(run.status == 0)
        #expect(Set(run.messages.compactMap { $0["id"]?.numberValue?.intValue }) == Set(1...10))
        #expect(run.messages.allSatisfy { $0["result"]?["status"] == "success" })
    }

    @Test func processesALastLineWithoutNewline() async throws {
        let plugin = try PluginProcess()
        plugin.sendRaw(Array(#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#.utf8))
        let run = try await plugin.finish()
        #expect(run.messages.first?["id"] == 1)
    }

    @Test func toleratesCRLFAndEmptyLines() async throws {
        let plugin = try PluginProcess()
        plugin.sendRaw(Array("\r\n\n   \n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"discover\"}\r\n\r\n".utf8))
        let run = try await plugin.finish()
        #expect(run.lines.count == 1)
        #expect(run.messages.first?["id"] == 1)
    }

    @Test func answersAnOverlongLineAndCarriesOn() async throws {
        let plugin = try PluginProcess(arguments: ["--max-line-length", "2048"])
        plugin.send(
            #"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":""#
                + String(repeating: "x", count: 5000) + #""}}}"#)
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"discover"}"#)
        let run = try await plugin.finish()
        #expect(run.messages.count == 2)
        let refusal = try #require(run.messages.first { $0["id"] == .null })
        #expect(refusal["error"]?["code"] == -32600)
        #expect(refusal["error"]?["message"]?.stringValue?.hasSuffix("more than the limit of 2048 bytes") == true)
        #expect(run.messages.contains { $0["id"] == 2 && $0["result"] != nil })
    }

    @Test func waitsForInputOnANonBlockingStandardInput() async throws {
        let plugin = try PluginProcess(nonBlockingStandardInput: true)
        try await Task.sleep(for: .milliseconds(300))
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#)
        let run = try await plugin.finish()
        #expect(run.messages.first?["id"] == 1)
    }

    /// `epoll` cannot watch a regular file: the plugin reads one a chunk at a time instead, to its end, and past
    /// its limit of lines in flight (`--max-pending-lines 64`).
    @Test(arguments: [1, 3_000])
    func answersEveryRequestOfARegularFileGivenAsStandardInput(_ count: Int) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("requests-\(UUID().uuidString)").path
        defer { unlink(path) }
        let requests = (1...count).map {
            #"{"jsonrpc":"2.0","id":\#($0),"method":"$/cancelRequest","params":{"id":0}}"# + "\n"
        }
        .joined()
        try requests.write(toFile: path, atomically: false, encoding: .utf8)
        let run = try await Subprocess.run(
            PluginProcess.executable.path, arguments: ["--max-pending-lines", "64"], input: .file(path),
            timeout: .seconds(60))
        let ids = String(decoding: run.output, as: UTF8.self).split(separator: "\n").compactMap { line in
            (try? JSONValue(parsing: Array(line.utf8)))?["id"]?.numberValue?.intValue
        }
        #expect(run.status == 0)
        #expect(Set(ids) == Set(1...count))
    }

    @Test func endsAtOnceWithStandardInputFromDevNull() async throws {
        let run = try await Subprocess.run(PluginProcess.executable.path, arguments: [], input: .null)
        #expect(run.status == 0)
        #expect(run.output.isEmpty)
    }

    @Test func configurationDoesNotLeakFromOneCallToTheNext() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: #"{"status":"success","data":{}}"#))
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", Loopback.refusedURL])
        plugin.send(
            Requests.call(
                "query", id: 1, arguments: ["query": "up"],
                configuration: ["prometheus_base_url": .string(stub.baseURL)]))
        _ = try await plugin.response(id: 1)
        plugin.send(Requests.call("query", id: 2, arguments: ["query": "up"]))
        let run = try await plugin.finish()
        #expect(run.messages.first { $0["id"] == 1 }?["result"]?["status"] == "success")
        #expect(run.messages.first { $0["id"] == 2 }?["error"]?["data"]?["reason"] == "unreachable")
        #expect(stub.requests.count == 1)
    }

    @Test func logsGoToStandardErrorAtTheLevelOfTheFlag() async throws {
        let prometheus = try await PrometheusServer.shared()
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up"])],
            arguments: ["--log-level", "debug", "--prometheus-base-url", prometheus.baseURL])
        #expect(run.lines.count == 1)
        #expect(run.standardError.contains(#"debug [prometheus] Querying with: {"query":"up"}"#))
    }

    @Test func theEnvironmentSetsTheLogLevelWhenNoFlagDoes() async throws {
        let quiet = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up", "when": "never"])])
        #expect(quiet.standardError.isEmpty)
        let chatty = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up", "when": "never"])],
            environment: ["CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL": "info"])
        #expect(
            chatty.standardError.contains(
                "info [chaostoolkit-prometheus] activity 'query' failed (invalid_time): failed to parse 'never'"))
        let overridden = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up", "when": "never"])],
            arguments: ["--log-level", "error"], environment: ["CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL": "info"])
        #expect(overridden.standardError.isEmpty)
    }

    @Test func theEnvironmentSetsTheDefaultBaseURL() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: #"{"status":"success","data":{}}"#))
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up"])],
            environment: ["CHAOSTOOLKIT_PROMETHEUS_BASE_URL": stub.baseURL])
        #expect(run.messages.first?["result"]?["status"] == "success")
        #expect(stub.requests.count == 1)
    }

    @Test(arguments: [["--version"], ["--help"]])
    func printsVersionOrHelpAndExits(_ arguments: [String]) async throws {
        let run = try await Subprocess.run(PluginProcess.executable.path, arguments: arguments)
        #expect(run.status == 0)
        let text = run.outputText
        #expect(
            text.hasPrefix(
                arguments == ["--version"] ? "chaostoolkit-prometheus 0.7.0" : "usage: chaostoolkit-prometheus"))
    }

    /// `--help`'s option list is made from the table that parses the options; its synopsis and the README's table
    /// are written by hand, and must name every option.
    @Test func everyOptionOfTheHelpIsInItsSynopsisAndInTheReadme() async throws {
        let run = try await Subprocess.run(PluginProcess.executable.path, arguments: ["--help"])
        #expect(run.status == 0)
        let help = run.outputText
        let synopsis = help.components(separatedBy: "\n\n").first ?? ""
        let flags = help.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  --") else { return nil }
            return String(line.dropFirst(2).prefix { $0 != " " })
        }.filter { $0 != "--version" && $0 != "--help" }
        #expect(flags.count >= 12)
        let readme = try String(contentsOf: ChaosCommand.root.appendingPathComponent("README.md"), encoding: .utf8)
        for flag in flags {
            #expect(synopsis.contains("[\(flag) "), "the synopsis of --help does not name \(flag)")
            #expect(readme.contains("`\(flag)"), "the README's table of options does not name \(flag)")
        }
    }

    /// The build's commit, when it was built by `scripts/install` (CI tells the test which, in
    /// `CHAOSTOOLKIT_TEST_EXPECTED_COMMIT`), and the libcurl it runs with.
    @Test func theVersionNamesTheCommitAndLibcurl() async throws {
        let run = try await Subprocess.run(PluginProcess.executable.path, arguments: ["--version"])
        #expect(run.status == 0)
        let lines = run.outputText.split(separator: "\n").map(String.init)
        let commit = Subprocess.currentEnvironment["CHAOSTOOLKIT_TEST_EXPECTED_COMMIT"]
        #expect(lines.first == "chaostoolkit-prometheus 0.7.0" + (commit.map { " (commit \($0))" } ?? ""))
        #expect(lines.dropFirst().first?.hasPrefix("libcurl/") == true, "\(lines)")
    }

    @Test(arguments: [
        ["--log-level", "loud"], ["--bogus"], ["--max-line-length", "ten"], ["--prometheus-base-url"],
        ["--max-line-length", "9223372036854775807"], ["--prometheus-base-url", "ftp://prometheus"],
    ])
    func refusesABadCommandLineWithStatus64(_ arguments: [String]) async throws {
        let run = try await PluginProcess.run([], arguments: arguments)
        #expect(run.status == 64)
        #expect(run.lines.isEmpty)
        #expect(run.standardError.hasPrefix("chaostoolkit-prometheus: "))
        #expect(run.standardError.contains("usage: chaostoolkit-prometheus"))
    }
}

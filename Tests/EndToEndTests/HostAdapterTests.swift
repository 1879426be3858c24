import FileContents
import Foundation
import HTTPClient
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The Chaos Toolkit host adapter (`Hosts/chaostoolkit`), driven by the real `chaos` command against the shared
/// Prometheus and Pushgateway, beside the Python original (chaostoolkit-prometheus 0.6.0) running the same
/// experiments in the same test. One run at a time: each starts Python and a plugin, and several at once would
/// starve the rest of the suite on a two-core machine.
@Suite("The Chaos Toolkit host adapter, run by the chaos command", .serialized)
struct HostAdapterTests {
    /// How the experiment of `examples/prometheus-metrics-control.json` is varied.
    struct Variant: Sendable, CustomTestStringConvertible {
        let name: String
        /// Control arguments left out, so that their defaults apply.
        let omitted: [String]
        var testDescription: String { name }
    }

    static let variants = [
        Variant(name: "as written", omitted: []),
        // The experiment reference is then chaoslib's hash of the experiment, the grouping key that reference,
        // and the trace id random (masked when the series are compared).
        Variant(
            name: "without experiment_ref, grouping_key and trace_id",
            omitted: ["experiment_ref", "grouping_key", "trace_id"]),
    ]

    @Test(arguments: variants)
    func anOriginalStyleExperimentRunsUnchangedWithTheOriginalsVerdictsOutputsAndPushgatewaySeries(_ variant: Variant)
        async throws
    {
        let servers = try await SharedServers.shared.get()
        let job = "host-adapter-\(UUID().uuidString.prefix(8).lowercased())"
        var text = try String(
            contentsOf: ChaosCommand.root.appendingPathComponent("examples/prometheus-metrics-control.json"),
            encoding: .utf8)
        text = text.replacingOccurrences(of: "\"http://localhost:9091\"", with: "\"\(servers.pushgateway.baseURL)\"")
            .replacingOccurrences(of: "\"job\": \"chaostoolkit\"", with: "\"job\": \"\(job)\"")
        for argument in variant.omitted {
            text = try Self.removingMember(argument, from: text)
        }
        let experiment = FileManager.default.temporaryDirectory.appendingPathComponent(
            "experiment-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: experiment)
        defer { try? FileManager.default.removeItem(at: experiment) }
        // Fixed times a little in the past, so both runs query exactly the same data.
        let now = Date().addingTimeInterval(-2).timeIntervalSince1970.rounded(.down)
        let variables = [
            "when": Self.rfc3339(now), "window_start": Self.rfc3339(now - 60), "window_end": Self.rfc3339(now),
        ]
        let environment = ["PROMETHEUS_URL": servers.prometheus.baseURL]

        let original = try await ChaosCommand(.original).run(experiment, variables: variables, environment: environment)
        let originalSeries = try await Self.series(of: job, in: servers.pushgateway)
        let adapter = try await ChaosCommand(.adapter).run(experiment, variables: variables, environment: environment)
        let adapterSeries = try await Self.series(of: job, in: servers.pushgateway)

        #expect(original.journalStatus == "completed", "\(original.log)")
        #expect(adapter.journalStatus == original.journalStatus, "\(adapter.log)")
        #expect(adapter.steadyStateMetBefore == true && original.steadyStateMetBefore == true)
        #expect(adapter.steadyStateMetAfter == true && original.steadyStateMetAfter == true)
        #expect(adapter.journal["deviated"] == original.journal["deviated"])
        let adapterRuns = adapter.activityRuns.sorted { $0.name < $1.name }
        let originalRuns = original.activityRuns.sorted { $0.name < $1.name }
        #expect(adapterRuns.map(\.name) == originalRuns.map(\.name))
        #expect(adapterRuns.map(\.name).contains("scrapes-during-the-fault"), "the background probe ran")
        for (mine, theirs) in zip(adapterRuns, originalRuns) {
            #expect(mine.run["status"] == theirs.run["status"], "\(mine.name)")
            // The documents Prometheus answered, as Python values, the same under both.
            #expect(mine.run["output"] == theirs.run["output"], "\(mine.name)")
        }
        #expect(originalSeries.count >= 20, "\(originalSeries)")
        let unmatched = Set(adapterSeries.keys).symmetricDifference(originalSeries.keys)
        #expect(unmatched.isEmpty, "series that only one run pushed: \(unmatched.sorted())")
        for (series, value) in originalSeries where !Self.measuresTime(series) && adapterSeries[series] != nil {
            #expect(adapterSeries[series] == value, "\(series)")
        }
        let statusSeries = originalSeries.keys.filter {
            $0.hasPrefix("chaostoolkit_experiment_status{")
                && $0.contains(#"chaostoolkit_experiment_status="completed""#)
        }
        #expect(statusSeries.count == 1 && originalSeries[statusSeries[0]] == "1")
    }

    @Test func aCtrlCDuringTheMethodEndsTheRunInterruptedPushesThatAndLeavesNoPluginBehind() async throws {
        let servers = try await SharedServers.shared.get()
        let job = "host-adapter-interrupted-\(UUID().uuidString.prefix(8).lowercased())"
        // A plugin of the run's own (a link with a unique name), so the test can look for what is left of it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = folder.appendingPathComponent("chaostoolkit-prometheus").path
        try FileManager.default.createSymbolicLink(atPath: plugin, withDestinationPath: PluginProcess.executable.path)
        let experiment = try ChaosCommand.write(
            try JSONValue(
                parsing: Array(
                    """
                    {"title": "interrupted", "description": "Ctrl-C while a probe waits",
                     "configuration": {"prometheus_base_url": "\(servers.prometheus.baseURL)"},
                     "controls": [{"name": "metrics", "provider": {"type": "python", "module": "chaosprometheus.metrics",
                       "arguments": {"pushgateway_url": "\(servers.pushgateway.baseURL)", "job": "\(job)"}}}],
                     "steady-state-hypothesis": {"title": "one", "probes": [{"type": "probe", "name": "one", "tolerance": 1,
                       "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query_value", "arguments": {"query": "vector(1)"}}}]},
                     "method": [{"type": "probe", "name": "waits-for-what-never-comes",
                       "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "wait_for_threshold",
                         "arguments": {"query": "vector(0)", "operator": ">", "threshold": 1, "timeout": "60s", "interval": "1s"}}}]}
                    """.utf8)))
        defer { try? FileManager.default.removeItem(at: experiment) }
        let started = ContinuousClock.now
        let run = try await ChaosCommand(.adapter).run(
            experiment, environment: ["CHAOSTOOLKIT_PROMETHEUS_PLUGIN": plugin], timeout: .seconds(50)
        ) { chaos, log in
            try await Self.waitUntil("the method's wait is running", timeout: .seconds(30)) {
                ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("Probe: waits-for-what-never-comes")
            }
            try await Task.sleep(for: .milliseconds(500))
            kill(-chaos.pid, SIGINT)  // chaos's process group, as a terminal's Ctrl-C
        }
        #expect(ContinuousClock.now - started < .seconds(40), "the wait was not cut short")
        #expect(run.journalStatus == "interrupted", "\(run.log)")
        let series = try await Self.series(of: job, in: servers.pushgateway)
        let interrupted = series.first {
            $0.key.hasPrefix("chaostoolkit_experiment_status{")
                && $0.key.contains(#"chaostoolkit_experiment_status="interrupted""#)
        }
        #expect(interrupted?.value == "1", "\(series)")
        #expect(series.first { $0.key.hasPrefix("chaostoolkit_inprogress_experiment{") }?.value == "0")
        try await Self.waitUntil("the plugin to be gone", timeout: .seconds(10)) {
            Self.runningProcesses(invoking: plugin).isEmpty
        }
    }

    /// An experiment whose steady state, or method, fails in the plugin.
    struct Failure: Sendable, CustomTestStringConvertible {
        let name: String
        let baseURL: String?
        let steadyStateQuery: String
        let methodQuery: String?
        /// The activity that fails, and what the plugin's message says.
        let failing: String
        let message: String
        var testDescription: String { name }
    }

    static let failures = [
        Failure(
            name: "an unreachable Prometheus in the steady state", baseURL: "http://127.0.0.1:1",
            steadyStateQuery: "up", methodQuery: nil,
            failing: "steady",
            message:
                #"Prometheus query {"query":"up"} failed after 3 attempts: cannot connect to Prometheus at http://127.0.0.1:1"#
        ),
        Failure(
            name: "bad PromQL in the method", baseURL: nil, steadyStateQuery: "vector(1)", methodQuery: "rate(up[",
            failing: "method", message: #"Prometheus query {"query":"rate(up["} failed: HTTP 400: bad_data"#),
    ]

    @Test(arguments: failures)
    func aFailureInThePluginFailsTheActivityWithThePluginsMessageAsUnderTheOriginal(_ failure: Failure) async throws {
        let servers = try await SharedServers.shared.get()
        let method = failure.methodQuery.map {
            #"{"type": "probe", "name": "method", "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query", "arguments": {"query": "\#($0)"}}}"#
        }
        let experiment = try ChaosCommand.write(
            try JSONValue(
                parsing: Array(
                    """
                    {"title": "\(failure.name)", "description": "fails",
                     "configuration": {"prometheus_base_url": "\(failure.baseURL ?? servers.prometheus.baseURL)"},
                     "steady-state-hypothesis": {"title": "answers", "probes": [{"type": "probe", "name": "steady",
                       "tolerance": {"type": "jsonpath", "path": "$.status", "expect": "success"},
                       "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query", "arguments": {"query": "\(failure.steadyStateQuery)"}}}]},
                     "method": [\(method ?? "")]}
                    """.utf8)))
        defer { try? FileManager.default.removeItem(at: experiment) }
        let original = try await ChaosCommand(.original).run(experiment)
        let adapter = try await ChaosCommand(.adapter).run(experiment)
        for run in [original, adapter] {
            let failed = run.activityRuns.first { $0.name == failure.failing }?.run
            #expect(failed?["status"] == "failed", "not a tolerance miss, but a failed activity: \(run.log)")
        }
        #expect(adapter.journalStatus == original.journalStatus)
        #expect(adapter.steadyStateMetBefore == original.steadyStateMetBefore)
        let exception =
            adapter.activityRuns.first { $0.name == failure.failing }?.run["exception"]?.arrayValue?
            .compactMap(\.stringValue).joined() ?? ""
        #expect(exception.contains("ActivityFailed: " + failure.message), "\(exception)")
        #expect(adapter.log.contains(failure.message), "\(adapter.log)")
    }

    @Test func chaosDiscoverListsEveryActivityOfThePlugin() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("discover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let discovery = folder.appendingPathComponent("discovery.json")
        let chaos = try ChaosCommand(.adapter).program("chaos")
        let child = try Subprocess(
            chaos,
            arguments: [
                "--no-version-check", "--log-file", folder.appendingPathComponent("log").path, "discover",
                "--no-install",
                "--discovery-path", discovery.path, "chaostoolkit-prometheus",
            ],
            environment: ChaosCommand.environment(), output: .pipe, error: .pipe, defaultSignals: true)
        let output = OutputCollector(child.standardOutput!)
        let errors = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: .seconds(60))
        let console = String(
            decoding: try await output.collected(timeout: .seconds(10)) + errors.collected(timeout: .seconds(10)),
            as: UTF8.self)
        #expect(status == 0, "\(console)")
        let written = try JSONValue(parsing: Array(try Data(contentsOf: discovery)))
        let catalogue = try #require(
            try await PluginProcess.run([#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#]).messages.first?["result"])
        let names = { (document: JSONValue) in
            document["activities"]?.arrayValue?.compactMap { activity in
                activity["mod"]?.stringValue.flatMap { module in activity["name"]?.stringValue.map { "\(module).\($0)" }
                }
            } ?? []
        }
        #expect(names(written).count == 14)
        #expect(names(written) == names(catalogue))
        #expect(written["activities"] == catalogue["activities"])
        #expect(written["extension"] == catalogue["extension"])
        #expect(written["target"] == "prometheus")
    }

    @Test func theAdaptersOwnTestsPassAgainstARealPrometheus() async throws {
        let servers = try await SharedServers.shared.get()
        let python = try ChaosCommand(.adapter).program("python")
        let tests = ChaosCommand.root.appendingPathComponent("Hosts/chaostoolkit/tests").path
        let child = try Subprocess(
            python, arguments: ["-m", "unittest", "discover", "-v", "-s", tests, "-t", tests],
            environment: ChaosCommand.environment([
                "PROMETHEUS_URL": servers.prometheus.baseURL, "PYTHONDONTWRITEBYTECODE": "1",
            ]),
            output: .pipe, error: .pipe, defaultSignals: true)
        let output = OutputCollector(child.standardOutput!)
        let errors = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: .seconds(240))
        let report = String(
            decoding: try await output.collected(timeout: .seconds(10)) + errors.collected(timeout: .seconds(10)),
            as: UTF8.self)
        #expect(status == 0, "\(report)")
        #expect(report.contains("\nOK"), "\(report)")
    }

    // MARK: - Helpers

    /// The `chaostoolkit_*` series of `job` in the Pushgateway, by name and labels (the trace id masked when it was
    /// random), with their values as written.
    static func series(of job: String, in gateway: ServerProcess) async throws -> [String: String] {
        let body = try await HTTPClient().send(
            HTTPRequest(url: gateway.baseURL + "/metrics", retry: .init(maximumAttempts: 3))
        ).body
        var series: [String: String] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("chaostoolkit_") && line.contains(#"job="\#(job)""#) {
            guard let space = line.lastIndex(of: " ") else { continue }
            var key = String(line[..<space])
            if let range = key.range(of: #"chaostoolkit_run_trace_id="[0-9a-f]{32}""#, options: .regularExpression) {
                key.replaceSubrange(range, with: #"chaostoolkit_run_trace_id="…""#)
            }
            series[key] = String(line[line.index(after: space)...])
        }
        return series
    }

    /// Whether a series measures the run's duration or creation time, which differ from run to run.
    static func measuresTime(_ series: String) -> Bool {
        ["chaostoolkit_experiment_duration{", "chaostoolkit_experiment_duration_dist_", "_created{"].contains {
            series.contains($0)
        }
            && !series.hasPrefix("chaostoolkit_experiment_duration_dist_count{")
    }

    /// `experiment` without the member `name` (and its value, a string or a flat object) wherever it appears.
    static func removingMember(_ name: String, from experiment: String) throws -> String {
        let pattern = #",?\s*"\#(name)": (\{[^{}]*\}|"[^"]*")"#
        let result = experiment.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        guard result != experiment else { throw TestSupportError("the example has no \(name)") }
        return result
    }

    static func rfc3339(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// Processes (zombies aside) whose command line starts with `path`.
    static func runningProcesses(invoking path: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            // Not FileManager.contents(atPath:): FoundationEssentials leaks its buffer on a /proc file.
            guard
                case .success(let commandLine) = FileContents.read(
                    "/proc/\(pid)/cmdline", largest: 1 << 20, regularFileOnly: false),
                commandLine.starts(with: Array(path.utf8) + [0]),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return false }
            return !stat[stat.index(after: end)...].hasPrefix(" Z")
        }
    }

    static func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestSupportError("waited \(timeout) for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

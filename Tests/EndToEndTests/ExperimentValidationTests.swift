import Foundation
import JSON
import TestSupport
import Testing

/// `validate`: an experiment's mistakes found before it runs, against a real Prometheus.
@Suite("Checking an experiment before it runs")
struct ExperimentValidationTests {
    /// One probe of an experiment, calling `function` with `arguments` through a python provider.
    static func probe(_ name: String, _ function: String, _ arguments: JSONObject) -> JSONValue {
        [
            "type": "probe", "name": .string(name),
            "provider": [
                "type": "python", "module": "chaosprometheus.probes", "func": .string(function),
                "arguments": .object(arguments),
            ],
        ]
    }

    /// An experiment with five mistakes planted, one an activity, and one activity without any.
    static let plantedMistakes: JSONValue = [
        "title": "five mistakes",
        "configuration": ["prometheus_base_url": ["type": "env", "key": "PROMETHEUS_URL"], "up_query": "up"],
        "steady-state-hypothesis": [
            "title": "up",
            "probes": [
                probe("unknown", "query_valeu", ["query": "up"]),
                probe("misspelt", "query_value", ["qeury": "up"]),
                probe("fine", "query_value", ["query": "${up_query}", "reduce": "sum"]),
            ],
        ],
        "method": [
            probe("bad-time", "query_value", ["query": "up", "when": "yesterday-ish"]),
            probe("too-fine", "query_interval", ["query": "up", "start": "2 days ago", "end": "now", "step": 1]),
        ],
        "rollbacks": [
            probe("bad-promql", "query", ["query": "sum(rate(up[5m])"])
        ],
    ]

    /// Runs `validate` in one-shot mode on `experiment` written to a file; the status and the report.
    private func validate(_ experiment: JSONValue, prometheus: String, flags: [String] = []) async throws -> (
        status: Int32, report: JSONValue, error: String
    ) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString).json")
        try Data(experiment.serializedString().utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await Subprocess.run(
            PluginProcess.executable.path, arguments: flags + ["validate", file.path],
            environment: ["PROMETHEUS_URL": prometheus], timeout: .seconds(60))
        return (run.status, try JSONValue(parsing: run.output), run.errorText)
    }

    @Test func reportsEveryPlantedMistakeWithItsActivityAndPlace() async throws {
        let prometheus = try await PrometheusServer.shared()
        let (status, report, error) = try await validate(Self.plantedMistakes, prometheus: prometheus.baseURL)
        #expect(status == 1, "\(error)")
        let problems = try #require(report["problems"]?.arrayValue)
        let found = problems.map { ($0["location"]?.stringValue ?? "", $0["argument"]?.stringValue ?? "-") }
        #expect(
            found.map(\.0) == [
                "steady-state-hypothesis.probes[0]", "steady-state-hypothesis.probes[1]", "method[0]", "method[1]",
                "rollbacks[0]",
            ], "\(problems)")
        #expect(found.map(\.1) == ["-", "-", "when", "step", "query"], "\(problems)")
        #expect(
            problems[0]["message"]?.stringValue?.hasPrefix("chaosprometheus.probes has no activity 'query_valeu'")
                == true)
        #expect(problems[1]["message"]?.stringValue?.contains("'qeury'") == true, "\(problems[1])")
        #expect(problems[2]["message"]?.stringValue?.contains("yesterday-ish") == true, "\(problems[2])")
        #expect(problems[3]["message"]?.stringValue?.contains("give a step of") == true, "\(problems[3])")
        #expect(problems[4]["message"]?.stringValue?.contains("does not accept the query") == true, "\(problems[4])")
        #expect(problems.allSatisfy { $0["activity"] != nil || $0["location"] != nil })
        #expect(report["activities"] == 6)
        #expect(report["notes"] == [], "\(report)")
    }

    @Test(arguments: [
        "error-ratio-check-threshold", "error-ratio-query-value", "prometheus-metrics-control", "prometheus-up-query",
    ])
    func findsNothingInTheExamples(_ example: String) async throws {
        let prometheus = try await PrometheusServer.shared()
        let experiment = try ChaosCommand.example(example)
        let (status, report, error) = try await validate(experiment, prometheus: prometheus.baseURL)
        #expect(status == 0, "\(report) \(error)")
        #expect(report["problems"] == [], "\(report)")
        #expect(report["notes"] == [], "\(report)")
        #expect((report["activities"]?.numberValue?.intValue ?? 0) >= 2)
    }

    @Test func anUnreachablePrometheusLeavesTheQueriesUncheckedAndSaysSo() async throws {
        let (status, report, _) = try await validate(Self.plantedMistakes, prometheus: Loopback.refusedURL)
        #expect(status == 1)
        #expect(report["problems"]?.arrayValue?.count == 4, "\(report)")  // all but the PromQL one
        let notes = report["notes"]?.arrayValue ?? []
        #expect(
            !notes.isEmpty
                && notes.allSatisfy { $0["message"]?.stringValue?.hasPrefix("the query was not checked") == true })
    }

    @Test func theMethodAnswersWithTheSameReport() async throws {
        let prometheus = try await PrometheusServer.shared()
        let run = try await PluginProcess.run(
            [
                JSONValue.object([
                    "jsonrpc": "2.0", "id": 1, "method": "validate", "params": ["experiment": Self.plantedMistakes],
                ]).serializedString()
            ],
            environment: ["PROMETHEUS_URL": prometheus.baseURL])
        #expect(run.messages.first?["result"]?["problems"]?.arrayValue?.count == 5, "\(run.lines)")
    }

    @Test func aServersAnswerQuotingTheTokenIsReportedWithoutIt() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 401, contentType: "text/plain", body: "token \(Canary.secret) refused"))
        var probe = Self.probe("guarded", "query_value", ["query": "up"]).objectValue ?? [:]
        probe["secrets"] = ["prometheus"]
        let experiment: JSONValue = [
            "title": "a token", "configuration": ["prometheus_base_url": .string(stub.baseURL)],
            "secrets": ["prometheus": ["prometheus_bearer_token": .string(Canary.secret)]],
            "steady-state-hypothesis": ["title": "t", "probes": [.object(probe)]],
        ]
        let (_, report, error) = try await validate(experiment, prometheus: stub.baseURL)
        #expect(!report.serializedString().contains(Canary.secret) && !error.contains(Canary.secret), "\(report)")
        #expect(report.serializedString().contains("***"), "\(report)")
        // The check is Prometheus's own, without evaluating anything, with the activity's secrets.
        let request = try #require(stub.requests.first)
        #expect(request.method == "GET")
        #expect(request.path.hasPrefix("/api/v1/format_query"), "\(request.path)")
        #expect(request.headers["authorization"] == "Bearer \(Canary.secret)")
    }

    @Test func aServerWithoutFormatQueryLeavesTheQueryUncheckedAndSaysSo() async throws {
        let stub = try StubHTTPServer(always: .init(status: 404, contentType: "text/plain", body: "404 page not found"))
        let experiment: JSONValue = [
            "title": "an old server", "configuration": ["prometheus_base_url": .string(stub.baseURL)],
            "method": [Self.probe("old", "query_value", ["query": "up"])],
        ]
        let (status, report, _) = try await validate(experiment, prometheus: stub.baseURL)
        #expect(status == 0, "\(report)")
        #expect(report["problems"] == [], "\(report)")
        let note = report["notes"]?.arrayValue?.first?["message"]?.stringValue ?? ""
        #expect(note.contains("has no /api/v1/format_query"), "\(report)")
    }

    /// `${name}` takes the configuration's value as chaoslib fills it in, and `baseline` is a time like `when`.
    @Test func aConfigurationValueIsCheckedInItsPlaceholdersPlaceAndABaselineIsATime() async throws {
        let prometheus = try await PrometheusServer.shared()
        let experiment: JSONValue = [
            "title": "substituted",
            "configuration": [
                "prometheus_base_url": ["type": "env", "key": "PROMETHEUS_URL"], "broken": "sum(rate(up[5m])",
            ],
            "method": [
                Self.probe("from-configuration", "query_value", ["query": "${broken}"]),
                Self.probe("odd-baseline", "change_ratio", ["query": "up", "baseline": "yesterday-ish"]),
            ],
        ]
        let (status, report, _) = try await validate(experiment, prometheus: prometheus.baseURL)
        #expect(status == 1)
        let problems = report["problems"]?.arrayValue ?? []
        #expect(problems.map { $0["location"] } == ["method[0]", "method[1]"], "\(report)")
        #expect(problems.map { $0["argument"] } == ["query", "baseline"], "\(report)")
    }

    /// A `process` provider's own command line: its base URL and arguments are read, and only probes are called.
    @Test func aOneShotProviderIsReadFromItsCommandLine() async throws {
        let prometheus = try await PrometheusServer.shared()
        func provider(_ name: String, _ arguments: [JSONValue]) -> JSONValue {
            [
                "type": "probe", "name": .string(name),
                "provider": [
                    "type": "process", "path": "chaostoolkit-prometheus",
                    "arguments": .array(arguments),
                ],
            ]
        }
        let experiment: JSONValue = [
            "title": "one-shot providers",
            "method": [
                provider(
                    "own-url",
                    [
                        "call", "query_value", "--prometheus-base-url", .string(prometheus.baseURL), "--arguments",
                        #"{"query": "sum(up"}"#,
                    ]),
                provider("a-control", ["call", "before_experiment_control"]),
                provider("misspelt-flag", ["call", "query_value", "--argumets", #"{"query": "up"}"#]),
            ],
        ]
        let (status, report, _) = try await validate(experiment, prometheus: Loopback.refusedURL)
        #expect(status == 1)
        let problems = report["problems"]?.arrayValue ?? []
        // A command line that cannot be read is reported before the activities that were.
        let byPlace = Dictionary(problems.map { ($0["location"]?.stringValue ?? "", $0) }) { first, _ in first }
        #expect(byPlace.keys.sorted() == ["method[0]", "method[1]", "method[2]"], "\(report)")
        #expect(byPlace["method[0]"]?["argument"] == "query", "\(report)")
        #expect(byPlace["method[1]"]?["message"]?.stringValue?.contains("no probe") == true, "\(report)")
        // Read as the plugin reads its command line: what the run would refuse (exit 64) is a problem now.
        #expect(
            byPlace["method[2]"]?["message"]?.stringValue?.contains("unknown argument '--argumets'") == true,
            "\(report)")
    }

    /// Without a base URL in the experiment, the command line's is the Prometheus that checks the PromQL.
    @Test func theCommandLinesBaseURLChecksTheQueries() async throws {
        let prometheus = try await PrometheusServer.shared()
        let experiment: JSONValue = [
            "title": "no base URL", "method": [Self.probe("broken", "query", ["query": "sum(up"])],
        ]
        let (status, report, _) = try await validate(
            experiment, prometheus: Loopback.refusedURL, flags: ["--prometheus-base-url", prometheus.baseURL])
        #expect(status == 1)
        #expect(report["problems"]?.arrayValue?.map { $0["argument"] } == ["query"], "\(report)")
    }

    @Test func whatOnlyTheRunFillsInIsNotJudgedAndWhatTheRunCannotReadIsNoted() async throws {
        let prometheus = try await PrometheusServer.shared()
        let experiment: JSONValue = [
            "title": "run-time values",
            "configuration": ["prometheus_base_url": ["type": "env", "key": "PROMETHEUS_URL"]],
            "steady-state-hypothesis": [
                "title": "t",
                "probes": [
                    Self.probe(
                        "var-threshold", "check_threshold", ["query": "up", "operator": ">", "threshold": "${max}"]),
                    [
                        "type": "probe", "name": "from-a-file",
                        "provider": [
                            "type": "process", "path": "chaostoolkit-prometheus",
                            "arguments": ["call", "query", "--arguments", "@args.json"],
                        ],
                    ],
                ],
            ],
            "method": [
                [
                    "type": "probe", "name": "wrong-module",
                    "provider": [
                        "type": "python", "module": "chaosprometheus.metrics", "func": "query",
                        "arguments": ["query": "up"],
                    ],
                ]
            ],
        ]
        let (status, report, _) = try await validate(experiment, prometheus: prometheus.baseURL)
        #expect(status == 1)
        let problems = report["problems"]?.arrayValue ?? []
        #expect(problems.map { $0["location"] } == ["method[0]"], "\(report)")
        #expect(
            problems.first?["message"]?.stringValue?.hasPrefix("chaosprometheus.metrics has no activity 'query'")
                == true)
        #expect(
            report["notes"]?.arrayValue?.map { $0["location"] } == ["steady-state-hypothesis.probes[1]"], "\(report)")
    }

    @Test func windowsAndLengthsOfTimeAreCheckedToo() async throws {
        let prometheus = try await PrometheusServer.shared()
        let experiment: JSONValue = [
            "title": "lengths of time",
            "configuration": ["prometheus_base_url": ["type": "env", "key": "PROMETHEUS_URL"]],
            "method": [
                Self.probe("future-window", "compute_mean", ["query": "up", "window": "in 1 hour"]),
                Self.probe(
                    "odd-interval", "wait_for_threshold",
                    ["query": "up", "operator": ">", "threshold": 0, "interval": "10 parsecs"]),
                Self.probe(
                    "odd-step", "query_interval", ["query": "up", "start": "1 hour ago", "end": "now", "step": "fast"]),
            ],
        ]
        let (status, report, _) = try await validate(experiment, prometheus: prometheus.baseURL)
        #expect(status == 1)
        let problems = report["problems"]?.arrayValue ?? []
        #expect(problems.map { $0["argument"] } == ["window", "interval", "step"], "\(report)")
    }
}

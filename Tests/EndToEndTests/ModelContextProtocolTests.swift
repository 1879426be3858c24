import Foundation
import JSON
import TestSupport
import Testing

/// The plugin as an editor or assistant meets it: the official Python MCP SDK (PyPI `mcp`, pinned) as the client,
/// against the shared Prometheus. One client at a time: each starts Python and a plugin.
@Suite("The Model Context Protocol, with the official Python SDK as the client", .serialized)
struct ModelContextProtocolTests {
    /// A valid call of every tool, against the shared Prometheus's known series.
    static let validCalls: JSONObject = [
        "query": ["query": "up"],
        "query_interval": ["query": "up", "start": "1 minute ago", "end": "now", "step": "15s"],
        "compute_mean": ["query": "mean_test", "window": "1m"],
        "nodes_cpu_usage_mean": ["window": "1m"],
        "query_value": ["query": "sum(mean_test)"],
        "query_values": ["query": "mean_test"],
        "check_threshold": ["query": "sum(mean_test)", "operator": ">", "threshold": 1],
        "wait_for_threshold": [
            "query": "sum(mean_test)", "operator": ">", "threshold": 1, "timeout": "20s", "interval": "1s",
        ],
        "change_ratio": ["query": "sum(mean_test)", "baseline": "2 seconds ago"],
        "alerts": ["state": "any"],
        "targets": ["health": "up"],
        "metric_names": ["match": #"{job="pushgateway"}"#, "limit": 5],
        "label_names": [:],
        "label_values": ["label": "job"],
        "series": ["match": "mean_test"],
        "metric_metadata": ["limit": 5],
        "rules": [:],
    ]

    private func baseURLArguments() async throws -> [String] {
        ["--prometheus-base-url", try await SharedServers.shared.get().prometheus.baseURL]
    }

    @Test func initializeSucceedsAtEveryRevisionAndTheSDKsDefaultModeConnectsAtOnce() async throws {
        let (report, log) = try await MCPClient.run("handshake", pluginArguments: try await baseURLArguments())
        #expect(
            report["revisions"] == [
                "2024-11-05": "2024-11-05", "2025-03-26": "2025-03-26", "2025-06-18": "2025-06-18",
                "2025-11-25": "2025-11-25",
            ], "\(log)")
        #expect(report["default"]?["version"] == "2025-11-25")
        #expect(report["default"]?["server"] == "chaostoolkit-prometheus")
        #expect(report["default"]?["tools"] == .number(JSONNumber(Self.validCalls.count)))
        // server/discover is refused at once, not left to the SDK's 10-second time-out (which would take longer
        // than this whole connection, under a sanitizer on a busy machine too).
        #expect((report["default"]?["seconds"]?.numberValue?.doubleValue ?? 99) < 9)
    }

    @Test func everyProbeIsAToolWithSchemasThatValidateAgainstTheMetaSchemaAndItemsOnEveryArray() async throws {
        let (report, log) = try await MCPClient.run("list", pluginArguments: try await baseURLArguments())
        let tools = try #require(report.objectValue, "\(log)")
        #expect(Set(tools.keys) == Set(Self.validCalls.keys))
        for (name, tool) in tools {
            #expect(tool["problems"] == [], "\(name)")
            #expect(tool["readOnly"] == true && tool["openWorld"] == true, "\(name)")
            #expect(tool["hasOutputSchema"] == true, "\(name)")
            #expect(tool["title"]?.stringValue?.isEmpty == false, "\(name)")
            #expect((tool["description"]?.stringValue?.count ?? 0) > 80, "\(name)")
            #expect(tool["description"]?.stringValue?.contains("tolerance") == false, "\(name): Chaos Toolkit's words")
        }
        #expect(tools["check_threshold"]?["required"] == ["query", "operator", "threshold"])
        #expect(tools["label_values"]?["required"] == ["label"])
    }

    @Test func everyToolCalledWithValidArgumentsSucceedsWithStructuredContentValidAgainstItsOutputSchema() async throws
    {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_CALLS": JSONValue.object(Self.validCalls).serializedString()])
        for name in Self.validCalls.keys {
            let outcome = report[name]
            #expect(outcome?["isError"] == false, "\(name): \(outcome?["text"]?.stringValue ?? "no outcome") \(log)")
            #expect(outcome?["structured"] == true, "\(name)")
            #expect(outcome?["schemaErrors"] == [], "\(name)")
            #expect(outcome?["textIsTheSameJSON"] == true, "\(name)")
        }
    }

    @Test func anUnreachablePrometheusIsAToolErrorNamingTheServer() async throws {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: ["--prometheus-base-url", Loopback.refusedURL],
            environment: ["MCP_CHECK_CALLS": #"{"query_value": {"query": "up"}}"#])
        let outcome = try #require(report["query_value"], "\(log)")
        #expect(outcome["isError"] == true)
        #expect(outcome["text"]?.stringValue?.contains("127.0.0.1:1") == true, "\(outcome)")
        #expect(outcome["data"]?["reason"] == "unreachable")
    }

    @Test func aBadArgumentIsAToolErrorNamingTheArgument() async throws {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_CALLS": #"{"query_value": {"query": "up", "reduce": "median"}}"#])
        let outcome = try #require(report["query_value"], "\(log)")
        #expect(outcome["isError"] == true)
        #expect(outcome["text"]?.stringValue?.contains("'reduce'") == true, "\(outcome)")
    }

    @Test func waitForThresholdSendsIncreasingProgressAfterEachCheck() async throws {
        let (report, log) = try await MCPClient.run(
            "progress", pluginArguments: try await baseURLArguments(),
            environment: [
                "MCP_CHECK_TOOL": "wait_for_threshold",
                "MCP_CHECK_ARGUMENTS":
                    #"{"query": "sum(mean_test)", "operator": ">", "threshold": 1, "interval": "300ms", "consecutive": 3, "timeout": "30s"}"#,
            ])
        #expect(report["isError"] == false, "\(log)")
        let notes = try #require(report["progress"]?.arrayValue)
        #expect(notes.count >= 2, "\(log)")
        let values = notes.compactMap { $0["progress"]?.numberValue?.doubleValue }
        #expect(values == values.sorted() && Set(values).count == values.count, "\(values)")
        #expect(notes.allSatisfy { $0["message"]?.stringValue?.hasPrefix("check ") == true }, "\(notes)")
    }

    @Test func aBearerTokenEndpointConfiguredOnTheCommandLineAnswersAndTheTokenNeverComesOut() async throws {
        let gateway = try await TenantGateway.shared()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-stdout-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let (report, log) = try await MCPClient.run(
            "call",
            pluginArguments: [
                "--prometheus-base-url", gateway.baseURL, "--log-level", "trace",
                "--configuration", #"{"prometheus_headers": {"X-Scope-OrgID": "tenant-a"}}"#,
                "--secrets", #"{"prometheus_bearer_token": {"type": "env", "key": "GATEWAY_TOKEN"}}"#,
            ],
            environment: [
                "MCP_CHECK_CALLS": #"{"query_value": {"query": "vector(1)"}, "query": {"query": "vector(2)"}}"#,
                "GATEWAY_TOKEN": TenantGateway.token, "MCP_CHECK_STDOUT_COPY": copy,
            ])
        #expect(report["query_value"]?["isError"] == false, "\(log)")
        #expect(report["query"]?["isError"] == false, "\(log)")
        let written = String(decoding: FileManager.default.contents(atPath: copy) ?? Data(), as: UTF8.self)
        #expect(written.contains(#""structuredContent":{"result":1}"#), "\(written)")
        #expect(!written.contains(Canary.secret), "the token reached standard output")
        #expect(log.contains("trace [http]"), "the plugin logged no trace lines: \(log)")
        #expect(!log.contains(Canary.secret), "the token reached standard error or the client")
    }

    @Test func aResultOverTheBoundComesBackCutWithANoteAndStillValidJSON() async throws {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments() + ["--max-tool-result-bytes", "4096"],
            environment: [
                "MCP_CHECK_CALLS":
                    #"{"query_interval": {"query": "{__name__=~\"prometheus_.*\"}", "start": "1 minute ago", "end": "now", "step": 1}, "query_values": {"query": "{__name__=~\"prometheus_.*\"}"}, "query_value": {"query": "sum(mean_test)"}}"#
            ])
        for name in ["query_interval", "query_values"] {
            let outcome = try #require(report[name], "\(log)")
            #expect(outcome["isError"] == false, "\(name): \(outcome)")
            #expect(outcome["schemaErrors"] == [], "\(name)")
            #expect(outcome["textIsTheSameJSON"] == true, "\(name)")
            let text = try #require(outcome["text"]?.stringValue)
            #expect(text.utf8.count <= 4096, "\(name): \(text.utf8.count) bytes")
            #expect(text.contains(#""truncated":{"keptSeries":"#), "\(name): \(text)")
            #expect(text.contains("The result was cut to"), "\(name)")
        }
        #expect(report["query_value"]?["text"]?.stringValue?.contains("truncated") == false)
    }

    @Test func aSingleSeriesOverTheBoundKeepsItsLeadingSamples() async throws {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments() + ["--max-tool-result-bytes", "4096"],
            environment: [
                "MCP_CHECK_CALLS":
                    #"{"query_interval": {"query": "vector(1)", "start": "10 minutes ago", "end": "now", "step": 1}}"#
            ])
        let outcome = try #require(report["query_interval"], "\(log)")
        #expect(outcome["isError"] == false && outcome["textIsTheSameJSON"] == true, "\(outcome)")
        let document = try JSONValue(parsing: outcome["text"]?.stringValue ?? "")
        let series = try #require(document["data"]?["result"]?.arrayValue)
        #expect(series.count == 1)
        let samples = series.first?["values"]?.arrayValue?.count ?? 0
        #expect(samples > 10 && samples < 601, "\(samples) samples")
        #expect(document["truncated"]?["keptSamples"] == .number(JSONNumber(samples)))
        #expect(document["truncated"]?["totalSamples"] == 601)
        #expect((outcome["text"]?.stringValue?.utf8.count ?? .max) <= 4096)
    }

    /// The editor configurations the documents show: where, in which block, and under which member.
    static let documentedConfigurations = [
        ("README.md", "mcp.json", "servers"), ("protocol.md", "claude_desktop_config.json", "mcpServers"),
    ]

    @Test(arguments: documentedConfigurations)
    func theDocumentedEditorConfigurationReachesABearerTokenGateway(
        document: String, block name: String, member: String
    ) async throws {
        let text = try String(contentsOf: ChaosCommand.root.appendingPathComponent(document), encoding: .utf8)
        let block = try #require(
            text.components(separatedBy: "```json \(name)\n").dropFirst().first?
                .components(separatedBy: "\n```").first)
        let configuration = try JSONValue(parsing: block)
        let server = try #require(configuration[member]?["prometheus"])
        #expect(server["command"]?.stringValue?.hasSuffix("chaostoolkit-prometheus") == true)
        #expect(server["env"]?["PROMETHEUS_TOKEN"] != nil)
        let gateway = try await TenantGateway.shared()
        let written = try #require(server["args"]?.arrayValue)
        let arguments = written.compactMap(\.stringValue).map {
            $0 == "https://mimir.example.com/prometheus" ? gateway.baseURL : $0
        }
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: arguments,
            environment: [
                "MCP_CHECK_CALLS": #"{"query_value": {"query": "vector(3)"}}"#, "PROMETHEUS_TOKEN": TenantGateway.token,
            ])
        #expect(report["query_value"]?["text"] == #"{"result":3}"#, "\(log)")
    }

    @Test(arguments: [
        ("compute_mean", #"{"query": "mean_test", "window": "1m"}"#),
        ("query_interval", #"{"query": "up", "start": "1 minute ago", "end": "now", "step": "15s"}"#),
    ])
    func aRangeQueryReportsItsProgress(tool: String, arguments: String) async throws {
        let (report, log) = try await MCPClient.run(
            "progress", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_TOOL": tool, "MCP_CHECK_ARGUMENTS": arguments])
        #expect(report["isError"] == false, "\(log)")
        let values = report["progress"]?.arrayValue?.compactMap { $0["progress"]?.numberValue?.doubleValue } ?? []
        #expect(values == [1, 2], "\(report)")
    }

    @Test func theLookUpsFindTheKnownSeriesLabelsAndRules() async throws {
        let calls: JSONObject = [
            "metric_names": ["match": #"{__name__=~"mean_.*"}"#],
            "label_values": ["label": "series", "match": "mean_test"],
            "series": ["match": #"mean_test{series="a"}"#],
            "rules": ["type": "alert"],
        ]
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_CALLS": JSONValue.object(calls).serializedString()])
        #expect(report["metric_names"]?["text"] == #"{"result":["mean_test"]}"#, "\(log)")
        #expect(report["label_values"]?["text"] == #"{"result":["a","b","c"]}"#)
        let series = try JSONValue(parsing: report["series"]?["text"]?.stringValue ?? "")
        #expect(series["result"]?.arrayValue?.count == 1)
        #expect(series["result"]?.arrayValue?.first?["series"] == "a")
        let rules = try JSONValue(parsing: report["rules"]?["text"]?.stringValue ?? "")
        #expect(rules["result"]?.arrayValue?.isEmpty == false)
        #expect(rules["result"]?.arrayValue?.allSatisfy { $0["type"] == "alerting" } == true, "\(rules)")
    }

    @Test func aLabelThatIsNotALabelNameIsRefusedNamingTheArgument() async throws {
        let (report, log) = try await MCPClient.run(
            "call", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_CALLS": #"{"label_values": {"label": "../../admin"}}"#])
        #expect(report["label_values"]?["isError"] == true, "\(log)")
        #expect(
            report["label_values"]?["text"]?.stringValue?.hasPrefix("argument 'label' must be a label name") == true)
    }

    @Test func aCallsLogLinesReachTheClientFromTheLevelItSetsAndHoldNoSecret() async throws {
        let gateway = try await TenantGateway.shared()
        let (report, log) = try await MCPClient.run(
            "logging",
            pluginArguments: [
                "--prometheus-base-url", gateway.baseURL,
                "--configuration", #"{"prometheus_headers": {"X-Scope-OrgID": "tenant-a"}}"#,
                "--secrets", #"{"prometheus_bearer_token": {"type": "env", "key": "GATEWAY_TOKEN"}}"#,
            ],
            environment: [
                "MCP_CHECK_LEVEL": "debug", "MCP_CHECK_TOOL": "query_value",
                "MCP_CHECK_ARGUMENTS": #"{"query": "vector(1)"}"#, "GATEWAY_TOKEN": TenantGateway.token,
            ])
        #expect(report["isError"] == false, "\(log)")
        let messages = try #require(report["messages"]?.arrayValue)
        #expect(messages.contains { $0["level"] == "debug" && $0["logger"] == "prometheus" }, "\(messages)")
        #expect(!report.serializedString().contains(Canary.secret), "a log message held the token")
        #expect(!log.contains(Canary.secret))
    }

    @Test func withoutSetLevelOnlyWarningsAndErrorsAreSent() async throws {
        let (report, log) = try await MCPClient.run(
            "logging", pluginArguments: try await baseURLArguments(),
            environment: ["MCP_CHECK_TOOL": "query_value", "MCP_CHECK_ARGUMENTS": #"{"query": "vector(1)"}"#])
        #expect(report["isError"] == false, "\(log)")
        #expect(report["messages"] == [], "\(report)")
    }

    @Test func aWaitTheSDKGivesUpOnIsCancelledAndNeverAnswered() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-stdout-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let (report, log) = try await MCPClient.run(
            "cancel", pluginArguments: try await baseURLArguments() + ["--log-level", "debug"],
            environment: ["MCP_CHECK_STDOUT_COPY": copy])
        #expect(report["gaveUp"] == true, "\(log)")
        #expect(report["after"] == ["result": 4], "\(report)")
        #expect(log.contains("was cancelled by a cancellation that wants no answer"), "\(log)")
        let written = String(decoding: FileManager.default.contents(atPath: copy) ?? Data(), as: UTF8.self)
        let lines = written.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        // The wait is the first tools/call the plugin logged; no line answers its id.
        let called = try #require(log.components(separatedBy: "calling 'tools/call' (id ").dropFirst().first)
        let waitID = try JSONValue(parsing: String(called.prefix { $0 != ")" }))
        #expect(!lines.contains { $0["id"] == waitID }, "\(written)")
        #expect(!written.contains("-32800") && !written.contains("did not hold"), "\(written)")
    }
}

import Foundation
import HTTPClient
import JSON
import TestSupport
import Testing

/// The metrics control through the plugin, pushing to Debian's Pushgateway.
@Suite("The metrics control on a real Pushgateway")
struct MetricsControlEndToEndTests {
    private let experiment: JSONValue = ["title": "Latency stays low", "description": "n/a", "method": []]

    private func call(_ method: String, id: Int, _ arguments: JSONObject) -> String {
        Requests.call(method, id: .number(JSONNumber(id)), arguments: arguments)
    }

    /// A plugin whose control is configured with `arguments` (the answer awaited, since requests run concurrently),
    /// then given `hook`; returns the hook's answer.
    private func configureThenCall(_ arguments: JSONObject, _ hook: String, _ hookArguments: JSONObject) async throws
        -> JSONValue
    {
        let plugin = try PluginProcess()
        var configuration = arguments
        configuration["experiment"] = experiment
        plugin.send(call("configure_control", id: 1, configuration))
        #expect(try await plugin.response(id: 1)["result"] == .null)
        plugin.send(call(hook, id: 2, hookArguments))
        let run = try await plugin.finish()
        return try #require(run.messages.first { $0["id"] == 2 })
    }

    /// The gateway's metrics: each sample line with the given name, as its label set and value.
    private func samples(named name: String, on gateway: ServerProcess) async throws -> [(
        labels: String, value: String
    )] {
        // Tried again after a broken connection: what is tested is what the gateway holds, not the connection.
        let body = try await HTTPClient().send(
            HTTPRequest(url: gateway.baseURL + "/metrics", retry: .init(maximumAttempts: 3))
        ).body
        return String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.hasPrefix(name + "{"), let space = line.lastIndex(of: " ") else { return nil }
            return (
                String(line[line.index(line.startIndex, offsetBy: name.count)..<space]),
                String(line[line.index(after: space)...])
            )
        }
    }

    @Test func pushesTheFiveMetricsOfARunWithTheOriginalsLabelsAndGroupingKey() async throws {
        let gateway = try await ServerProcess.pushgateway()
        defer { gateway.stop() }
        let plugin = try PluginProcess()
        plugin.send(
            call(
                "chaosprometheus.metrics.configure_control", id: 1,
                [
                    "experiment": experiment, "pushgateway_url": .string(gateway.baseURL), "trace_id": "trace-1",
                    "chaostoolkit_lib_version": "1.44.0", "settings": ["ignored": true],
                ]))
        #expect(try await plugin.response(id: 1)["result"] == .null)
        plugin.send(call("before_experiment_control", id: 2, ["context": experiment]))
        #expect(try await plugin.response(id: 2)["result"] == .null)

        // chaostoolkit-lib's experiment_hash of this experiment, computed with Python.
        let reference = "c49fc5c626918529645b12f2"
        let labels =
            #"{chaostoolkit_experiment_ref="\#(reference)",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="trace-1",instance="",job="chaostoolkit",source="chaostoolkit"}"#
        #expect(
            try await samples(named: "chaostoolkit_inprogress_experiment", on: gateway).map {
                "\($0.labels) \($0.value)"
            } == ["\(labels) 1"])

        plugin.send(
            call(
                "after_experiment_control", id: 3, ["state": ["status": "failed", "deviated": true, "duration": 12.5]]))
        #expect(try await plugin.response(id: 3)["result"] == .null)
        let run = try await plugin.finish()
        #expect(run.status == 0, "standard error: \(run.standardError)")

        #expect(try await samples(named: "chaostoolkit_inprogress_experiment", on: gateway).map(\.value) == ["0"])
        #expect(
            try await samples(named: "chaostoolkit_deviated_experiment_total", on: gateway).map {
                "\($0.labels) \($0.value)"
            } == ["\(labels) 1"])
        #expect(try await samples(named: "chaostoolkit_experiment_duration", on: gateway).map(\.value) == ["12.5"])
        let statuses = try await samples(named: "chaostoolkit_experiment_status", on: gateway)
        #expect(statuses.count == 4)
        #expect(
            statuses.filter { $0.value == "1" }.map(\.labels) == [
                #"{chaostoolkit_experiment_ref="\#(reference)",chaostoolkit_experiment_status="failed",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="trace-1",instance="",job="chaostoolkit",source="chaostoolkit"}"#
            ])
        #expect(
            try await samples(named: "chaostoolkit_experiment_duration_dist_count", on: gateway).map(\.value) == ["1"])
        #expect(
            try await samples(named: "chaostoolkit_experiment_duration_dist_sum", on: gateway).map(\.value) == ["12.5"])
        let buckets = try await samples(named: "chaostoolkit_experiment_duration_dist_bucket", on: gateway)
        #expect(buckets.first { $0.labels.contains(#"le="10""#) }?.value == "0")
        #expect(buckets.first { $0.labels.contains(#"le="+Inf""#) }?.value == "1")
    }

    @Test func usesTheGivenJobGroupingKeyAndReference() async throws {
        let gateway = try await ServerProcess.pushgateway()
        defer { gateway.stop() }
        // Requests run concurrently: a host waits for each hook's answer before calling the next.
        let plugin = try PluginProcess()
        plugin.send(
            call(
                "configure_control", id: 1,
                [
                    "experiment": experiment, "pushgateway_url": .string(gateway.baseURL + "/"), "job": "nightly",
                    "grouping_key": ["team": "sre"], "experiment_ref": "my-ref",
                ]))
        #expect(try await plugin.response(id: 1)["result"] == .null)
        plugin.send(call("before_experiment_control", id: 2, [:]))
        #expect(try await plugin.response(id: 2)["result"] == .null)
        _ = try await plugin.finish()
        let samples = try await samples(named: "chaostoolkit_inprogress_experiment", on: gateway)
        #expect(samples.count == 1)
        #expect(samples.first?.labels.contains(#"chaostoolkit_experiment_ref="my-ref""#) == true)
        #expect(samples.first?.labels.contains(#"job="nightly""#) == true)
        #expect(samples.first?.labels.contains(#"team="sre""#) == true)
        #expect(
            samples.first?.labels.range(of: #"chaostoolkit_run_trace_id="[0-9a-f]{32}""#, options: .regularExpression)
                != nil)
    }

    @Test func emptyValuesFallBackToTheDefaultsAsInTheOriginal() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: ""))
        let answer = try await configureThenCall(
            ["pushgateway_url": .string(stub.baseURL), "experiment_ref": "", "trace_id": "", "grouping_key": [:]],
            "before_experiment_control", [:])
        #expect(answer["result"] == .null)
        let request = try #require(stub.requests.first)
        #expect(request.path == "/metrics/job/chaostoolkit/chaostoolkit_experiment_ref/c49fc5c626918529645b12f2")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.range(of: #"chaostoolkit_run_trace_id="[0-9a-f]{32}""#, options: .regularExpression) != nil)
    }

    @Test func aGroupingKeyValueThatIsNotAStringIsRefused() async throws {
        let run = try await PluginProcess.run([
            call("configure_control", id: 1, ["experiment": experiment, "grouping_key": ["team": 7]])
        ])
        let error = try #require(run.messages.first?["error"])
        #expect(error["data"]?["reason"] == "invalid_argument")
        #expect(error["message"] == "grouping_key values must be strings, but 'team' is a number")
    }

    @Test(arguments: ["before_experiment_control", "after_experiment_control"])
    func aHookBeforeConfigureIsAClearError(_ hook: String) async throws {
        let run = try await PluginProcess.run([
            call(hook, id: 1, ["state": ["status": "completed", "deviated": false, "duration": 1]])
        ])
        let error = try #require(run.messages.first?["error"])
        #expect(error["code"] == -32000)
        #expect(error["data"]?["reason"] == "not_configured")
        #expect(
            error["message"]
                == .string(
                    "\(hook) needs the metrics control to be configured first: call configure_control with the experiment"
                ))
    }

    @Test func aPushNobodyReceivesNamesTheGateway() async throws {
        let port = 1
        let answer = try await configureThenCall(
            ["pushgateway_url": .string(Loopback.refusedURL)], "before_experiment_control", [:])
        let error = try #require(answer["error"])
        #expect(error["data"]?["reason"] == "unreachable")
        #expect(
            error["message"]?.stringValue?.hasPrefix(
                "pushing the run metrics to the Pushgateway at http://127.0.0.1:\(port) failed: cannot connect to the Pushgateway at http://127.0.0.1:\(port): "
            ) == true)
    }

    @Test func aPushTheGatewayRefusesGivesItsAnswer() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 400, contentType: "text/plain", body: "pushed metrics are invalid or inconsistent"))
        let answer = try await configureThenCall(
            ["pushgateway_url": .string(stub.baseURL)], "before_experiment_control", [:])
        let error = try #require(answer["error"])
        #expect(error["data"]?["reason"] == "http_status")
        #expect(error["data"]?["body"] == "pushed metrics are invalid or inconsistent")  // as protocol.md promises
        #expect(
            error["message"]
                == .string(
                    "pushing the run metrics to the Pushgateway at \(stub.baseURL) failed: HTTP 400: pushed metrics are invalid or inconsistent"
                ))
        #expect(stub.requests.first?.method == "PUT")
        #expect(stub.requests.first?.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test(arguments: [
        ["status": "exploded", "deviated": false, "duration": 1] as JSONValue, ["deviated": false, "duration": 1],
        ["status": "completed", "duration": "long"],
    ])
    func aJournalWithoutAKnownStatusAndDurationIsRefused(_ state: JSONValue) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: ""))
        let answer = try await configureThenCall(
            ["pushgateway_url": .string(stub.baseURL)], "after_experiment_control", ["state": state])
        #expect(answer["error"]?["data"]?["reason"] == "invalid_argument")
        #expect(stub.requests.isEmpty)
    }
}

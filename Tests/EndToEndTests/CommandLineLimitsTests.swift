import JSON
import TestSupport
import Testing

/// The flags and environment variables protocol.md and the README document, through the built plugin.
@Suite("Flags and environment of the plugin")
struct CommandLineLimitsTests {
    private let answer = StubHTTPServer.Reply(status: 200, body: #"{"status":"success","data":{}}"#, delay: .milliseconds(300))

    @Test func maxBatchSizeRefusesALargerBatch() async throws {
        let batch = "[" + (1...3).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"discover"}"# }.joined(separator: ",") + "]"
        let run = try await PluginProcess.run([batch], arguments: ["--max-batch-size", "2"])
        #expect(run.messages == [[
            "jsonrpc": "2.0", "id": nil,
            "error": ["code": -32600, "message": "Invalid Request: a batch of 3 requests, more than the limit of 2"],
        ]])
    }

    @Test func maxConcurrentRequestsMakesTheRestWait() async throws {
        let stub = try StubHTTPServer(always: answer)
        let run = try await PluginProcess.run(
            (1...3).map { Requests.call("query", id: .number(JSONNumber($0)), arguments: ["query": "up"]) },
            arguments: ["--max-concurrent-requests", "1", "--prometheus-base-url", stub.baseURL])
        #expect(run.messages.count == 3)
        #expect(run.messages.allSatisfy { $0["result"]?["status"] == "success" })
        #expect(stub.requests.count == 3)
        #expect(stub.mostConcurrentRequests == 1)
    }

    @Test(arguments: [true, false])
    func thePushgatewayDefaultComesFromTheFlagOrTheEnvironmentAndDiscoveryShowsIt(_ byFlag: Bool) async throws {
        let gateway = "http://gateway.example:9091"
        let run = try await PluginProcess.run(
            [#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#],
            arguments: byFlag ? ["--pushgateway-url", gateway] : [],
            environment: byFlag ? [:] : ["CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL": gateway])
        let configure = try #require(run.messages.first?["result"]?["activities"]?.arrayValue?.first { $0["name"] == "configure_control" })
        #expect(configure["arguments"]?.arrayValue?.first { $0["name"] == "pushgateway_url" }?["default"] == .string(gateway))
    }

    @Test func traceLoggingShowsEachHTTPExchange() async throws {
        let stub = try StubHTTPServer(always: answer)
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": "up"])],
            arguments: ["--log-level", "trace", "--prometheus-base-url", stub.baseURL])
        #expect(run.standardError.contains("trace [http] starting GET \(stub.baseURL)/api/v1/query?query=up"))
        #expect(run.standardError.contains("trace [http] GET \(stub.baseURL)/api/v1/query?query=up answered 200"))
    }
    /// Issue 12, finding 9: a password in the default Pushgateway URL showed in messages, the log and discovery.
    @Test(arguments: [true, false])
    func aPushgatewayDefaultHoldingAPasswordIsRefusedAtStartWithoutQuotingIt(_ byFlag: Bool) async throws {
        let url = "http://chaos:s3cret-pw@gateway:9091"
        let plugin = try PluginProcess(
            arguments: byFlag ? ["--pushgateway-url", url] : [],
            environment: byFlag ? [:] : ["CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL": url])
        let run = try await plugin.finish()
        #expect(run.status == 64)
        #expect(run.standardError.contains("--pushgateway-url (or CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL) must not hold a user name or password"))
        #expect(!run.standardError.contains("s3cret-pw"))
    }
    /// Issue 12, finding 17, through the executable: with `--max-concurrent-requests 1`, pipelined calls were
    /// answered out of the order they were sent in 2 of 3 tries.
    @Test func oneCallAtATimeServesPipelinedCallsInTheOrderTheyWereSent() async throws {
        let prometheus = try await PrometheusServer.shared()
        for _ in 0..<3 {
            let requests = (1...15).map {
                #"{"jsonrpc":"2.0","id":\#($0),"method":"query_value","params":{"arguments":{"query":"vector(\#($0))"}}}"#
            }
            let run = try await PluginProcess.run(
                requests, arguments: ["--max-concurrent-requests", "1", "--prometheus-base-url", prometheus.baseURL])
            #expect(run.messages.compactMap { $0["id"]?.numberValue?.intValue } == Array(1...15), "\(run.lines)")
        }
    }
}

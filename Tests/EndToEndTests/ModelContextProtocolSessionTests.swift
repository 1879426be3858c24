import JSON
import TestSupport
import Testing

/// The Model Context Protocol's lines as protocol.md writes them, sent raw: what no SDK lets a test see, such as a
/// request that is never answered.
@Suite("A Model Context Protocol session, line by line")
struct ModelContextProtocolSessionTests {
    private static let initialize =
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#

    @Test func cancellingAWaitEndsItWithinASecondAndNothingAnswersTheCancelledRequest() async throws {
        let servers = try await SharedServers.shared.get()
        let plugin = try PluginProcess(
            arguments: ["--prometheus-base-url", servers.prometheus.baseURL, "--log-level", "debug"])
        plugin.send(Self.initialize)
        _ = try await plugin.response(id: 1)
        plugin.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        // A condition that never holds: the wait would go on for a minute.
        plugin.send(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"wait_for_threshold","arguments":{"query":"vector(1)","operator":"<","threshold":0,"interval":"1s","timeout":"60s"}}}"#
        )
        try await Task.sleep(for: .milliseconds(1500))  // at least one check done, the next one waiting
        let cancelled = ContinuousClock.now
        plugin.send(
            #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"the user pressed stop"}}"#
        )
        // A second, the promise; a sanitizer's build runs many times slower, so it gets five.
        let limit: Duration = Sanitizer.current == nil ? .seconds(1) : .seconds(5)
        let deadline = cancelled + limit
        while !plugin.standardError.contains("request 2 was cancelled"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(plugin.standardError.contains("request 2 was cancelled"), "the wait did not end within \(limit)")
        plugin.send(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)
        #expect(try await plugin.response(id: 3) == ["jsonrpc": "2.0", "id": 3, "result": [:]])
        let finished = try await plugin.finish()
        #expect(!finished.messages.contains { $0["id"] == 2 }, "\(finished.lines)")
    }

    @Test func theLanguageServerProtocolsCancellationStillAnswersTheCancelledRequest() async throws {
        let servers = try await SharedServers.shared.get()
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", servers.prometheus.baseURL])
        plugin.send(
            #"{"jsonrpc":"2.0","id":2,"method":"wait_for_threshold","params":{"arguments":{"query":"vector(1)","operator":"<","threshold":0,"interval":"1s","timeout":"60s"}}}"#
        )
        try await Task.sleep(for: .milliseconds(300))
        plugin.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}"#)
        #expect(try await plugin.response(id: 2)["error"]?["code"] == -32800)
        _ = try await plugin.finish()
    }

    @Test func aToolCallWithoutInitializeIsAnsweredToo() async throws {
        let servers = try await SharedServers.shared.get()
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", servers.prometheus.baseURL])
        plugin.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_value","arguments":{"query":"vector(2)"}}}"#
        )
        let answer = try await plugin.response(id: 1)
        #expect(answer["result"]?["structuredContent"] == ["result": 2])
        #expect(answer["result"]?["content"] == [["type": "text", "text": #"{"result":2}"#]])
        _ = try await plugin.finish()
    }

    @Test func theOldestRevisionGetsNeitherTitlesNorOutputSchemasNorStructuredContent() async throws {
        let servers = try await SharedServers.shared.get()
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", servers.prometheus.baseURL])
        plugin.send(Self.initialize.replacingOccurrences(of: "2025-06-18", with: "2024-11-05"))
        #expect(try await plugin.response(id: 1)["result"]?["protocolVersion"] == "2024-11-05")
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        let tool = try #require(try await plugin.response(id: 2)["result"]?["tools"]?.arrayValue?.first)
        #expect(tool["title"] == nil && tool["outputSchema"] == nil && tool["annotations"] == nil)
        plugin.send(
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"query_value","arguments":{"query":"vector(2)"}}}"#
        )
        let result = try await plugin.response(id: 3)["result"]
        #expect(result?["structuredContent"] == nil)
        #expect(result?["content"] == [["type": "text", "text": #"{"result":2}"#]])
        _ = try await plugin.finish()
    }

    /// protocol.md: discovery has no union type, so `step`, `timeout` and `interval` are declared `number` there;
    /// a host reading JSON Schemas gets the union itself from `tools/list`.
    @Test func theToolsInputSchemasCarryTheUnionsDiscoveryCannotSay() async throws {
        let plugin = try PluginProcess(arguments: [])
        plugin.send(Self.initialize)
        _ = try await plugin.response(id: 1)
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        let tools = try await plugin.response(id: 2)["result"]?["tools"]?.arrayValue ?? []
        func property(_ tool: String, _ argument: String) -> JSONValue? {
            tools.first { $0["name"] == .string(tool) }?["inputSchema"]?["properties"]?[argument]
        }
        let secondsOrDuration: JSONValue = ["number", "string"]
        #expect(property("query_interval", "step")?["type"] == secondsOrDuration)
        #expect(property("wait_for_threshold", "timeout")?["type"] == secondsOrDuration)
        #expect(property("wait_for_threshold", "interval")?["type"] == secondsOrDuration)
        #expect(property("check_threshold", "threshold")?["oneOf"]?.arrayValue?.count == 2)
        _ = try await plugin.finish()
    }

    @Test func anUnknownRevisionIsAnsweredWithTheLatest() async throws {
        let plugin = try PluginProcess(arguments: [])
        plugin.send(Self.initialize.replacingOccurrences(of: "2025-06-18", with: "2099-01-01"))
        #expect(try await plugin.response(id: 1)["result"]?["protocolVersion"] == "2025-11-25")
        _ = try await plugin.finish()
    }

    @Test func anUnknownToolIsAJSONRPCErrorListingTheTools() async throws {
        let plugin = try PluginProcess(arguments: [])
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"drop_database","arguments":{}}}"#)
        let error = try await plugin.response(id: 1)["error"]
        #expect(error?["code"] == -32602)
        #expect(error?["message"]?.stringValue?.contains("no tool named 'drop_database'; the tools are query,") == true)
        _ = try await plugin.finish()
    }

    @Test func serverDiscoverIsRefusedAtOnceSoThatClientsFallBackToInitialize() async throws {
        let plugin = try PluginProcess(arguments: [])
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}"#)
        #expect(try await plugin.response(id: 1)["error"]?["code"] == -32601)
        _ = try await plugin.finish()
    }

    @Test func aLogLevelThatIsNotOneOfTheEightIsRefused() async throws {
        let plugin = try PluginProcess(arguments: [])
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"verbose"}}"#)
        #expect(try await plugin.response(id: 1)["error"]?["code"] == -32602)
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"notice"}}"#)
        #expect(try await plugin.response(id: 2)["result"] == [:])
        _ = try await plugin.finish()
    }
}

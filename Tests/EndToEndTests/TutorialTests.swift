import JSON
import TestSupport
import Testing

/// The four tests of the tutorial the project started from, through the real protocol.
@Suite("The tutorial's four cases")
struct TutorialTests {
    private func failure(of request: String, arguments: [String] = []) async throws -> JSONValue {
        let run = try await PluginProcess.run([request], arguments: arguments)
        #expect(run.status == 0)
        let response = try #require(run.messages.first)
        #expect(response["error"]?["code"] == -32000)
        #expect(response["error"]?["data"]?["type"] == "FailedActivity")
        return try #require(response["error"])
    }

    @Test func failedParsingWhenDate() async throws {
        let error = try await failure(
            of: Requests.call(
                "query", id: 1, arguments: ["query": "request_processing_seconds_count", "when": "2 mns ago"]))
        #expect(error["message"]?.stringValue?.contains("failed to parse '2 mns ago'") == true)
    }

    @Test func failedParsingStartDate() async throws {
        let error = try await failure(
            of: Requests.call(
                "query_interval", id: 1,
                arguments: ["query": "request_processing_seconds_count", "start": "2 mns ago", "end": "now"]))
        #expect(error["message"]?.stringValue?.contains("failed to parse '2 mns ago'") == true)
    }

    @Test func failedParsingEndDate() async throws {
        let error = try await failure(
            of: Requests.call(
                "query_interval", id: 1,
                arguments: ["query": "request_processing_seconds_count", "start": "2 minutes ago", "end": "right now"]))
        #expect(error["message"]?.stringValue?.contains("failed to parse 'right now'") == true)
    }

    @Test func failedRunningQuery() async throws {
        let stub = try StubHTTPServer(always: .init(status: 400, contentType: "text/plain", body: "Bad Request"))
        let error = try await failure(
            of: Requests.call(
                "query_interval", id: 1,
                arguments: ["query": "request_processing_seconds_count", "start": "2 minutes ago", "end": "now"]),
            arguments: ["--prometheus-base-url", stub.baseURL])
        #expect(error["message"]?.stringValue?.contains("Prometheus query") == true)
        #expect(error["message"]?.stringValue?.hasSuffix("failed: HTTP 400: Bad Request") == true)
        #expect(stub.requests.first?.path == "/api/v1/query_range")
    }
}

import Foundation
import JSON
import TestSupport
import Testing

/// The plugin's answers against a real Prometheus are what `curl` gets for the same query and time.
@Suite("Agreement with curl on a real Prometheus")
struct PrometheusAgreementTests {
    /// What `curl` gets for `path` with `parameters`, URL-encoded by curl itself.
    private func curl(_ baseURL: String, _ path: String, _ parameters: [(String, String)]) async throws -> JSONValue {
        let arguments =
            ["-sS", "--max-time", "20", "--get"]
            + parameters.flatMap { ["--data-urlencode", "\($0)=\($1)"] } + [baseURL + path]
        return try JSONValue(parsing: try await Subprocess.run("/usr/bin/curl", arguments: arguments).output)
    }

    /// A whole second at least two seconds in the past, so every sample up to it has been ingested.
    private var settledTime: String {
        let seconds = Int(Date().timeIntervalSince1970) - 2
        return RFC3339Text.format(seconds)
    }

    @Test(arguments: [
        "up", "count(up)", "prometheus_build_info", "rate(prometheus_http_requests_total[1m])", "vector(1.5)", "time()",
    ])
    func instantQueriesMatch(_ query: String) async throws {
        let prometheus = try await PrometheusServer.shared()
        let time = settledTime
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 1, arguments: ["query": .string(query), "when": .string(time)])],
            arguments: ["--prometheus-base-url", prometheus.baseURL])
        let expected = try await curl(prometheus.baseURL, "/api/v1/query", [("query", query), ("time", time)])
        #expect(expected["status"] == "success")
        #expect(run.messages.first?["result"] == expected)
    }

    @Test func theDocumentIsPassedOnByteForByte() async throws {
        let prometheus = try await PrometheusServer.shared()
        let time = settledTime
        // Go escapes <, > and & in strings (\u003c); a parse and a rewrite would turn them back into characters.
        let query = #"label_replace(vector(1), "html", "<b>&</b>", "", "")"#
        let run = try await PluginProcess.run(
            [Requests.call("query", id: 7, arguments: ["query": .string(query), "when": .string(time)])],
            arguments: ["--prometheus-base-url", prometheus.baseURL])
        let arguments = [
            "-sS", "--max-time", "20", "--get", "--data-urlencode", "query=\(query)", "--data-urlencode",
            "time=\(time)",
        ]
        let body = String(
            decoding: try await Subprocess.run(
                "/usr/bin/curl", arguments: arguments + [prometheus.baseURL + "/api/v1/query"]
            ).output, as: UTF8.self)
        #expect(body.contains(#"\u003cb\u003e\u0026\u003c/b\u003e"#))
        #expect(run.lines.first == #"{"jsonrpc":"2.0","id":7,"result":"# + body + "}")
    }

    @Test(arguments: ["up", "sum by (job) (up)", "prometheus_tsdb_head_series"])
    func rangeQueriesMatch(_ query: String) async throws {
        let prometheus = try await PrometheusServer.shared()
        let end = settledTime
        let start = RFC3339Text.format(Int(Date().timeIntervalSince1970) - 12)
        let run = try await PluginProcess.run(
            [
                Requests.call(
                    "query_interval", id: 1,
                    arguments: ["query": .string(query), "start": .string(start), "end": .string(end), "step": 2])
            ],
            arguments: ["--prometheus-base-url", prometheus.baseURL])
        let expected = try await curl(
            prometheus.baseURL, "/api/v1/query_range",
            [("query", query), ("start", start), ("end", end), ("step", "2")])
        #expect(expected["data"]?["resultType"] == "matrix")
        #expect(run.messages.first?["result"] == expected)
    }

    @Test func aServerUnderAPathPrefixIsReachedThroughItsBaseURL() async throws {
        let prometheus = try await PrometheusServer.start(routePrefix: "/prometheus")
        defer { prometheus.stop() }
        let run = try await PluginProcess.run([
            Requests.call(
                "query", id: 1, arguments: ["query": "up"],
                configuration: ["prometheus_base_url": .string(prometheus.baseURL + "/")])
        ])
        #expect(prometheus.baseURL.hasSuffix("/prometheus"))
        #expect(run.messages.first?["result"]?["data"]?["result"]?.arrayValue?.count == 1)
    }

    @Test func prometheussOwnErrorsArriveAsFailedActivities() async throws {
        let prometheus = try await PrometheusServer.shared()
        let run = try await PluginProcess.run(
            [
                Requests.call(
                    "query_interval", id: 1,
                    arguments: ["query": "up{", "start": "1 hour ago", "end": "now", "step": 15])
            ],
            arguments: ["--prometheus-base-url", prometheus.baseURL])
        let error = try #require(run.messages.first?["error"])
        #expect(error["data"]?["reason"] == "prometheus_error")
        #expect(error["data"]?["errorType"] == "bad_data")
        #expect(error["message"]?.stringValue?.hasPrefix("Prometheus query range ") == true)
        #expect(error["message"]?.stringValue?.contains("parse error") == true, "\(error)")
    }

    /// The plugin refuses a range query of more than 11,000 steps before sending it; Prometheus answers one of
    /// exactly 11,000, so the two limits are the same.
    @Test func elevenThousandStepsAreAnsweredAndOneMoreIsRefusedBeforeSending() async throws {
        let prometheus = try await PrometheusServer.shared()
        let run = try await PluginProcess.run(
            [
                Requests.call(
                    "query_interval", id: 1,
                    arguments: ["query": "vector(1)", "start": "now-11000s", "end": "now", "step": 1]),
                Requests.call(
                    "query_interval", id: 2,
                    arguments: ["query": "vector(1)", "start": "now-11001s", "end": "now", "step": 1]),
            ],
            arguments: ["--prometheus-base-url", prometheus.baseURL])
        let answers = Dictionary(
            uniqueKeysWithValues: run.messages.compactMap { message in message["id"].map { ($0, message) } })
        #expect(answers[1]?["result"]?["status"] == "success", "\(run.lines)")
        #expect(answers[2]?["error"]?["data"]?["reason"] == "invalid_argument")
        #expect(answers[2]?["error"]?["data"]?["smallest_step"]?.numberValue?.doubleValue == 1.001, "\(run.lines)")
    }
}

/// RFC 3339 text of whole epoch seconds, written independently of the plugin's own formatter.
enum RFC3339Text {
    static func format(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

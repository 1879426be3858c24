import ChaosToolkit
import Foundation
import JSON
import PrometheusProbes
import TestSupport
import Testing

/// Every way a server can fail a probe, each answered with a `FailedActivity` of its class within the deadline.
@Suite("Faults, each answered with its class within the deadline")
struct FaultInjectionTests {
    /// The HTTP deadline of these tests.
    private static let deadline = 1.0
    /// One attempt, so each fault is seen on its own; `RetryingProbeTests` covers what retries add.
    private static let configuration: JSONObject = [
        "prometheus_http_timeout": JSONValue(deadline), "prometheus_http_attempts": 1,
    ]
    private static let body = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    /// The failure of `query` against `baseURL`, checked to arrive well before any stub would have answered
    /// (60 s): the bound leaves room for a machine busy starting every suite's servers at once, or a sanitizer.
    private func failureInTime(baseURL: String) async throws -> FailedActivity {
        let started = ContinuousClock.now
        let failure = try #require(
            await failure("query", ["query": "up"], baseURL: baseURL, configuration: Self.configuration))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(failure.message.hasPrefix(#"Prometheus query {"query":"up"} failed: "#))
        return failure
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.body, delay: .seconds(60)))
        defer { stub.stop() }
        #expect(try await failureInTime(baseURL: stub.baseURL).reason == .timeout)
    }

    @Test func headersThenAStalledBodyTimesOut() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.body, fault: .stallAfter(bytes: 10)))
        defer { stub.stop() }
        #expect(try await failureInTime(baseURL: stub.baseURL).reason == .timeout)
    }

    @Test func aBodyCutOffHalfWayIsATransportError() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.body, fault: .closeAfter(bytes: 20)))
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .transportError)
        #expect(failure.message.contains("bytes remaining"))
    }

    @Test(arguments: [
        ("<html><body>Sign in</body></html>", "text/html"), (#"{"status":"succ"#, "application/json"),
        ("", "application/json"),
    ])
    func a200ThatIsNotAPrometheusDocumentIsABadResponse(_ body: String, _ contentType: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, contentType: contentType, body: body))
        #expect(try await failureInTime(baseURL: stub.baseURL).reason == .badResponse)
    }

    @Test(arguments: [400, 404, 422, 500, 503])
    func anErrorStatusWithPrometheusErrorDocumentIsAPrometheusError(_ status: Int) async throws {
        let stub = try StubHTTPServer(
            always: .init(status: status, body: #"{"status":"error","errorType":"execution","error":"boom"}"#))
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .prometheusError)
        #expect(failure.detail["status"] == .number(JSONNumber(status)))
        #expect(failure.detail["errorType"] == "execution")
    }

    @Test(arguments: [400, 404, 500, 502, 503, 504])
    func anErrorStatusWithoutPrometheusDocumentIsAnHTTPStatus(_ status: Int) async throws {
        let stub = try StubHTTPServer(
            always: .init(status: status, contentType: "text/plain", body: "upstream trouble"))
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .httpStatus)
        #expect(failure.message.hasSuffix("HTTP \(status): upstream trouble"))
    }

    @Test func a401IsUnauthorizedAndSaysWhatWasSent() async throws {
        let stub = try StubHTTPServer(always: .init(status: 401, contentType: "text/plain", body: "Unauthorized"))
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .unauthorized)
        #expect(
            failure.message.hasSuffix(
                "HTTP 401: \(stub.baseURL) wants credentials it accepts; the call sent no credentials: Unauthorized"))
    }

    @Test func a403IsForbidden() async throws {
        let stub = try StubHTTPServer(always: .init(status: 403, contentType: "text/plain", body: "no such tenant"))
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .forbidden)
        #expect(
            failure.message.hasSuffix(
                "HTTP 403: \(stub.baseURL) refuses access to the credentials the call sent (no credentials): no such tenant"
            ))
    }

    @Test func aRedirectLoopIsTooManyRedirects() async throws {
        let stub = try StubHTTPServer { request in
            .init(status: 302, contentType: "text/plain", body: "", headers: [("Location", request.target)])
        }
        let failure = try await failureInTime(baseURL: stub.baseURL)
        #expect(failure.reason == .tooManyRedirects)
        #expect(stub.requests.count == 6)
    }

    @Test func aRefusedConnectionIsUnreachable() async throws {
        #expect(try await failureInTime(baseURL: Loopback.refusedURL).reason == .unreachable)
    }

    @Test func anUnresolvableHostIsUnreachable() async throws {
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: "http://no-such-host.invalid",
                configuration: ["prometheus_http_timeout": 10]))
        #expect(failure.reason == .unreachable)
    }

    @Test func tlsToAPlainHTTPPortIsATLSFailure() async throws {
        // A real server, which answers a TLS hello with a plain-text 400; the stub would wait for more.
        // A longer deadline: loading the system's certificates takes seconds under the thread sanitizer.
        let prometheus = try await PrometheusServer.shared()
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: "https://127.0.0.1:\(prometheus.port)",
                configuration: ["prometheus_http_timeout": 20]))
        #expect(failure.reason == .tls)
        #expect(failure.message.contains("TLS with https://127.0.0.1:\(prometheus.port) failed"))
        // Not the client-certificate hint: the code is a failed handshake's, which this mistake gives too.
        #expect(!failure.message.contains("client certificate"), "\(failure.message)")
    }
}

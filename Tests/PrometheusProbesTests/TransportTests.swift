import ChaosToolkit
import JSON
import Locking
import PrometheusProbes
import TestSupport
import Testing

/// What the probes add to a bare HTTP exchange: long queries by POST, retries, credentials, redaction.
@Suite("Long queries, retries and credentials through the probes")
struct TransportTests {
    private static let emptyVector = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    /// A PromQL expression of about `size` bytes that Prometheus evaluates to 1.
    private static func longQuery(bytes size: Int) -> String {
        let term = #"vector(1) * on() group_left() (0 * vector(0)) + "#
        return String(repeating: term, count: size / term.utf8.count + 1) + "vector(1)"
    }

    @Test func aQueryOfTensOfKilobytesGoesThroughByPost() async throws {
        let prometheus = try await PrometheusServer.shared()
        let query = Self.longQuery(bytes: 20_000)
        let document = try await call("query", ["query": .string(query)], baseURL: prometheus.baseURL)
        #expect(document["status"] == "success")
        #expect(document["data"]?["result"]?.arrayValue?.first?["value"]?.arrayValue?.last == "1")
    }

    @Test func aShortQueryIsSentByGet() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.emptyVector))
        _ = try await call("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(stub.requests.map(\.method) == ["GET"])
        #expect(stub.requests.first?.queryParameters["query"] == "up")
    }

    @Test func aLongQueryIsPostedAsAForm() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.emptyVector))
        let query = Self.longQuery(bytes: 4_000)
        _ = try await call(
            "query_interval", ["query": .string(query), "start": "1h ago", "end": "now"], baseURL: stub.baseURL)
        let request = try #require(stub.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/api/v1/query_range")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(String(decoding: request.body, as: UTF8.self).hasPrefix("query=vector%281%29"))
    }

    @Test(arguments: [405, 501])
    func aServerThatRefusesPostGetsTheQueryByGet(_ status: Int) async throws {
        let stub = try StubHTTPServer { request in
            request.method == "POST"
                ? .init(status: status, contentType: "text/plain", body: "Method Not Allowed")
                : .init(status: 200, body: Self.emptyVector)
        }
        let query = Self.longQuery(bytes: 4_000)
        let document = try await call("query", ["query": .string(query)], baseURL: stub.baseURL)
        #expect(document["status"] == "success")
        #expect(stub.requests.map(\.method) == ["POST", "GET"])
        #expect(stub.requests.last?.queryParameters["query"] == query)
    }

    @Test func aServerFailingTwiceWith503ThenAnsweringSucceeds() async throws {
        let answered = Locked(0)
        let stub = try StubHTTPServer { _ in
            answered.withLock { count in
                count += 1
                return count <= 2
                    ? .init(status: 503, contentType: "text/plain", body: "starting")
                    : .init(status: 200, body: Self.emptyVector)
            }
        }
        let document = try await call("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(document["status"] == "success")
        #expect(stub.requests.count == 3)
    }

    @Test func aServerThatAlwaysFailsStopsAtTheAttemptLimitWithinTheDeadline() async throws {
        let stub = try StubHTTPServer(always: .init(status: 503, contentType: "text/plain", body: "down"))
        let started = ContinuousClock.now
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: stub.baseURL,
                configuration: ["prometheus_http_attempts": 4, "prometheus_http_timeout": 30]))
        // Four answers and three backoffs (at most 0.2 + 0.4 + 0.8 s) fit the deadline many times over.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(stub.requests.count == 4)
        #expect(failure.reason == .httpStatus)
        #expect(failure.message == #"Prometheus query {"query":"up"} failed after 4 attempts: HTTP 503: down"#)
    }

    @Test func aBadQueryIsNeverRetried() async throws {
        let stub = try StubHTTPServer(
            always: .init(
                status: 400, body: #"{"status":"error","errorType":"bad_data","error":"parse error"}"#))
        let failure = await failure("query", ["query": "up("], baseURL: stub.baseURL)
        #expect(failure?.reason == .prometheusError)
        #expect(stub.requests.count == 1)
    }

    @Test func sendsTheCredentialsOfTheSecrets() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.emptyVector))
        _ = try await call(
            "query", ["query": "up"], baseURL: stub.baseURL,
            secrets: ["prometheus_bearer_token": "t0ken", "prometheus_headers": ["X-Scope-OrgID": "tenant-a"]])
        #expect(stub.requests.first?.headers["authorization"] == "Bearer t0ken")
        #expect(stub.requests.first?.headers["x-scope-orgid"] == "tenant-a")
    }

    @Test func aSecretEchoedByTheServerIsRedactedFromTheFailure() async throws {
        let stub = try StubHTTPServer { request in
            .init(status: 400, contentType: "text/plain", body: "rejected \(request.headers["authorization"] ?? "")")
        }
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: stub.baseURL, secrets: ["prometheus_bearer_token": "canary-t0ken"]))
        #expect(failure.message.hasSuffix("HTTP 400: rejected Bearer ***"))
        #expect(failure.detail["body"] == "rejected Bearer ***")
    }

    @Test func aCallWithCredentialsIsNotRedirectedToAnotherOrigin() async throws {
        let elsewhere = try StubHTTPServer(always: .init(status: 200, body: Self.emptyVector))
        let stub = try StubHTTPServer(
            always: .init(
                status: 302, contentType: "text/plain", body: "",
                headers: [("Location", elsewhere.baseURL + "/api/v1/query")]))
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: stub.baseURL, secrets: ["prometheus_bearer_token": "t0ken"]))
        #expect(failure.reason == .redirectRefused)
        #expect(failure.detail["url"] == .string(stub.baseURL + "/api/v1/query"))
        #expect(elsewhere.requests.isEmpty)
    }

    @Test(arguments: [(2042, "GET"), (2043, "POST")])
    func queriesSwitchToPostPastTwoKibibytesOfParameters(_ length: Int, _ method: String) async throws {
        // "query=" and `length` unreserved characters: 2,048 bytes of parameters, then 2,049.
        let stub = try StubHTTPServer(always: .init(status: 200, body: Self.emptyVector))
        _ = try await call("query", ["query": .string(String(repeating: "a", count: length))], baseURL: stub.baseURL)
        #expect(stub.requests.map(\.method) == [method])
    }

}

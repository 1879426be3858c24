import ChaosToolkit
import Foundation
import HTTPClient
import JSON
import PluginLog
import TestSupport
import Testing

@testable import PrometheusProbes

#if canImport(Glibc)
import ActivityHTTP
import CivilCalendar
import Glibc
#endif

private let success = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

@Suite("The probes' requests")
struct ProbeRequestTests {
    @Test func queryAsksForTheInstantQueryAtTheGivenTime() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let result = try await call(
            "query", ["query": #"up{job="a"}"#, "when": "5 minutes ago", "timeout": "10s"], baseURL: stub.baseURL)
        #expect(result == (try JSONValue(parsing: success)))
        let request = try #require(stub.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/query")
        #expect(
            request.queryParameters == ["query": #"up{job="a"}"#, "time": "2026-11-25T13:10:49.250Z", "timeout": "10s"])
        #expect(request.headers["accept"] == "application/json")
    }

    @Test func queryWithoutWhenLeavesTheTimeToPrometheus() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        _ = try await call("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(stub.requests.first?.queryParameters == ["query": "up"])
    }

    @Test func queryIntervalAsksForTheRangeWithItsStep() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        _ = try await call(
            "chaosprometheus.probes.query_interval",
            ["query": "up", "start": "1 hour ago", "end": "now", "step": "15s"],
            baseURL: stub.baseURL)
        let request = try #require(stub.requests.first)
        #expect(request.path == "/api/v1/query_range")
        #expect(
            request.queryParameters == [
                "query": "up", "start": "2026-11-25T12:15:49.250Z", "end": "2026-11-25T13:15:49.250Z", "step": "15s",
            ])
    }

    @Test func queryIntervalStepsOneSecondByDefault() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        _ = try await call(
            "query_interval", ["query": "up", "start": "1 minute ago", "end": "now"], baseURL: stub.baseURL)
        #expect(stub.requests.first?.queryParameters["step"] == "1")
    }

    @Test(arguments: ["", "/", "/prometheus", "/prometheus/"])
    func aPathPrefixAndATrailingSlashBothWork(_ suffix: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        _ = try await call("query", ["query": "up"], baseURL: stub.baseURL + suffix)
        let expected = suffix.hasPrefix("/prometheus") ? "/prometheus/api/v1/query" : "/api/v1/query"
        #expect(stub.requests.first?.path == expected)
    }

    @Test func reusesOneConnectionForSuccessiveCalls() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        for _ in 0..<5 { _ = try await call("query", ["query": "up"], baseURL: stub.baseURL) }
        #expect(stub.requests.count == 5)
        #expect(stub.connectionCount == 1)
    }
}

@Suite("The probes' failures")
struct ProbeFailureTests {
    @Test func aBadRequestInPlainTextFailsTheRangeQuery() async throws {
        let stub = try StubHTTPServer(always: .init(status: 400, contentType: "text/plain", body: "Bad Request"))
        let failure = await failure(
            "query_interval", ["query": "request_processing_seconds_count", "start": "2 minutes ago", "end": "now"],
            baseURL: stub.baseURL)
        #expect(
            failure?.message
                == #"Prometheus query range {"query":"request_processing_seconds_count","start":"2026-11-25T13:13:49.250Z","end":"2026-11-25T13:15:49.250Z","step":"1"} failed: HTTP 400: Bad Request"#
        )
        #expect(failure?.reason == .httpStatus)
        #expect(failure?.detail["status"] == 400)
    }

    @Test func prometheussOwnErrorIsPassedOnWithItsType() async throws {
        let body = #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": parse error"}"#
        let stub = try StubHTTPServer(always: .init(status: 400, body: body))
        let failure = await failure("query", ["query": "up("], baseURL: stub.baseURL)
        #expect(
            failure?.message
                == #"Prometheus query {"query":"up("} failed: HTTP 400: bad_data: invalid parameter "query": parse error"#
        )
        #expect(failure?.reason == .prometheusError)
        #expect(failure?.detail["errorType"] == "bad_data")
        #expect(failure?.detail["error"] == #"invalid parameter "query": parse error"#)
    }

    @Test func anErrorDocumentWithStatus200StillFails() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"error","errorType":"timeout","error":"query timed out"}"#))
        let failure = await failure("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(failure?.reason == .prometheusError)
        #expect(failure?.message == #"Prometheus query {"query":"up"} failed: HTTP 200: timeout: query timed out"#)
    }

    @Test func aServerErrorPageIsShortenedIntoOneLine() async throws {
        let page = "<html>\n<body>\n" + String(repeating: "gateway trouble ", count: 100) + "\n</body></html>"
        let stub = try StubHTTPServer(always: .init(status: 500, contentType: "text/html", body: page))
        let failure = try #require(await failure("query", ["query": "up"], baseURL: stub.baseURL))
        #expect(failure.reason == .httpStatus)
        #expect(
            failure.message.hasPrefix(
                #"Prometheus query {"query":"up"} failed: HTTP 500: <html> <body> gateway trouble"#))
        #expect(failure.message.hasSuffix("… (\(page.utf8.count) bytes in all)"))
        #expect(!failure.message.contains("\n"))
    }

    @Test func aBodyThatIsNotJSONIsABadResponse() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, contentType: "text/html", body: "<html>login</html>"))
        let failure = await failure("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(failure?.reason == .badResponse)
        #expect(
            failure?.message
                == #"Prometheus query {"query":"up"} failed: the answer is not JSON (HTTP 200, text/html): <html>login</html>"#
        )
    }

    @Test func jsonThatIsNotAPrometheusResponseIsABadResponse() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: #"{"hello":"world"}"#))
        let failure = await failure("query", ["query": "up"], baseURL: stub.baseURL)
        #expect(failure?.reason == .badResponse)
    }

    @Test func aRefusedConnectionIsUnreachableAfterEveryAttempt() async throws {
        let port = 1
        let failure = await failure("query", ["query": "up"], baseURL: Loopback.refusedURL)
        #expect(failure?.reason == .unreachable)
        #expect(
            failure?.message.hasPrefix(
                #"Prometheus query {"query":"up"} failed after 3 attempts: cannot connect to Prometheus at http://127.0.0.1:\#(port)"#
            ) == true)
        #expect(failure?.detail["attempts"] == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func aHostThatDoesNotResolveIsUnreachable() async throws {
        let failure = await failure(
            "query", ["query": "up"], baseURL: "http://no-such-host.invalid:9090",
            configuration: ["prometheus_http_timeout": 10])
        #expect(failure?.reason == .unreachable)
        #expect(failure?.message.contains("the host of http://no-such-host.invalid:9090 is not found") == true)
    }

    @Test func aServerSlowerThanTheDeadlineTimesOutWithinIt() async throws {
        // A stall far longer than the bound, so a slow machine (the thread sanitizer, a busy CI) cannot fail it.
        let stub = try StubHTTPServer(always: .init(status: 200, body: success, delay: .seconds(60)))
        let started = ContinuousClock.now
        let failure = await failure(
            "query", ["query": "up"], baseURL: stub.baseURL, configuration: ["prometheus_http_timeout": 0.5])
        let elapsed = ContinuousClock.now - started
        #expect(failure?.reason == .timeout)
        #expect(
            failure?.message
                == #"Prometheus query {"query":"up"} failed: no complete answer from \#(stub.baseURL) within 0.5 s (configuration 'prometheus_http_timeout')"#
        )
        #expect(elapsed < .seconds(30))
        stub.stop()
    }

    @Test(arguments: [
        ("2 mns ago", "now", "2 mns ago"), ("2 minutes ago", "right now", "right now"), ("", "now", ""),
    ])
    func anUnreadableTimeFailsBeforeAnyRequest(_ start: String, _ end: String, _ culprit: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let failure = await failure(
            "query_interval", ["query": "up", "start": .string(start), "end": .string(end)], baseURL: stub.baseURL)
        #expect(failure?.message == "failed to parse '\(culprit)'")
        #expect(failure?.reason == .invalidTime)
        #expect(stub.requests.isEmpty)
    }

    @Test func anUnreadableWhenFailsTheInstantQuery() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let failure = await failure("query", ["query": "up", "when": "2 mns ago"], baseURL: stub.baseURL)
        #expect(failure?.message == "failed to parse '2 mns ago'")
        #expect(failure?.detail == ["argument": "when", "value": "2 mns ago"])
        #expect(stub.requests.isEmpty)
    }

    @Test(arguments: [JSONValue(0), -5, "0s", "fast", "1m1m"])
    func aStepThatIsNotAPositiveDurationFailsBeforeAnyRequest(_ step: JSONValue) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let failure = await failure(
            "query_interval", ["query": "up", "start": "1 hour ago", "end": "now", "step": step], baseURL: stub.baseURL)
        #expect(failure?.reason == .invalidArgument)
        #expect(failure?.message.hasPrefix("argument 'step' must be a positive number of seconds") == true)
        #expect(stub.requests.isEmpty)
    }

    @Test func aStartAfterTheEndFailsBeforeAnyRequest() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let failure = await failure(
            "query_interval", ["query": "up", "start": "now", "end": "1 hour ago"], baseURL: stub.baseURL)
        #expect(failure?.reason == .invalidArgument)
        #expect(
            failure?.message
                == "start (2026-11-25T13:15:49.250Z) is after end (2026-11-25T12:15:49.250Z): a range query needs start <= end"
        )
        #expect(stub.requests.isEmpty)
    }

    @Test func aTimeoutThatIsNotPositiveFailsBeforeAnyRequest() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success))
        let failure = await failure("query", ["query": "up", "timeout": 0], baseURL: stub.baseURL)
        #expect(failure?.reason == .invalidArgument)
        #expect(stub.requests.isEmpty)
    }

    @Test func aQueryTimeoutLongerThanTheDeadlineLengthensIt() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: success, delay: .milliseconds(1500)))
        let result = try await call(
            "query", ["query": "up", "timeout": 1], baseURL: stub.baseURL,
            configuration: ["prometheus_http_timeout": 0.5])
        #expect(result["status"] == "success")
    }
    /// Issue 12, finding 8: Prometheus's `error` and `errorType` were neither folded nor shortened: a `\n` forged log
    /// lines, an escape sequence reached the terminal, and a 5 MB error gave a 5 MB message and as much data.
    @Test func aPrometheusErrorIsFoldedCleanedAndShortened() async throws {
        let long = String(repeating: "x", count: 5_000_000)
        let document = JSONValue.object([
            "status": "error", "errorType": "bad\ndata\u{1B}[31m",
            "error": .string("first line\nINFO forged\u{1B}[2J " + long),
        ]).serializedString()
        let stub = try StubHTTPServer(always: .init(status: 400, body: document))
        defer { stub.stop() }
        let failure = try #require(await failure("query", ["query": "up"], baseURL: stub.baseURL))
        #expect(failure.reason == .prometheusError)
        let error = try #require(failure.detail["error"]?.stringValue)
        #expect(error.hasPrefix("first line INFO forged [2J xxx"))
        #expect(error.hasSuffix("… (5000027 bytes in all)"))
        #expect(error.count < 600)
        #expect(failure.detail["errorType"] == "bad data [31m")
        #expect(!failure.message.contains("\n") && !failure.message.contains("\u{1B}"))
        #expect(failure.message.count < 1_000)
    }

    @Test func anErrorBodyOfManyMegabytesFailsTheCallWithItsShortenedText() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 502, body: String(repeating: "overloaded ", count: 800_000)))
        defer { stub.stop() }
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: stub.baseURL, configuration: ["prometheus_http_attempts": 1]))
        #expect(failure.reason == .httpStatus)
        #expect(failure.message.hasSuffix("… (8800000 bytes in all)"))
    }

    /// Issue 12, finding 16: a redirect to `file:` or `gopher:` was reported as `invalid_configuration` ("the URL
    /// built from ... is not valid"), though nothing in the configuration was wrong.
    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1:70/"])
    func aRedirectToAnotherProtocolIsATransportFailure(_ location: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 302, body: "", headers: [("Location", location)]))
        defer { stub.stop() }
        let failure = try #require(await failure("query", ["query": "up"], baseURL: stub.baseURL))
        #expect(failure.reason == .transportError, "\(failure.message)")
        #expect(failure.message.contains("the server answered with something other than HTTP(S)"))
    }

    /// Issue 12, finding 16: a garbage (HTTP/0.9) status line too.
    @Test func anAnswerThatIsNotHTTPIsATransportFailure() async throws {
        let (listener, port) = try Loopback.listeningSocket(port: 0)
        let server = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            let garbage = Array("SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n".utf8)
            _ = garbage.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            close(connection)
        }
        server.start()
        defer { close(listener) }
        let failure = try #require(
            await failure(
                "query", ["query": "up"], baseURL: "http://127.0.0.1:\(port)",
                configuration: ["prometheus_http_attempts": 1]))
        #expect(failure.reason == .transportError, "\(failure.message)")
    }
}

/// Issue 12, finding 5: a secret echoed inside a success document went out as it was.
@Suite("Secrets echoed in a success document")
struct SuccessDocumentSecretTests {
    @Test func aTokenEchoedInAnAnswerPassedThroughIsReplaced() async throws {
        let token = "t0ken-Of-The-Call"
        let stub = try StubHTTPServer { request in
            let echo = request.headers["authorization"] ?? ""
            return .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"seen":"\#(echo)","lower":"\#(echo.lowercased())"},"value":[1795612549.25,"1"]}]}}"#
            )
        }
        let result = try await call(
            "query", ["query": "up"], baseURL: stub.baseURL, secrets: ["prometheus_bearer_token": .string(token)])
        let text = result.serializedString()
        #expect(!text.lowercased().contains(token.lowercased()), "\(text)")
        #expect(result["data"]?["result"]?.arrayValue?.first?["metric"]?["seen"] == "Bearer ***")
        #expect(result["data"]?["result"]?.arrayValue?.first?["metric"]?["lower"] == "bearer ***")
    }
}

/// Issue 12, finding 7, for the answers read into a tree: a 250 MB range answer took 3.4 GB through query_values,
/// outside any budget. Reading an answer into a tree now takes 16 times its size from the budget.
@Suite("The memory budget for answers read into a tree")
struct TreeMemoryBudgetTests {
    /// A range answer of about `size` bytes.
    static func matrix(of size: Int) -> String {
        let series =
            #"{"metric":{"__name__":"m"},"values":["#
            + Array(repeating: #"[1795612549,"1"]"#, count: 100).joined(separator: ",") + "]}"
        return #"{"status":"success","data":{"resultType":"matrix","result":["#
            + Array(repeating: series, count: max(1, size / series.utf8.count)).joined(separator: ",") + "]}}"
    }

    /// query_values over a range, with a client whose budget is `limit` bytes.
    static func queryValues(_ body: String, status: Int = 200, limit: Int) async throws -> (JSONOutput, ResponseMemory)
    {
        let memory = ResponseMemory(limit: limit)
        let environment = ProbeEnvironment(
            client: PrometheusClient(http: HTTPClient(responseMemory: memory), logger: .disabled), now: { fixedNow },
            timeZone: LocalZone.utc, logger: .disabled)
        let stub = try StubHTTPServer(always: .init(status: status, body: body))
        let activity = try #require(
            ActivityCatalogue(
                extensionName: PrometheusExtension.name, version: PrometheusExtension.version, target: "prometheus",
                activities: PrometheusExtension.probes(environment)
            ).activity(named: "query_values"))
        let result = try await activity.run(
            arguments: ["query": "m", "start": "1 hour ago", "end": "now", "step": 60],
            configuration: ["prometheus_base_url": .string(stub.baseURL)], secrets: [:], environment: [:])
        return (result, memory)
    }

    @Test func anAnswerWhoseTreeDoesNotFitFailsNamingTheWayAround() async throws {
        do {
            _ = try await Self.queryValues(Self.matrix(of: 100_000), limit: 1_000_000)
            Issue.record("expected query_values to fail")
        } catch let failure as FailedActivity {
            #expect(failure.reason == .memoryBudgetExceeded)
            #expect(failure.message.contains("up to 16 times its size"), "\(failure.message)")
            #expect(failure.message.contains("query_interval"), "\(failure.message)")
        }
    }

    @Test func anErrorAnswerTooLargeForATreeIsJudgedByItsText() async throws {
        let document =
            #"{"status":"error","errorType":"internal","error":"\#(String(repeating: "overloaded ", count: 10_000))"}"#
        do {
            _ = try await Self.queryValues(document, status: 500, limit: 1_000_000)
            Issue.record("expected query_values to fail")
        } catch let failure as FailedActivity {
            #expect(failure.reason == .httpStatus)
            #expect(
                failure.message.contains(
                    "HTTP 500: {\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"overloaded overloaded"),
                "\(failure.message.prefix(300))")
        }
    }

    @Test func anAnswerWhoseTreeFitsHoldsItsRoomUntilItsListIsGone() async throws {
        var (result, memory): (JSONOutput?, ResponseMemory) = try await Self.queryValues(
            Self.matrix(of: 50_000), limit: 1_000_000)
        #expect(result?.value.arrayValue?.isEmpty == false)
        #expect(memory.inUse > 16 * 40_000)
        result = nil
        #expect(memory.inUse == 0)
    }
}

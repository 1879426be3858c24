import JSON
import PrometheusProbes
import TestSupport
import Testing

/// Prometheus refuses a range query of more than 11,000 steps; the probes refuse it first, saying what fits.
@Suite("Range queries and Prometheus's 11,000 steps")
struct RangeStepTests {
    /// A day in steps of 1 s: 86,400 steps. Prometheus divides whole durations: 86400 / 7.854 = 11000.8 counts as
    /// 11,000 steps, so 7.854 s is the smallest step, in whole milliseconds, that fits.
    static let day: JSONObject = [
        "query": "up", "start": "2026-11-24T13:15:49Z", "end": "2026-11-25T13:15:49Z", "step": 1,
    ]

    @Test(arguments: ["query_interval", "query_values"])
    func aStepTooFineForTheRangeIsRefusedBeforeAnyRequestNamingTheStepThatFits(_ probe: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        let failure = await failure(probe, Self.day, baseURL: stub.baseURL)
        #expect(failure?.reason == .invalidArgument)
        #expect(failure?.detail["argument"] == "step")
        #expect(failure?.detail["smallest_step"] == 7.854)
        #expect(
            failure?.message
                == "a range of 86400 s in steps of 1 is 86400 steps, more than the 11,000 Prometheus accepts: give a step of 7.854 seconds or more, or a shorter range"
        )
        #expect(stub.requests.isEmpty)
    }

    @Test func theStepThatTheRefusalNamesIsAccepted() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#))
        var arguments = Self.day
        arguments["step"] = 7.854
        _ = try await call("query_interval", arguments, baseURL: stub.baseURL)
        #expect(stub.requests.count == 1)
        #expect(stub.requests.first?.queryParameters["step"] == "7.854")
    }

    @Test func exactlyElevenThousandStepsAreSent() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#))
        let arguments: JSONObject = ["query": "up", "start": "0", "end": "11000", "step": 1]
        _ = try await call("query_interval", arguments, baseURL: stub.baseURL)
        #expect(stub.requests.count == 1)
    }

    /// Go's time.Duration of a float truncates: 0.00401 s is 4,009,999 ns there, and 44.114 s holds 11,001 of them.
    @Test func theStepIsTruncatedToNanosecondsAsPrometheusReadsIt() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        let failure = await failure(
            "query_interval", ["query": "up", "start": "0", "end": "44.114", "step": 0.00401], baseURL: stub.baseURL)
        #expect(failure?.detail["argument"] == "step")
        #expect(stub.requests.isEmpty)
    }
}

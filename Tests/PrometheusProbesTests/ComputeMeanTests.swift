import ChaosToolkit
import CivilCalendar
import Foundation
import HTTPClient
import JSON
import PrometheusProbes
import TestSupport
import Testing

/// Runs a probe against the shared Prometheus with the clock at `now`.
private func run(_ probe: String, _ arguments: JSONObject, now: UnixTime, baseURL: String) async throws -> JSONValue {
    try await call(probe, arguments, baseURL: baseURL, now: now)
}

/// Every sample the range query of `query` returns over the 30 s before `end` at a 1 s step, fetched with curl.
private func samples(of query: String, end: UnixTime, baseURL: String) async throws -> [Double] {
    let body = try await Subprocess.run(
        "/usr/bin/curl",
        arguments: [
            "-sS", "--max-time", "20", "--get", "--data-urlencode", "query=\(query)",
            "--data-urlencode", "start=\(end.secondsSince1970 - 30)", "--data-urlencode", "end=\(end.secondsSince1970)",
            "--data-urlencode", "step=1", baseURL + "/api/v1/query_range",
        ]
    ).output
    let document = try JSONValue(parsing: Array(body))
    return (document["data"]?["result"]?.arrayValue ?? []).flatMap { series in
        (series["values"]?.arrayValue ?? []).map { Double($0.arrayValue![1].stringValue!)! }
    }
}

/// The failure of a probe against live data, with the real clock.
private func failure(_ probe: String, _ arguments: JSONObject, baseURL: String) async -> FailedActivity? {
    await PrometheusProbesTests.failure(probe, arguments, baseURL: baseURL, now: .now)
}

@Suite("compute_mean and nodes_cpu_usage_mean on a real Prometheus")
struct ComputeMeanTests {
    @Test func eachMeanMatchesOneComputedIndependentlyFromTheSameSamples() async throws {
        let prometheus = try await PrometheusServer.shared()
        let now = UnixTime(secondsSince1970: (UnixTime.now.secondsSince1970 - 2).rounded(.down))
        let values = try await samples(of: "mean_test", end: now, baseURL: prometheus.baseURL)
        #expect(values.count >= 3)
        let count = Double(values.count)
        let expected: [String: Double] = [
            "arithmetic": values.reduce(0, +) / count,
            "geometric": pow(values.reduce(1, *), 1 / count),
            "harmonic": count / values.map { 1 / $0 }.reduce(0, +),
        ]
        for (meanType, mean) in expected {
            let result = try await run(
                "compute_mean", ["query": "mean_test", "window": "30s", "mean_type": .string(meanType)], now: now,
                baseURL: prometheus.baseURL)
            let value = try #require(result.numberValue?.doubleValue)
            #expect(abs(value - mean) <= 1e-9 * mean, "\(meanType): \(value) against \(mean)")
        }
        #expect(Set(expected.values.map { ($0 * 1000).rounded() }).count == 3)
    }

    @Test func theWindowDefaultsToOneDayAndTakesAnyTimeExpression() async throws {
        let prometheus = try await PrometheusServer.shared()
        for window in ["1d", "10 minutes ago", "now-5m", "1h30m"] {
            let result = try await run(
                "compute_mean", ["query": "mean_test", "window": .string(window)], now: .now,
                baseURL: prometheus.baseURL)
            #expect(abs(result.numberValue!.doubleValue - 3.5) < 1e-9, "\(window)")
        }
        let byDefault = try await run("compute_mean", ["query": "mean_test"], now: .now, baseURL: prometheus.baseURL)
        #expect(abs(byDefault.numberValue!.doubleValue - 3.5) < 1e-9)
    }

    @Test func nanSamplesAreLeftOut() async throws {
        let prometheus = try await PrometheusServer.shared()
        let result = try await run(
            "compute_mean", ["query": "nan_test", "window": "1m"], now: .now, baseURL: prometheus.baseURL)
        #expect(result == 4)
    }

    @Test(arguments: ["geometric", "harmonic"])
    func aZeroSampleFailsAMeanThatNeedsPositiveValues(_ meanType: String) async throws {
        let prometheus = try await PrometheusServer.shared()
        let failure = await failure(
            "compute_mean", ["query": "zero_test", "window": "1m", "mean_type": .string(meanType)],
            baseURL: prometheus.baseURL)
        #expect(failure?.reason == .nonPositiveValue)
        #expect(failure?.message.hasPrefix("a \(meanType) mean needs positive values, but ") == true)
        let arithmetic = try await run(
            "compute_mean", ["query": "zero_test", "window": "1m"], now: .now, baseURL: prometheus.baseURL)
        #expect(arithmetic == 2.5)
    }

    @Test func anInfiniteMeanFailsButAHarmonicMeanOfInfinityIsFinite() async throws {
        let prometheus = try await PrometheusServer.shared()
        let failure = await failure("compute_mean", ["query": "inf_test", "window": "1m"], baseURL: prometheus.baseURL)
        #expect(failure?.reason == .nonFiniteMean)
        #expect(failure?.message.contains("is +Inf") == true)
        let harmonic = try await run(
            "compute_mean", ["query": "inf_test", "window": "1m", "mean_type": "harmonic"], now: .now,
            baseURL: prometheus.baseURL)
        #expect(harmonic == 2)
    }

    @Test func anEmptyResultFailsSayingThereIsNoData() async throws {
        let prometheus = try await PrometheusServer.shared()
        let failure = await failure(
            "compute_mean", ["query": "no_such_metric", "window": "1m"], baseURL: prometheus.baseURL)
        #expect(failure?.reason == .noData)
        #expect(failure?.message == "the query 'no_such_metric' returned no data over the last 1m")
    }

    @Test func aQueryPrometheusRejectsFailsWithItsError() async throws {
        let prometheus = try await PrometheusServer.shared()
        let failure = await failure(
            "compute_mean", ["query": "mean_test(", "window": "1m"], baseURL: prometheus.baseURL)
        #expect(failure?.reason == .prometheusError)
        #expect(failure?.message.hasPrefix(#"Prometheus query range {"query":"mean_test(""#) == true)
    }

    @Test func aServerErrorFails() async throws {
        let stub = try StubHTTPServer(always: .init(status: 503, contentType: "text/plain", body: "overloaded"))
        let failure = await failure("compute_mean", ["query": "up"], baseURL: stub.baseURL)
        #expect(failure?.reason == .httpStatus)
        #expect(failure?.message.hasSuffix("failed after 3 attempts: HTTP 503: overloaded") == true)
    }

    @Test func asksForAboutAThousandPointsAndNeverLessThanOneSecondApart() async throws {
        let stub = try StubHTTPServer(
            always: .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}"#)
        )
        _ = try await run(
            "compute_mean", ["query": "up"], now: UnixTime(secondsSince1970: 1_000_000), baseURL: stub.baseURL)
        _ = try await run(
            "compute_mean", ["query": "up", "window": "5m"], now: UnixTime(secondsSince1970: 1_000_000),
            baseURL: stub.baseURL)
        #expect(stub.requests.map { $0.queryParameters["step"] } == ["87", "1"])
        // 993 steps of 87 s before the end, so the end itself is a point.
        #expect(stub.requests.first?.queryParameters["start"] == "1970-01-11T13:46:49.000Z")
        #expect(stub.requests.first?.queryParameters["end"] == "1970-01-12T13:46:40.000Z")
    }

    @Test(arguments: ["in 1 hour", "now", "2 mns"])
    func aWindowThatDoesNotReachIntoThePastFails(_ window: String) async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        let failure = await failure("compute_mean", ["query": "up", "window": .string(window)], baseURL: stub.baseURL)
        #expect(failure?.reason == (window == "2 mns" ? .invalidTime : .invalidArgument))
        #expect(stub.requests.isEmpty)
    }

    @Test func nodesCPUUsageMeanIsAPercentage() async throws {
        let prometheus = try await PrometheusServer.shared()
        let result = try await run("nodes_cpu_usage_mean", ["window": "30s"], now: .now, baseURL: prometheus.baseURL)
        let percent = try #require(result.numberValue?.doubleValue)
        #expect((0...100).contains(percent))
    }
}

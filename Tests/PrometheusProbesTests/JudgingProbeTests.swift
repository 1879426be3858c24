import ChaosToolkit
import Foundation
import JSON
import PrometheusProbes
import TestSupport
import Testing

/// The probes that judge values, against the shared Prometheus and the series of known values it scrapes:
/// `mean_test` {a: 2, b: 8, c: 0.5}, `nan_test` {a: NaN, b: 4}, `zero_test` {a: 0, b: 5}, `inf_test` {a: +Inf, b: 1}.
@Suite("query_value, query_values, check_threshold, change_ratio on a real Prometheus")
struct JudgingProbeTests {
    /// Calls `probe` against the shared Prometheus at the real time (the data is only minutes old).
    private func run(_ probe: String, _ arguments: JSONObject) async throws -> JSONValue {
        let prometheus = try await PrometheusServer.shared()
        return try await call(probe, arguments, baseURL: prometheus.baseURL, now: .now)
    }

    private func failing(_ probe: String, _ arguments: JSONObject) async throws -> FailedActivity {
        let prometheus = try await PrometheusServer.shared()
        return try #require(await failure(probe, arguments, baseURL: prometheus.baseURL, now: .now))
    }

    @Test func aSingleSeriesGivesItsValue() async throws {
        #expect(try await run("query_value", ["query": #"mean_test{series="a"}"#]) == 2)
    }

    @Test func aScalarGivesItsValueExactlyAsWritten() async throws {
        #expect(try await run("query_value", ["query": "scalar(vector(0.1))"]) == .number(JSONNumber(exactly: "0.1")!))
    }

    @Test func severalSeriesWithoutReduceFailListingThem() async throws {
        let failure = try await failing("query_value", ["query": "mean_test"])
        #expect(failure.reason == .ambiguousResult)
        #expect(failure.message.contains("returned 3 series where one value is wanted: give 'reduce'"))
        #expect(
            failure.message.contains(#"mean_test{"#) && failure.message.contains(#"series="b""#)
                && failure.message.contains("= 8"))
    }

    @Test(arguments: [("min", JSONValue(0.5)), ("max", 8), ("mean", 3.5), ("sum", 10.5), ("count", 3)])
    func severalSeriesAreReduced(_ reduce: String, _ expected: JSONValue) async throws {
        #expect(try await run("query_value", ["query": "mean_test", "reduce": .string(reduce)]) == expected)
    }

    @Test func anEmptyResultFailsAsNoData() async throws {
        let failure = try await failing("query_value", ["query": "no_such_metric_anywhere"])
        #expect(failure.reason == .noData)
        #expect(
            failure.message
                == "the query 'no_such_metric_anywhere' returned no series, so there is nothing to judge: give 'on_empty' to use a number instead"
        )
    }

    @Test func anEmptyResultGivesOnEmptyWhenGiven() async throws {
        #expect(try await run("query_value", ["query": "no_such_metric_anywhere", "on_empty": 0]) == 0)
    }

    @Test func nanSamplesAreLeftOut() async throws {
        #expect(try await run("query_value", ["query": "nan_test"]) == 4)
        let failure = try await failing("query_value", ["query": #"nan_test{series="a"}"#])
        #expect(failure.reason == .noData)
        #expect(failure.message.contains("returned only NaN (1 series)"))
    }

    @Test func anInfiniteValueFails() async throws {
        let failure = try await failing("query_value", ["query": #"inf_test{series="a"}"#])
        #expect(failure.reason == .nonFiniteValue)
        #expect(try await failing("query_value", ["query": "inf_test", "reduce": "max"]).reason == .nonFiniteValue)
    }

    @Test func aRangeVectorIsRefusedWithAHint() async throws {
        let failure = try await failing("query_value", ["query": "mean_test[1m]"])
        #expect(failure.reason == .invalidArgument)
        #expect(failure.message.contains("returns a range vector"))
    }

    @Test func queryValuesGivesEverySeriesWithANumber() async throws {
        let result = try await run("query_values", ["query": "sort(nan_test)"])
        let values = try #require(result.arrayValue)
        #expect(values.count == 2)
        let byName = Dictionary(
            uniqueKeysWithValues: values.compactMap { item in
                item["labels"]?["series"]?.stringValue.map { ($0, item["value"] ?? .null) }
            })
        #expect(byName == ["a": .null, "b": 4])
    }

    @Test func queryValuesGivesThePointsOfARange() async throws {
        let result = try await run(
            "query_values",
            [
                // The shared servers hold at least 4 s of these samples: see SharedServers.
                "query": #"mean_test{series="c"}"#, "start": "4 seconds ago", "end": "now", "step": 2,
            ])
        let series = try #require(result.arrayValue?.first)
        #expect(series["labels"]?["series"] == "c")
        let points = try #require(series["values"]?.arrayValue)
        #expect(points.count == 3)
        #expect(points.allSatisfy { $0.arrayValue?.last == 0.5 && $0.arrayValue?.first?.numberValue != nil })
    }

    @Test func queryValuesRefusesHalfARange() async throws {
        let failure = try await failing("query_values", ["query": "up", "start": "1m"])
        #expect(failure.reason == .invalidArgument)
        #expect(failure.detail["argument"] == "end")
    }

    @Test(
        arguments: [
            ("==", JSONValue(2), true), ("==", 3, false), ("!=", 2, false), ("!=", 3, true), ("<", 3, true),
            ("<", 2, false),
            ("<=", 2, true), ("<=", 1, false), (">", 1, true), (">", 2, false), (">=", 2, true), (">=", 3, false),
            ("between", [1, 3], true), ("between", [2, 2], true), ("between", [3, 4], false),
            ("outside", [3, 4], true), ("outside", [1, 3], false),
        ] as [(String, JSONValue, Bool)])
    func everyComparatorJudgesTheValue(_ comparison: String, _ threshold: JSONValue, _ expected: Bool) async throws {
        let result = try await run(
            "check_threshold",
            ["query": #"mean_test{series="a"}"#, "operator": .string(comparison), "threshold": threshold])
        #expect(result == .bool(expected))
    }

    @Test func allMeansEverySeriesAndAnyMeansOne() async throws {
        #expect(try await run("check_threshold", ["query": "mean_test", "operator": ">", "threshold": 1]) == false)
        #expect(
            try await run("check_threshold", ["query": "mean_test", "operator": ">", "threshold": 1, "match": "any"])
                == true)
        #expect(
            try await run("check_threshold", ["query": "mean_test", "operator": ">", "threshold": 0.1, "match": "all"])
                == true)
    }

    @Test func reduceComparesOneValue() async throws {
        #expect(
            try await run("check_threshold", ["query": "mean_test", "operator": "<", "threshold": 9, "reduce": "max"])
                == true)
        #expect(
            try await run("check_threshold", ["query": "mean_test", "operator": "<", "threshold": 3, "reduce": "mean"])
                == false)
    }

    @Test func detailGivesTheObservedValues() async throws {
        let result = try await run(
            "check_threshold", ["query": #"mean_test{series="b"}"#, "operator": "<", "threshold": 5, "detail": true])
        #expect(result["passed"] == false)
        #expect(result["condition"] == "< 5")
        #expect(result["observed"]?.arrayValue?.first?["value"] == 8)
        #expect(result["observed"]?.arrayValue?.first?["labels"]?["series"] == "b")
    }

    @Test func couldNotMeasureIsAFailureNeverFalse() async throws {
        let empty = try await failing(
            "check_threshold", ["query": "no_such_metric_anywhere", "operator": "<", "threshold": 1])
        #expect(empty.reason == .noData)
        let unreachable = await failure(
            "check_threshold", ["query": "up", "operator": "<", "threshold": 1], baseURL: Loopback.refusedURL,
            configuration: ["prometheus_http_attempts": 1])
        #expect(unreachable?.reason == .unreachable)
        let rejected = try await failing("check_threshold", ["query": "up(", "operator": "<", "threshold": 1])
        #expect(rejected.reason == .prometheusError)
    }

    @Test func aThresholdOfTheWrongShapeIsRefused() async throws {
        let failure = try await failing("check_threshold", ["query": "up", "operator": "between", "threshold": 1])
        #expect(failure.reason == .invalidArgument)
        #expect(
            failure.message
                == "operator 'between' takes 'threshold' as a range [low, high] of finite numbers with low <= high, not 1"
        )
        let reversed = try await failing(
            "check_threshold", ["query": "up", "operator": "outside", "threshold": [3, 1]])
        #expect(reversed.reason == .invalidArgument)
    }

    @Test func changeRatioDividesNowByTheBaseline() async throws {
        #expect(try await run("change_ratio", ["query": #"mean_test{series="b"}"#, "baseline": "3 seconds ago"]) == 1)
        let prometheus = try await PrometheusServer.shared()
        // time() at a fixed clock: its value is the evaluation time itself.
        let ratio = try await call(
            "change_ratio", ["query": "time()", "baseline": "10 minutes ago"], baseURL: prometheus.baseURL)
        let expected = fixedNow.secondsSince1970 / (fixedNow.secondsSince1970 - 600)
        #expect(abs((ratio.numberValue?.doubleValue ?? 0) - expected) < 1e-12)
    }

    @Test func aZeroBaselineHasNoRatio() async throws {
        let failure = try await failing(
            "change_ratio", ["query": #"zero_test{series="a"}"#, "baseline": "3 seconds ago"])
        #expect(failure.reason == .zeroBaseline)
    }

    @Test func queryValuesGivesNullForInfiniteValues() async throws {
        let result = try await run("query_values", ["query": #"inf_test{series="a"}"#])
        #expect(result.arrayValue?.first?["value"] == .null)
    }

    @Test func queryValuesRefusesWhenTogetherWithARange() async throws {
        let failure = try await failing("query_values", ["query": "up", "when": "now", "start": "1m", "end": "now"])
        #expect(failure.reason == .invalidArgument)
        #expect(failure.detail["argument"] == "when")
    }

    @Test func changeRatioRefusesABaselineThatIsNotBeforeWhen() async throws {
        let failure = try await failing(
            "change_ratio", ["query": "vector(1)", "baseline": "now", "when": "1 minute ago"])
        #expect(failure.reason == .invalidArgument)
        #expect(failure.detail["argument"] == "baseline")
    }

}

@Suite("wait_for_threshold on a real Prometheus")
struct WaitForThresholdTests {
    @Test func succeedsOnceTheValueChanges() async throws {
        let servers = try await SharedServers.shared.get()
        let metric = "wait_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await servers.set(metric, to: "0")
        async let waited = call(
            "wait_for_threshold",
            [
                "query": .string(metric), "operator": ">", "threshold": 5, "timeout": "60s", "interval": "500ms",
                "consecutive": 2,
            ],
            baseURL: servers.prometheus.baseURL, now: .now)
        try await Task.sleep(for: .seconds(2))
        try await servers.set(metric, to: "10")
        #expect(try await waited == 10)
    }

    @Test func failsPastTheTimeoutWithTheLastValueAndTheChecksThatHeld() async throws {
        let prometheus = try await PrometheusServer.shared()
        let started = ContinuousClock.now
        let failure = try #require(
            await failure(
                "wait_for_threshold",
                [
                    "query": #"mean_test{series="a"}"#, "operator": ">", "threshold": 100, "timeout": "8s",
                    "interval": "2s",
                ],
                baseURL: prometheus.baseURL, now: .now))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(failure.reason == .thresholdNotMet)
        #expect(
            failure.message.hasPrefix(
                #"'mean_test{series="a"}' > 100 did not hold for 1 consecutive check within 8 s: 0 of "#))
        #expect(failure.message.contains(#"the last value seen was [{"labels":{"#))
        #expect((failure.detail["checks"]?.numberValue?.intValue ?? 0) >= 1)
        #expect(failure.detail["held"] == 0)
    }

    @Test func aQueryPrometheusRejectsFailsAtOnce() async throws {
        let prometheus = try await PrometheusServer.shared()
        let started = ContinuousClock.now
        let failure = await failure(
            "wait_for_threshold",
            ["query": "up(", "operator": ">", "threshold": 1, "timeout": "60s", "interval": "1s"],
            baseURL: prometheus.baseURL, now: .now)
        #expect(failure?.reason == .prometheusError)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func cancellingStopsTheWaitAtOnce() async throws {
        let prometheus = try await PrometheusServer.shared()
        let waiting = Task {
            try await call(
                "wait_for_threshold",
                ["query": "vector(1)", "operator": ">", "threshold": 5, "timeout": "10m", "interval": "1s"],
                baseURL: prometheus.baseURL, now: .now)
        }
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(ContinuousClock.now - started < .seconds(60))  // far from the wait's 10 minutes
    }
}

@Suite("alerts and targets on a real Prometheus")
struct AlertsAndTargetsTests {
    private func run(_ probe: String, _ arguments: JSONObject) async throws -> [JSONValue] {
        let prometheus = try await PrometheusServer.shared()
        return try #require(try await call(probe, arguments, baseURL: prometheus.baseURL, now: .now).arrayValue)
    }

    @Test func firingAlertsAreListedByDefault() async throws {
        let alerts = try await run("alerts", [:])
        #expect(alerts.map { $0["labels"]?["alertname"] } == ["ChaosTestAlwaysFiring"])
        #expect(alerts.first?["state"] == "firing")
        #expect(alerts.first?["annotations"]?["summary"] == "always firing")
    }

    @Test func alertsAreFilteredByStateAndMatchers() async throws {
        #expect(
            try await run("alerts", ["state": "pending"]).map { $0["labels"]?["alertname"] } == ["ChaosTestLongPending"]
        )
        #expect(try await run("alerts", ["state": "any"]).count == 2)
        #expect(try await run("alerts", ["state": "any", "matchers": [#"severity="critical""#]]).count == 1)
        #expect(try await run("alerts", ["matchers": [#"severity!="critical""#]]).isEmpty)
        #expect(try await run("alerts", ["state": "any", "matchers": [#"service=~"a.*|web""#]]).count == 2)
        #expect(
            try await run("alerts", ["state": "any", "matchers": [#"service!~"api""#, "severity='warning'"]]).count == 1
        )
    }

    @Test func anUnreadableMatcherIsRefused() async throws {
        let prometheus = try await PrometheusServer.shared()
        for matcher in ["severity", #"severity=critical"#, #"=~"x""#, #"job=~"(""#] {
            let failure = await failure("alerts", ["matchers": [.string(matcher)]], baseURL: prometheus.baseURL)
            #expect(failure?.reason == .invalidArgument, "\(matcher)")
        }
    }

    @Test func targetsGiveTheHealthOfEachJob() async throws {
        let targets = try await run("targets", [:])
        #expect(Set(targets.compactMap { $0["labels"]?["job"]?.stringValue }) == ["prometheus", "pushgateway", "node"])
        #expect(
            targets.allSatisfy {
                $0["health"] == "up" && $0["scrapeUrl"]?.stringValue != nil && $0["discoveredLabels"] == nil
            })
    }

    @Test func targetsAreFilteredByJobHealthAndMatchers() async throws {
        #expect(try await run("targets", ["job": "node"]).count == 1)
        #expect(try await run("targets", ["job": "node", "health": "down"]).isEmpty)
        #expect(try await run("targets", ["matchers": [#"job=~"push.*|node""#]]).count == 2)
    }

    @Test func aRegularExpressionMustMatchTheWholeValue() async throws {
        // "ap" is in "api", but is not all of it.
        #expect(try await run("alerts", ["state": "any", "matchers": [#"service=~"ap""#]]).isEmpty)
        #expect(try await run("alerts", ["state": "any", "matchers": [#"service!~"ap""#]]).count == 2)
    }

    @Test func anAbsentLabelHasTheEmptyValue() async throws {
        #expect(try await run("alerts", ["state": "any", "matchers": [#"team="""#]]).count == 2)
        #expect(try await run("alerts", ["state": "any", "matchers": [#"team!="""#]]).isEmpty)
    }

}

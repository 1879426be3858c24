import ActivityHTTP
import ChaosToolkit
import JSON
import Testing

@testable import PrometheusProbes

@Suite("Durations for step and timeout")
struct PrometheusDurationTests {
    @Test(arguments: [
        (JSONValue(15), 15.0, "15"), ("15s", 15, "15s"), ("1m30s", 90, "1m30s"), ("2h", 7200, "2h"),
        ("500ms", 0.5, "500ms"), ("1d2h", 93_600, "1d2h"), ("1.5", 1.5, "1.5"), (0.25, 0.25, "0.25"),
        ("1y", 31_536_000, "1y"), ("1w", 604_800, "1w"),
    ])
    func readsSecondsOrADurationString(_ value: JSONValue, _ seconds: Double, _ text: String) throws {
        let duration = try #require(PrometheusDuration(value))
        #expect(duration.seconds == seconds)
        #expect(duration.text == text)
    }

    @Test(arguments: [
        JSONValue(0), -1, "0s", "", "15 s", "s", "1s1m", "1m1m", "abc", true, nil, [15], "-5s", "1.5m", "5sec",
    ])
    func refusesAnythingElse(_ value: JSONValue) {
        #expect(PrometheusDuration(value) == nil)
    }
}

/// The settings of a call with `configuration` and `secrets`, whose environment references resolve from
/// `environment`, with the built-in default base URL.
func settings(
    _ configuration: JSONObject, secrets: JSONObject = [:], environment: [String: String] = [:]
) throws(FailedActivity) -> PrometheusSettings {
    try PrometheusSettings(
        configuration: ActivityMapping(configuration, kind: .configuration, environment: environment),
        secrets: ActivityMapping(secrets, kind: .secrets, environment: environment),
        defaultBaseURL: PrometheusSettings.builtInBaseURL)
}

@Suite("Settings from configuration")
struct PrometheusSettingsTests {

    @Test func defaultsToTheBuiltInBaseURLAndDeadline() throws {
        let settings = try PrometheusProbesTests.settings([:])
        #expect(settings.baseURL == "http://localhost:9090")
        #expect(settings.httpTimeout == .seconds(30))
    }

    @Test(arguments: [
        ("http://prom:9090/", "http://prom:9090"), ("https://prom.example.com//", "https://prom.example.com"),
        ("http://host/prometheus", "http://host/prometheus"), ("http://host/prometheus/", "http://host/prometheus"),
        (" http://prom:9090 ", "http://prom:9090"),
    ])
    func takesTheBaseURLWithoutTrailingSlashes(_ given: String, _ expected: String) throws {
        let settings = try PrometheusProbesTests.settings(["prometheus_base_url": .string(given)])
        #expect(settings.baseURL == expected)
    }

    @Test(arguments: [
        JSONValue("localhost:9090"), "ftp://prom", "http://", "prom", "http://prom:9090/?x=1", 9090, ["url"],
    ])
    func refusesABaseURLThatIsNotHTTP(_ value: JSONValue) {
        let failure = #expect(throws: FailedActivity.self) {
            try settings(["prometheus_base_url": value])
        }
        #expect(failure?.reason == .invalidConfiguration)
        #expect(failure?.message.hasPrefix("configuration 'prometheus_base_url' must be") == true)
    }

    @Test func readsTheHTTPDeadline() throws {
        let seconds = try settings(["prometheus_http_timeout": 2.5])
        #expect(seconds.httpTimeout == .milliseconds(2500))
        let text = try settings(["prometheus_http_timeout": "1m"])
        #expect(text.httpTimeout == .seconds(60))
    }

    @Test(arguments: [JSONValue(0), -3, "soon", true])
    func refusesADeadlineThatIsNotPositive(_ value: JSONValue) {
        let failure = #expect(throws: FailedActivity.self) {
            try settings(["prometheus_http_timeout": value])
        }
        #expect(failure?.reason == .invalidConfiguration)
    }

    @Test func neverWaitsLessThanTheQuerysOwnTimeoutPlusFiveSeconds() throws {
        let settings = try PrometheusProbesTests.settings(["prometheus_http_timeout": 30])
        #expect(settings.deadline(queryTimeout: nil) == .seconds(30))
        #expect(settings.deadline(queryTimeout: PrometheusDuration(10)) == .seconds(30))
        #expect(settings.deadline(queryTimeout: PrometheusDuration("2m")) == .seconds(125))
    }
}

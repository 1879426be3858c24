import ChaosToolkit
import CivilCalendar
import Foundation
import HTTPClient
import JSON
import PrometheusProbes
import Testing

/// One HTTP client for all the probe tests, as the plugin has.
let http = HTTPClient()

/// The fixed clock of the probe tests: 25 November 2026, 13:15:49.250 UTC.
let fixedNow = UnixTime(secondsSince1970: 1_795_612_549.25)

/// Calls a probe in-process against `baseURL`, with the clock at `now` and local time in UTC.
func call(
    _ probe: String, _ arguments: JSONObject, baseURL: String, configuration: JSONObject = [:],
    secrets: JSONObject = [:], now: UnixTime = fixedNow
) async throws -> JSONValue {
    let environment = ProbeEnvironment(
        client: PrometheusClient(http: http, logger: .disabled), now: { now }, timeZone: LocalZone.utc,
        logger: .disabled)
    var configuration = configuration
    if configuration["prometheus_base_url"] == nil { configuration["prometheus_base_url"] = .string(baseURL) }
    let catalogue = ActivityCatalogue(
        extensionName: PrometheusExtension.name, version: PrometheusExtension.version, target: "prometheus",
        activities: PrometheusExtension.probes(environment))
    let activity = try #require(catalogue.activity(named: probe))
    // Read as a value: what a host would parse from the text passed on.
    return try await activity.run(
        arguments: arguments, configuration: configuration, secrets: secrets, environment: [:]
    ).value
}

/// The `FailedActivity` a probe call ends with; records an issue when it succeeds or fails otherwise.
func failure(
    _ probe: String, _ arguments: JSONObject, baseURL: String, configuration: JSONObject = [:],
    secrets: JSONObject = [:], now: UnixTime = fixedNow
) async -> FailedActivity? {
    do {
        _ = try await call(probe, arguments, baseURL: baseURL, configuration: configuration, secrets: secrets, now: now)
        Issue.record("expected \(probe) to fail")
    } catch let failure as FailedActivity {
        return failure
    } catch {
        Issue.record("expected a FailedActivity, got \(error)")
    }
    return nil
}

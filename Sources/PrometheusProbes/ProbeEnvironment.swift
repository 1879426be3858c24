import CivilCalendar
import HTTPClient
import PluginLog

/// What the probes share across calls: the HTTP client, the clock, and process-wide defaults.
///
/// The clock and time zone are injectable so tests of time expressions are exact.
package struct ProbeEnvironment: Sendable {
    /// Queries Prometheus.
    package var client: PrometheusClient
    /// The current time.
    package var now: @Sendable () -> UnixTime
    /// The zone of local dates (`2026-11-25 13:00`) and of calendar arithmetic (`1 month ago`).
    package var timeZone: LocalZone
    /// The base URL used when a call's configuration has no `prometheus_base_url`.
    package var defaultBaseURL: String
    package var logger: Logger

    package init(
        client: PrometheusClient, now: @escaping @Sendable () -> UnixTime = { .now }, timeZone: LocalZone = .current,
        defaultBaseURL: String = PrometheusSettings.builtInBaseURL, logger: Logger
    ) {
        self.client = client
        self.now = now
        self.timeZone = timeZone
        self.defaultBaseURL = defaultBaseURL
        self.logger = logger
    }
}

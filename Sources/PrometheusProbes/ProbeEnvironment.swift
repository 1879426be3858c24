import CivilCalendar
import HTTPClient
import PluginLog

/// What the probes share across calls: the HTTP client, the clock, and process-wide defaults.
///
/// The clock and time zone are injectable so tests of time expressions are exact.
public struct ProbeEnvironment: Sendable {
    /// Queries Prometheus.
    public var client: PrometheusClient
    /// The current time.
    public var now: @Sendable () -> UnixTime
    /// The zone of local dates (`2026-11-25 13:00`) and of calendar arithmetic (`1 month ago`).
    public var timeZone: LocalZone
    /// The base URL used when a call's configuration has no `prometheus_base_url`.
    public var defaultBaseURL: String
    public var logger: Logger

    public init(
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

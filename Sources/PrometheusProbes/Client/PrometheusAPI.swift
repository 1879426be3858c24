/// The Prometheus HTTP API endpoints the probes call, and the words their failures begin with.
public enum PrometheusAPI: Sendable {
    /// `GET /api/v1/query`: an instant query.
    case query
    /// `GET /api/v1/query_range`: a range query.
    case queryRange
    /// `GET /api/v1/alerts`: the alerts of the alerting rules, pending and firing.
    case alerts
    /// `GET /api/v1/targets`: the scrape targets and their health.
    case targets

    /// The path below the base URL.
    var path: String {
        switch self {
        case .query: "/api/v1/query"
        case .queryRange: "/api/v1/query_range"
        case .alerts: "/api/v1/alerts"
        case .targets: "/api/v1/targets"
        }
    }

    /// How a failure message begins, as in the Python original: `Prometheus query` or `Prometheus query range`.
    var failurePrefix: String {
        switch self {
        case .query: "Prometheus query"
        case .queryRange: "Prometheus query range"
        case .alerts: "Prometheus alerts"
        case .targets: "Prometheus targets"
        }
    }
}

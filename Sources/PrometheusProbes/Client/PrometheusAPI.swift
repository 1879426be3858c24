/// The Prometheus HTTP API endpoints the probes call, and the words their failures begin with.
package enum PrometheusAPI: Sendable, Equatable {
    /// `GET /api/v1/query`: an instant query.
    case query
    /// `GET /api/v1/query_range`: a range query.
    case queryRange
    /// `GET /api/v1/alerts`: the alerts of the alerting rules, pending and firing.
    case alerts
    /// `GET /api/v1/targets`: the scrape targets and their health.
    case targets
    /// `GET /api/v1/labels`: the label names.
    case labelNames
    /// `GET /api/v1/label/<name>/values`: the values of one label (`__name__`: the metric names). The name must
    /// be a valid label name, which needs no escaping in a path.
    case labelValues(String)
    /// `GET /api/v1/series`: the series that match selectors.
    case series
    /// `GET /api/v1/metadata`: the type, help and unit of metrics.
    case metadata
    /// `GET /api/v1/rules`: the recording and alerting rules.
    case rules
    /// `GET /api/v1/format_query`: a query parsed and written back, never evaluated (Prometheus 2.38 and later).
    case formatQuery

    /// The path below the base URL.
    var path: String {
        switch self {
        case .query: "/api/v1/query"
        case .queryRange: "/api/v1/query_range"
        case .alerts: "/api/v1/alerts"
        case .targets: "/api/v1/targets"
        case .labelNames: "/api/v1/labels"
        case .labelValues(let name): "/api/v1/label/\(name)/values"
        case .series: "/api/v1/series"
        case .metadata: "/api/v1/metadata"
        case .rules: "/api/v1/rules"
        case .formatQuery: "/api/v1/format_query"
        }
    }

    /// How a failure message begins, as in the Python original: `Prometheus query` or `Prometheus query range`.
    var failurePrefix: String {
        switch self {
        case .query: "Prometheus query"
        case .queryRange: "Prometheus query range"
        case .alerts: "Prometheus alerts"
        case .targets: "Prometheus targets"
        case .labelNames: "Prometheus label names"
        case .labelValues(let name): "Prometheus values of label \(name)"
        case .series: "Prometheus series"
        case .metadata: "Prometheus metadata"
        case .rules: "Prometheus rules"
        case .formatQuery: "Prometheus format_query"
        }
    }
}

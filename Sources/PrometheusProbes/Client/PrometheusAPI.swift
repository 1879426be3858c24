/// The Prometheus HTTP API endpoints the probes call, and the words their failures begin with.
public enum PrometheusAPI: Sendable {
    /// `GET /api/v1/query`: an instant query.
    case query
    /// `GET /api/v1/query_range`: a range query.
    case queryRange

    /// The path below the base URL.
    var path: String {
        switch self {
        case .query: "/api/v1/query"
        case .queryRange: "/api/v1/query_range"
        }
    }

    /// How a failure message begins, as in the Python original: `Prometheus query` or `Prometheus query range`.
    var failurePrefix: String {
        switch self {
        case .query: "Prometheus query"
        case .queryRange: "Prometheus query range"
        }
    }
}

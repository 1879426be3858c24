import ChaosToolkit
import Foundation
import JSON

/// Where a call's Prometheus is and how long the plugin waits for it, read from the call's configuration.
///
/// Configuration keys:
/// - `prometheus_base_url`: the server's URL, default `http://localhost:9090` (or the plugin's
///   `--prometheus-base-url`); a path prefix (`http://host/prometheus`) and a trailing slash both work.
/// - `prometheus_http_timeout`: the plugin's own deadline for one HTTP exchange, in seconds or as a duration
///   string (`"45s"`), default 30. It is never shorter than a query's own `timeout` plus 5 seconds, so
///   Prometheus's answer to a slow query arrives before the plugin gives up.
public struct PrometheusSettings: Sendable {
    /// The base URL without trailing slashes.
    public let baseURL: String
    /// The deadline for one HTTP exchange, before a query's `timeout` is taken into account.
    public let httpTimeout: Duration

    /// The built-in base URL, as in the Python original.
    public static let builtInBaseURL = "http://localhost:9090"
    /// The built-in HTTP deadline.
    public static let defaultHTTPTimeout: Duration = .seconds(30)

    /// Reads the settings from `configuration`, falling back to `defaultBaseURL`.
    public init(configuration: JSONObject, defaultBaseURL: String) throws(FailedActivity) {
        let base: String
        switch configuration["prometheus_base_url"] {
        case nil, .null?: base = defaultBaseURL
        case .string(let text)?: base = text
        case let other?:
            throw FailedActivity(
                "configuration 'prometheus_base_url' must be a string such as \"http://localhost:9090\", not \(other.typeDescription)",
                reason: .invalidConfiguration)
        }
        baseURL = try Self.validatedBaseURL(base, source: "configuration 'prometheus_base_url'")

        switch configuration["prometheus_http_timeout"] {
        case nil, .null?: httpTimeout = Self.defaultHTTPTimeout
        case let value?:
            guard let duration = PrometheusDuration(value), duration.seconds <= 86_400 * 365 else {
                throw FailedActivity(
                    "configuration 'prometheus_http_timeout' must be a positive number of seconds or a duration such as \"30s\", at most a year, not \(value.serializedString())",
                    reason: .invalidConfiguration)
            }
            httpTimeout = .milliseconds(Int64((duration.seconds * 1000).rounded(.up)))
        }
    }

    /// The deadline for a query whose server-side timeout is `queryTimeout`.
    public func deadline(queryTimeout: PrometheusDuration?) -> Duration {
        guard let queryTimeout else { return httpTimeout }
        let needed = Duration.milliseconds(Int64(min(queryTimeout.seconds, 86_400 * 365) * 1000)) + .seconds(5)
        return max(httpTimeout, needed)
    }

    /// `text` as a base URL without trailing slashes, or a failure saying that `source` must be an http(s) URL.
    public static func validatedBaseURL(_ text: String, source: String) throws(FailedActivity) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw FailedActivity(
                "\(source) must be an http or https URL without a query, such as \"http://localhost:9090\", not '\(text)'",
                reason: .invalidConfiguration)
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}

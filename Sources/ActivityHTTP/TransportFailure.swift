import ChaosToolkit
import HTTPClient
import JSON

/// The classes of failure of an exchange with a server over HTTP, sent as `data.reason` of a `FailedActivity`.
extension FailedActivity.Reason {
    /// No connection could be made: refused, no route, or a host name that does not resolve.
    package static let unreachable = Self(rawValue: "unreachable")
    /// The answer was not complete within the HTTP deadline.
    package static let timeout = Self(rawValue: "timeout")
    /// The TLS handshake or certificate verification failed.
    package static let tls = Self(rawValue: "tls")
    /// The server answered 401: it wants credentials, or other ones than the call sent.
    package static let unauthorized = Self(rawValue: "unauthorized")
    /// The server answered 403: the credentials are known but not allowed (a wrong tenant, a missing role).
    package static let forbidden = Self(rawValue: "forbidden")
    /// A call with credentials was redirected to another origin, and the redirect was not followed.
    package static let redirectRefused = Self(rawValue: "redirect_refused")
    /// The server answered with a status other than 2xx (and, from Prometheus, without its error document).
    package static let httpStatus = Self(rawValue: "http_status")
    /// Redirects went on past the limit of 5, or in a loop.
    package static let tooManyRedirects = Self(rawValue: "too_many_redirects")
    /// The body was larger than the plugin accepts.
    package static let responseTooLarge = Self(rawValue: "response_too_large")
    /// The answer did not fit in the memory the plugin gives response bodies (`--max-response-memory`), which
    /// the answers of other calls in flight held.
    package static let memoryBudgetExceeded = Self(rawValue: "memory_budget_exceeded")
    /// The connection failed during the exchange (reset, cut short, protocol error).
    package static let transportError = Self(rawValue: "transport_error")
}

extension FailedActivity {
    /// The failure for an exchange with `service` ("Prometheus") at `baseURL` that produced no response;
    /// `prefix` says what was being done ("Prometheus query {...} failed") and `deadline` is the one that applied,
    /// set by `deadlineSetting`.
    package static func transport(
        _ error: HTTPError, prefix: String, service: String, baseURL: String, url: String, deadline: Duration,
        deadlineSetting: String
    ) -> FailedActivity {
        var detail: JSONObject = ["url": .string(url)]
        let prefix = error.attempts > 1 ? "\(prefix) after \(error.attempts) attempts" : prefix
        if error.attempts > 1 { detail["attempts"] = .number(JSONNumber(error.attempts)) }
        let (what, reason): (String, Reason) =
            switch error.kind {
            case .couldNotConnect: ("cannot connect to \(service) at \(baseURL): \(error.message)", .unreachable)
            case .hostNotFound: ("the host of \(baseURL) is not found: \(error.message)", .unreachable)
            case .timedOut:
                ("no complete answer from \(baseURL) within \(deadline.formatted) (\(deadlineSetting))", .timeout)
            case .tls, .tlsAlert: ("TLS with \(baseURL) failed: \(error.message)", .tls)
            case .tooManyRedirects: ("too many redirects from \(baseURL): \(error.message)", .tooManyRedirects)
            case .redirectToOtherOrigin: (error.message, .redirectRefused)
            case .responseTooLarge: (error.message, .responseTooLarge)
            case .memoryBudgetExceeded:
                (
                    "the answer from \(baseURL) did not fit: \(error.message); call again once other calls are "
                        + "answered, or give the plugin more (--max-response-memory)",
                    .memoryBudgetExceeded
                )
            case .invalidURL: ("the URL built from \(baseURL) is not valid: \(error.message)", .invalidConfiguration)
            case .transport, .optionRefused: ("the exchange with \(baseURL) failed: \(error.message)", .transportError)
            }
        return FailedActivity("\(prefix): \(what)", reason: reason, detail: detail)
    }
}

extension Duration {
    /// `30 s`, `1.5 s`: seconds for a person.
    package var formatted: String {
        let (seconds, attoseconds) = components
        let fraction = Double(attoseconds) / 1e18
        return fraction == 0 ? "\(seconds) s" : "\(Double(seconds) + fraction) s"
    }
}

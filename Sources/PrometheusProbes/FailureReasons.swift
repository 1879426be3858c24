import ChaosToolkit

/// The classes of failure of the Prometheus probes, sent as `data.reason` of a `FailedActivity`.
extension FailedActivity.Reason {
    /// A time argument (`when`, `start`, `end`) could not be read.
    public static let invalidTime = Self(rawValue: "invalid_time")
    /// No connection could be made: refused, no route, or a host name that does not resolve.
    public static let unreachable = Self(rawValue: "unreachable")
    /// The answer was not complete within the HTTP deadline.
    public static let timeout = Self(rawValue: "timeout")
    /// The TLS handshake or certificate verification failed.
    public static let tls = Self(rawValue: "tls")
    /// The server answered 401: it wants credentials, or other ones than the call sent.
    public static let unauthorized = Self(rawValue: "unauthorized")
    /// The server answered 403: the credentials are known but not allowed (a wrong tenant, a missing role).
    public static let forbidden = Self(rawValue: "forbidden")
    /// A call with credentials was redirected to another origin, and the redirect was not followed.
    public static let redirectRefused = Self(rawValue: "redirect_refused")
    /// The server answered with a non-2xx status and no Prometheus error document.
    public static let httpStatus = Self(rawValue: "http_status")
    /// Prometheus answered with its error document (`"status": "error"`), whatever the HTTP status.
    public static let prometheusError = Self(rawValue: "prometheus_error")
    /// A 2xx answer whose body is not a Prometheus response document (not JSON, or no `status`).
    public static let badResponse = Self(rawValue: "bad_response")
    /// Redirects went on past the limit of 5, or in a loop.
    public static let tooManyRedirects = Self(rawValue: "too_many_redirects")
    /// The body was larger than the plugin accepts.
    public static let responseTooLarge = Self(rawValue: "response_too_large")
    /// The answer did not fit in the memory the plugin gives response bodies (`--max-response-memory`), which
    /// the answers of other calls in flight held.
    public static let memoryBudgetExceeded = Self(rawValue: "memory_budget_exceeded")
    /// The connection failed during the exchange (reset, cut short, protocol error).
    public static let transportError = Self(rawValue: "transport_error")
}

extension FailedActivity.Reason {
    /// A mean was asked of a query that returned no samples (or only NaN) over its window.
    public static let noData = Self(rawValue: "no_data")
    /// A geometric or harmonic mean was asked of data holding zero or negative values.
    public static let nonPositiveValue = Self(rawValue: "non_positive_value")
    /// The mean is infinite, which a JSON number cannot carry.
    public static let nonFiniteMean = Self(rawValue: "non_finite_mean")
}

extension FailedActivity.Reason {
    /// Several series came back where one value was wanted, and no `reduce` said how to make them one.
    public static let ambiguousResult = Self(rawValue: "ambiguous_result")
    /// The value to judge is ±Inf.
    public static let nonFiniteValue = Self(rawValue: "non_finite_value")
    /// `wait_for_threshold`: the condition did not hold for long enough before the timeout.
    public static let thresholdNotMet = Self(rawValue: "threshold_not_met")
    /// `change_ratio`: the value at the baseline is 0, so no ratio exists.
    public static let zeroBaseline = Self(rawValue: "zero_baseline")
}

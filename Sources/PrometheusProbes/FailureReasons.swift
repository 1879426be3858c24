import ChaosToolkit

/// The classes of failure of the Prometheus probes, sent as `data.reason` of a `FailedActivity`.
extension FailedActivity.Reason {
    /// A time argument (`when`, `start`, `end`) could not be read.
    package static let invalidTime = Self(rawValue: "invalid_time")
    /// Prometheus answered with its error document (`"status": "error"`), whatever the HTTP status.
    package static let prometheusError = Self(rawValue: "prometheus_error")
    /// A 2xx answer whose body is not a Prometheus response document (not JSON, or no `status`).
    package static let badResponse = Self(rawValue: "bad_response")
}

extension FailedActivity.Reason {
    /// A mean was asked of a query that returned no samples (or only NaN) over its window.
    package static let noData = Self(rawValue: "no_data")
    /// A geometric or harmonic mean was asked of data holding zero or negative values.
    package static let nonPositiveValue = Self(rawValue: "non_positive_value")
    /// The mean is infinite, which a JSON number cannot carry.
    package static let nonFiniteMean = Self(rawValue: "non_finite_mean")
}

extension FailedActivity.Reason {
    /// Several series came back where one value was wanted, and no `reduce` said how to make them one.
    package static let ambiguousResult = Self(rawValue: "ambiguous_result")
    /// The value to judge is ±Inf.
    package static let nonFiniteValue = Self(rawValue: "non_finite_value")
    /// `wait_for_threshold`: the condition did not hold for long enough before the timeout.
    package static let thresholdNotMet = Self(rawValue: "threshold_not_met")
    /// `change_ratio`: the value at the baseline is 0, so no ratio exists.
    package static let zeroBaseline = Self(rawValue: "zero_baseline")
}

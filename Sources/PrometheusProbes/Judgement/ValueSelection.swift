import ChaosToolkit
import JSON

/// How an instant query's samples become the one number a tolerance compares: the `reduce` and `on_empty`
/// arguments, with the rules `protocol.md` states.
///
/// - NaN samples ("no value", such as 0/0) are left out, as if the series were absent.
/// - No sample left: `on_empty` when given, else a failure (`no_data`): an empty result is "could not
///   measure", never a value.
/// - One sample: its value, exactly as Prometheus wrote it.
/// - Several: `reduce` (`min`, `max`, `mean`, `sum`, `count`), or a failure (`ambiguous_result`) listing them.
/// - A value that is ±Inf fails (`non_finite_value`): JSON cannot carry it, and no tolerance can judge it.
/// - `on_empty` must be a finite number: `1e999` is valid JSON but no double (`invalid_argument`).
struct ValueSelection: Sendable {
    var reduction: Reduction?
    var onEmpty: JSONNumber?

    /// The largest number of series a message lists.
    static let listedSeries = 10

    /// The one number `samples` give.
    func value(of samples: [Sample], query: String) throws(FailedActivity) -> JSONNumber {
        let present = samples.filter { !$0.value.isNaN }
        if present.isEmpty {
            if let onEmpty { return onEmpty }
            throw Self.noData(query: query, samples: samples)
        }
        let value: Double
        switch (present.count, reduction) {
        case (1, nil):
            guard let number = present[0].number else { throw Self.nonFinite(query: query, value: present[0].value) }
            return number
        case (_, nil):
            throw FailedActivity(
                "the query '\(query)' returned \(present.count) series where one value is wanted: give 'reduce' (min, max, mean, sum or count), or narrow the query; \(Self.listing(present))",
                reason: .ambiguousResult, detail: ["series": .number(JSONNumber(present.count))])
        case (_, let reduction?):
            value = reduction.reduce(present.map(\.value))
        }
        guard let number = JSONNumber(value) else { throw Self.nonFinite(query: query, value: value) }
        return number
    }

    static func noData(query: String, samples: [Sample]) -> FailedActivity {
        let nan = samples.isEmpty ? "no series" : "only NaN (\(samples.count) series)"
        return FailedActivity(
            "the query '\(query)' returned \(nan), so there is nothing to judge: give 'on_empty' to use a number instead",
            reason: .noData, detail: ["series": .number(JSONNumber(samples.count))])
    }

    static func nonFinite(query: String, value: Double) -> FailedActivity {
        FailedActivity(
            "the value of '\(query)' is \(SampleValue.text(value)), which no tolerance can judge",
            reason: .nonFiniteValue)
    }

    /// `up{job="a"} = 1, up{job="b"} = 0, ... and 3 more`.
    static func listing(_ samples: [Sample]) -> String {
        let shown = samples.prefix(listedSeries).map { "\($0.seriesName) = \($0.text)" }.joined(separator: ", ")
        return samples.count > listedSeries ? "\(shown), and \(samples.count - listedSeries) more" : shown
    }
}

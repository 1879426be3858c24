import ChaosToolkit
import JSON

/// A comparison of observed values with a threshold, as LitmusChaos's promProbe and Argo Rollouts state
/// theirs: `check_threshold`'s and `wait_for_threshold`'s `operator`, `threshold`, `reduce` and `match`.
struct Condition: Sendable {
    /// The comparison: `==`, `!=`, `<`, `<=`, `>`, `>=` against one number; `between` and `outside` against an
    /// inclusive range `[low, high]`.
    enum Operator: String, CaseIterable, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case between, outside

        var takesRange: Bool { self == .between || self == .outside }
    }

    /// Whether every series must meet it, or one is enough (when no `reduce` makes them one value).
    enum Match: String, CaseIterable, Sendable {
        case all, any
    }

    let comparison: Operator
    let low: Double
    /// The upper bound of `between` and `outside`.
    let high: Double?
    let selection: ValueSelection
    let match: Match

    /// Reads `operator` and `threshold` (a number, or `[low, high]` for a range).
    init(comparison: Operator, threshold: JSONValue, selection: ValueSelection, match: Match) throws(FailedActivity) {
        self.comparison = comparison
        self.selection = selection
        self.match = match
        if comparison.takesRange {
            guard let bounds = threshold.arrayValue, bounds.count == 2, let low = bounds[0].numberValue?.doubleValue,
                let high = bounds[1].numberValue?.doubleValue, low.isFinite, high.isFinite, low <= high
            else {
                throw FailedActivity(
                    "operator '\(comparison.rawValue)' takes 'threshold' as a range [low, high] of finite numbers with low <= high, not \(threshold.serializedString())",
                    reason: .invalidArgument, detail: ["argument": "threshold"])
            }
            (self.low, self.high) = (low, high)
        } else {
            guard let number = threshold.numberValue?.doubleValue, number.isFinite else {
                throw FailedActivity(
                    "operator '\(comparison.rawValue)' takes 'threshold' as a finite number, not \(threshold.serializedString())",
                    reason: .invalidArgument, detail: ["argument": "threshold"])
            }
            (self.low, self.high) = (number, nil)
        }
    }

    /// Whether `value` meets the comparison (NaN never does).
    func holds(for value: Double) -> Bool {
        switch comparison {
        case .equal: value == low
        case .notEqual: !value.isNaN && value != low
        case .less: value < low
        case .lessOrEqual: value <= low
        case .greater: value > low
        case .greaterOrEqual: value >= low
        case .between: value >= low && value <= high!
        case .outside: value < low || value > high!
        }
    }

    /// The outcome of judging one answer.
    struct Verdict: Sendable {
        let passed: Bool
        /// What was compared: one value (`reduce`, a single series, `on_empty`), or every series.
        let observed: [JSONValue]
        /// The one value compared, when there was one.
        let value: JSONNumber?
    }

    /// Judges the samples of one answer.
    ///
    /// - Throws: ``FailedActivity`` when the answer cannot be judged: no data without `on_empty`, or a value that
    ///   is not finite after `reduce`.
    func judge(_ samples: [Sample], query: String) throws(FailedActivity) -> Verdict {
        let present = samples.filter { !$0.value.isNaN }
        if selection.reduction != nil || present.count <= 1 {
            let value = try selection.value(of: samples, query: query)
            let observed: JSONValue =
                present.count == 1 && selection.reduction == nil
                ? present[0].json : ["labels": [:], "value": .number(value)]
            return Verdict(passed: holds(for: value.doubleValue), observed: [observed], value: value)
        }
        let results = present.map { holds(for: $0.value) }
        let passed = match == .all ? results.allSatisfy { $0 } : results.contains(true)
        return Verdict(passed: passed, observed: present.map(\.json), value: nil)
    }

    /// `> 0.01`, `between [0, 0.01]`, for messages.
    var text: String {
        if let high { return "\(comparison.rawValue) [\(SampleValue.text(low)), \(SampleValue.text(high))]" }
        return "\(comparison.rawValue) \(SampleValue.text(low))"
    }
}

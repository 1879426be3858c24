import ChaosToolkit
import JSON

extension Activity {
    /// The arguments `check_threshold` and `wait_for_threshold` share, as the discovery document lists them.
    private static let conditionDoc = """
        `operator` is "==", "!=", "<", "<=", ">", ">=", "between" or "outside"; `threshold` a number, or \
        [low, high] (inclusive) for "between" and "outside". With `reduce` ("min", "max", "mean", "sum", \
        "count") the series become one value; without it every series is compared, and `match` says whether \
        "all" (default) or "any" must meet the condition. NaN samples are left out; no sample at all cannot be \
        judged and fails, unless `on_empty` gives the number to compare instead.
        """

    /// `check_threshold(query, operator, threshold, reduce=None, match="all", on_empty=None, when=None,
    /// detail=False, timeout=None, verify_tls=True)`: `true` when the condition holds, `false` when not.
    static func checkThreshold(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "check_threshold", module: PrometheusExtension.probesModule,
                doc: """
                    Run an instant query and compare its value with a threshold: returns true when the \
                    condition holds and false when it does not, for a tolerance of true. \(conditionDoc) \
                    A query that cannot be measured (unreachable, rejected, empty without `on_empty`) fails; it \
                    is never false. The observed values are logged; with `detail` true the result is \
                    {"passed": true|false, "condition": "> 0.01", "observed": [{"labels": {...}, "value": 0.2}]} \
                    instead, for a jsonpath tolerance on $.passed.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .comparison, .threshold, .reduce, .match, .onEmpty, .when,
                    .detail, .timeout, .verifyTLS,
                ],
                returnType: "boolean")
        ) { call in
            let query = try call.arguments.requiredString(.query)
            let condition = try call.condition()
            let samples = try await call.instantSamples(
                of: query, at: try call.time(.when, in: environment), timeout: try call.duration(.timeout),
                settings: try call.settings(in: environment), in: environment)
            let verdict = try condition.judge(samples, query: query)
            environment.logger.info(
                "check_threshold '\(query)' \(condition.text): \(verdict.passed ? "holds" : "does not hold"); observed \(JSONValue.array(verdict.observed).serializedString())"
            )
            guard call.arguments[.detail] == true else { return .bool(verdict.passed) }
            return [
                "passed": .bool(verdict.passed), "condition": .string(condition.text),
                "observed": .array(verdict.observed),
            ]
        }
    }

    /// `wait_for_threshold(query, operator, threshold, timeout=300, interval=10, consecutive=1, ...)`:
    /// polls until the condition has held for `consecutive` checks in a row.
    static func waitForThreshold(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "wait_for_threshold", module: PrometheusExtension.probesModule,
                doc: """
                    Evaluate an instant query every `interval` (default 10 seconds) until the condition has held \
                    for `consecutive` checks in a row (default 1), and return the last value: a number for \
                    one value, else the series as [{"labels": {...}, "value": ...}]. \(conditionDoc) A check \
                    that cannot measure (unreachable, timed out, empty) counts as not holding and the waiting \
                    goes on; a query Prometheus rejects fails at once. Past `timeout` (default 300 seconds, 5 minutes) it fails \
                    with the last value seen and how many checks held. A request cancelled with \
                    $/cancelRequest stops waiting at once.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .comparison, .threshold, .reduce, .match, .onEmpty,
                    .waitTimeout, .interval, .consecutive, .verifyTLS,
                ],
                returnType: "any")
        ) { call in
            try await ThresholdWait(call: call, environment: environment).run()
        }
    }

    /// `change_ratio(query, baseline="10 minutes ago", when=None, reduce=None, on_empty=None, ...)`: the value
    /// at `when` divided by the value at `baseline`.
    static func changeRatio(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "change_ratio", module: PrometheusExtension.probesModule,
                doc: """
                    Evaluate an instant query at `when` (default now) and at `baseline` (default "10 minutes \
                    ago") and return the first value divided by the second: 1.2 means 20% higher than at the \
                    baseline, so a tolerance of [0, 1.2] says "must not grow more than 20%". Each value is made \
                    one number as query_value makes it (`reduce`, `on_empty`). A baseline of 0 has no ratio and \
                    fails.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .baseline, .when, .reduce, .onEmpty,
                    .timeout, .verifyTLS,
                ],
                returnType: "number")
        ) { call in
            let query = try call.arguments.requiredString(.query)
            let timeout = try call.duration(.timeout)
            let baselineTime = try call.requiredTime(.baseline, in: environment)
            let time = try call.time(.when, in: environment) ?? environment.now()
            guard baselineTime < time else {
                throw FailedActivity(
                    "baseline (\(RFC3339.format(baselineTime))) must come before when (\(RFC3339.format(time)))",
                    reason: .invalidArgument, detail: ["argument": "baseline"])
            }
            let selection = try call.selection()
            let settings = try call.settings(in: environment)
            async let current = call.instantSamples(
                of: query, at: time, timeout: timeout, settings: settings, in: environment)
            async let past = call.instantSamples(
                of: query, at: baselineTime, timeout: timeout, settings: settings, in: environment)
            let now = try selection.value(of: try await current, query: query).doubleValue
            let baseline = try selection.value(of: try await past, query: query).doubleValue
            guard baseline != 0 else {
                throw FailedActivity(
                    "the value of '\(query)' at the baseline (\(RFC3339.format(baselineTime))) is 0, so it has no ratio (the value now is \(SampleValue.text(now)))",
                    reason: .zeroBaseline, detail: ["value": JSONValue(now), "baseline": 0])
            }
            let ratio = now / baseline
            guard let number = JSONNumber(ratio) else { throw ValueSelection.nonFinite(query: query, value: ratio) }
            environment.logger.debug("change_ratio of '\(query)': \(now) / \(baseline) = \(ratio)")
            return .number(number)
        }
    }
}

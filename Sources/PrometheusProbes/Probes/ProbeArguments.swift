import ChaosToolkit
import CivilCalendar
import JSON

/// The argument types and readings the Prometheus probes share.
extension ArgumentType {
    /// Seconds as a number, or a Prometheus duration string (`"30s"`); shown as `number` in discovery.
    static let seconds = ArgumentType(
        name: "number", expectation: "a number of seconds or a duration string such as \"30s\"",
        schema: ["type": ["number", "string"]]
    ) { $0.numberValue != nil || $0.stringValue != nil }

    /// A range query's step: seconds, fractions too, or a duration string (`"15s"`). Declared `number` in
    /// discovery, which has no union type; the original declared an integer.
    static let step = ArgumentType(
        name: "number", expectation: "a number of seconds or a duration string such as \"15s\"",
        schema: ["type": ["number", "string"]]
    ) { $0.numberValue != nil || $0.stringValue != nil }
}

extension ActivityArgument {
    static let query = ActivityArgument.required("query", .string)
    static let timeout = ActivityArgument.optional("timeout", .seconds, default: nil)
    static let verifyTLS = ActivityArgument.optional("verify_tls", .boolean, default: true)
}

extension ActivityCall {
    /// The instant a time argument names, read with the environment's clock and zone.
    /// `now` is the instant "now" means, read from the environment's clock when not given; the times of one
    /// range are read against the same `now`, so that `now-1h` to `now` is exactly an hour.
    func time(_ argument: ActivityArgument, in environment: ProbeEnvironment, now: UnixTime? = nil)
        throws(FailedActivity) -> UnixTime?
    {
        guard let text = arguments.string(argument) else { return nil }
        do {
            return try TimeExpression.parse(text, now: now ?? environment.now(), timeZone: environment.timeZone)
        } catch {
            throw FailedActivity(
                error.description, reason: .invalidTime,
                detail: ["argument": .string(argument.name), "value": .string(text)])
        }
    }

    /// The instant of a time argument that always has a value (required, or with a default).
    func requiredTime(_ argument: ActivityArgument, in environment: ProbeEnvironment, now: UnixTime? = nil)
        throws(FailedActivity) -> UnixTime
    {
        guard let time = try time(argument, in: environment, now: now) else { throw Self.missing(argument) }
        return time
    }

    /// A positive length of time given as seconds or a duration string, or `nil` when not given.
    func duration(_ argument: ActivityArgument) throws(FailedActivity) -> PrometheusDuration? {
        let value = arguments[argument]
        if value == .null { return nil }
        guard let duration = PrometheusDuration(value) else {
            throw FailedActivity(
                "argument '\(argument.name)' must be a positive number of seconds or a duration such as \"30s\", not \(value.serializedString())",
                reason: .invalidArgument, detail: ["argument": .string(argument.name)])
        }
        return duration
    }

    /// The length of time of an argument that always has a value (required, or with a default).
    func requiredDuration(_ argument: ActivityArgument) throws(FailedActivity) -> PrometheusDuration {
        guard let duration = try duration(argument) else { throw Self.missing(argument) }
        return duration
    }

    /// A whole-number argument of at least 1 (`consecutive`, `limit`).
    func count(_ argument: ActivityArgument) throws(FailedActivity) -> Int {
        guard let count = arguments[argument].numberValue?.intValue, count >= 1 else {
            throw FailedActivity(
                "argument '\(argument.name)' must be 1 or more, not \(arguments[argument].serializedString())",
                reason: .invalidArgument, detail: ["argument": .string(argument.name)])
        }
        return count
    }

    private static func missing(_ argument: ActivityArgument) -> FailedActivity {
        FailedActivity(
            "argument '\(argument.name)' is required", reason: .invalidArgument,
            detail: ["argument": .string(argument.name)])
    }

    /// Prometheus refuses a range query of more than this many steps between its start and end.
    static let maximumRangeSteps = 11_000

    /// A range query's `step`, checked against its `start` and `end` before anything is sent: `start` not after
    /// `end`, and no more than Prometheus's 11,000 steps between them (which it would refuse with "exceeded maximum
    /// resolution"); the refusal names the smallest step that fits.
    func rangeStep(start: UnixTime, end: UnixTime) throws(FailedActivity) -> PrometheusDuration {
        guard start <= end else {
            throw FailedActivity(
                "start (\(RFC3339.format(start))) is after end (\(RFC3339.format(end))): a range query needs start <= end",
                reason: .invalidArgument, detail: ["argument": "start"])
        }
        let step = try requiredDuration(.step)
        // As Prometheus counts: times in milliseconds, durations in nanoseconds, steps by integer division.
        let spanNanoseconds = Int(
            clamping: ((end.secondsSince1970 * 1000).rounded() - (start.secondsSince1970 * 1000).rounded()) * 1_000_000)
        // Go's time.Duration of a float truncates.
        let stepNanoseconds = Int(clamping: (step.seconds * 1e9).rounded(.towardZero))
        guard stepNanoseconds > 0 else {
            throw FailedActivity(
                "a step of \(step.text) is less than a nanosecond, which Prometheus reads as zero",
                reason: .invalidArgument, detail: ["argument": "step"])
        }
        let steps = spanNanoseconds / stepNanoseconds
        guard steps <= Self.maximumRangeSteps else {
            // The smallest step that fits, rounded up to whole milliseconds.
            let fittingNanoseconds = spanNanoseconds / (Self.maximumRangeSteps + 1) + 1
            let fitting = Double((fittingNanoseconds + 999_999) / 1_000_000) / 1000
            let shown = fitting == fitting.rounded() ? String(Int(fitting)) : String(fitting)
            throw FailedActivity(
                "a range of \(spanNanoseconds / 1_000_000_000) s in steps of \(step.text) is \(steps) steps, more than the 11,000 Prometheus accepts: give a step of \(shown) seconds or more, or a shorter range",
                reason: .invalidArgument,
                detail: ["argument": "step", "smallest_step": JSONValue(fitting)])
        }
        return step
    }

    /// Whether to verify the server's certificate.
    var verifyTLS: Bool { arguments.bool(.verifyTLS) ?? true }
}

/// The arguments of the probes that judge values.
extension ArgumentType {
    /// A number, or `[low, high]` for `between` and `outside`.
    static let threshold = ArgumentType(
        name: "any", expectation: "a number, or a list [low, high] for 'between' and 'outside'",
        schema: [
            "oneOf": [
                ["type": "number"],
                ["type": "array", "items": ["type": "number"], "minItems": 2, "maxItems": 2],
            ]
        ]
    ) { $0.numberValue != nil || $0.arrayValue != nil }
}

extension ActivityArgument {
    static let when = ActivityArgument.optional("when", .string, default: nil)
    static let step = ActivityArgument.optional("step", .step, default: 1)
    static let reduce = ActivityArgument.optional("reduce", .oneOf(Reduction.allCases.map(\.rawValue)), default: nil)
    static let onEmpty = ActivityArgument.optional("on_empty", .number, default: nil)
    static let comparison = ActivityArgument.required("operator", .oneOf(Condition.Operator.allCases.map(\.rawValue)))
    static let threshold = ActivityArgument.required("threshold", .threshold)
    static let match = ActivityArgument.optional(
        "match", .oneOf(Condition.Match.allCases.map(\.rawValue)), default: "all")
    static let detail = ActivityArgument.optional("detail", .boolean, default: false)
    static let baseline = ActivityArgument.optional("baseline", .string, default: "10 minutes ago")
    /// `wait_for_threshold`'s: how long to wait, how often to check, and how many checks in a row must hold.
    static let waitTimeout = ActivityArgument.optional("timeout", .seconds, default: 300)
    static let interval = ActivityArgument.optional("interval", .seconds, default: 10)
    static let consecutive = ActivityArgument.optional("consecutive", .integer, default: 1)
    /// A range: required by `query_interval`, optional (with `when` instead) for `query_values`.
    static let start = ActivityArgument.required("start", .string)
    static let end = ActivityArgument.required("end", .string)
    static let optionalStart = ActivityArgument.optional("start", .string, default: nil)
    static let optionalEnd = ActivityArgument.optional("end", .string, default: nil)
}

extension ActivityCall {
    /// How the samples become one value: `reduce` and `on_empty`, which must be a finite number.
    func selection() throws(FailedActivity) -> ValueSelection {
        let onEmpty = arguments[.onEmpty].numberValue
        if let onEmpty, !onEmpty.doubleValue.isFinite {
            throw FailedActivity(
                "'on_empty' must be a finite number, not \(onEmpty.text)", reason: .invalidArgument,
                detail: ["argument": "on_empty"])
        }
        return ValueSelection(
            reduction: arguments.string(.reduce).flatMap(Reduction.init(rawValue:)), onEmpty: onEmpty)
    }

    /// The comparison of `operator`, `threshold`, `reduce`, `on_empty` and `match`.
    func condition() throws(FailedActivity) -> Condition {
        try Condition(
            comparison: try arguments.choice(.comparison), threshold: arguments[.threshold],
            selection: try selection(), match: try arguments.choice(.match))
    }

    /// This call's settings: its configuration and secrets over the environment's defaults.
    func settings(in environment: ProbeEnvironment) throws(FailedActivity) -> PrometheusSettings {
        try PrometheusSettings(for: self, defaultBaseURL: environment.defaultBaseURL)
    }

    /// The samples of `query` evaluated at `time` (Prometheus's "now" when `nil`), with `settings`, `timeout`
    /// (Prometheus's evaluation timeout) and this call's `verify_tls`.
    func instantSamples(
        of query: String, at time: UnixTime?, timeout: PrometheusDuration?, settings: PrometheusSettings,
        in environment: ProbeEnvironment
    ) async throws -> [Sample] {
        let document = try await environment.client.perform(
            .instantQuery(query, at: time, timeout: timeout, settings: settings, verifyTLS: verifyTLS))
        return try Sample.samples(of: document.value, query: query)
    }
}

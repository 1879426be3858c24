import ChaosToolkit
import CivilCalendar
import HTTPClient
import JSON
import PluginLog

/// The Chaos Toolkit control `chaosprometheus.metrics`: pushes the metrics of each experiment run to a
/// Prometheus Pushgateway, with the metric names, labels and grouping key of the Python original.
///
/// The three hooks share one run per plugin process, as the Python module's global does: `configure_control`
/// sets it up, `before_experiment_control` counts the run in progress and pushes, `after_experiment_control`
/// records the journal's outcome and pushes again.
package final class MetricsControl: Sendable {
    /// The Python module a Chaos Toolkit experiment's control names.
    package static let module = "chaosprometheus.metrics"

    /// The Pushgateway of the Python original when `pushgateway_url` is not given.
    package static let builtInPushgatewayURL = "http://localhost:9091"

    /// `text` as a Pushgateway's base URL (`http://` assumed without a scheme), or a failure saying what `source`
    /// must be, without quoting a URL that holds a password.
    package static func validatedPushgatewayURL(_ text: String, source: String) throws(FailedActivity) -> String {
        try Pushgateway.validatedURL(text, source: source)
    }

    private let http: HTTPClient
    private let now: @Sendable () -> UnixTime
    private let defaultPushgatewayURL: String
    private let logger: Logger
    private let state = RunState()

    /// A control pushing with `http`; `defaultPushgatewayURL` is used when a call gives no `pushgateway_url`.
    package init(
        http: HTTPClient, now: @escaping @Sendable () -> UnixTime = { .now },
        defaultPushgatewayURL: String = builtInPushgatewayURL, logger: Logger
    ) {
        self.http = http
        self.now = now
        self.defaultPushgatewayURL = defaultPushgatewayURL
        self.logger = logger
    }

    /// The three hooks, for a catalogue.
    package var activities: [Activity] {
        [configure, before, after]
    }

    /// The run in progress, shared by the hooks: an actor, since calls may arrive concurrently.
    private actor RunState {
        var run: (metrics: RunMetrics, gateway: Pushgateway)?

        func set(_ metrics: RunMetrics, _ gateway: Pushgateway) { run = (metrics, gateway) }

        /// Applies `change` to the configured run and returns what to push, or nil when not configured.
        func update(_ change: (inout RunMetrics) -> Void) -> (exposition: String, gateway: Pushgateway)? {
            guard var current = run else { return nil }
            change(&current.metrics)
            run = current
            return (current.metrics.exposition, current.gateway)
        }
    }

    private var configure: Activity {
        let pushgatewayURL = ActivityArgument.optional(
            "pushgateway_url", .string, default: .string(defaultPushgatewayURL))
        return Activity(
            ActivityDescriptor(
                kind: .control, name: "configure_control", module: Self.module,
                doc: """
                    Prepare the run metrics of this experiment: chaostoolkit_experiment_status (completed, failed, \
                    aborted or interrupted), chaostoolkit_deviated_experiment_total, \
                    chaostoolkit_inprogress_experiment, chaostoolkit_experiment_duration and the histogram \
                    chaostoolkit_experiment_duration_dist, each labelled source="chaostoolkit", \
                    chaostoolkit_lib_version, chaostoolkit_run_trace_id (`trace_id`, or 32 random hex \
                    characters) and chaostoolkit_experiment_ref (`experiment_ref`, or chaostoolkit-lib's hash of \
                    `experiment`). They are pushed to `pushgateway_url` under `job` and `grouping_key` (default \
                    {"chaostoolkit_experiment_ref": <ref>}) by the before and after hooks. Nothing is pushed yet.
                    """,
                arguments: [
                    .experiment, pushgatewayURL, .job, .groupingKey, .traceID, .experimentReference, .libraryVersion,
                ],
                returnType: "null", undeclaredArguments: .ignored)
        ) { [state] call in
            let arguments = call.arguments
            // Empty values fall back to the defaults, as the original's `value or default` does.
            func given(_ argument: ActivityArgument) -> String? {
                arguments.string(argument).flatMap { $0.isEmpty ? nil : $0 }
            }
            let reference = given(.experimentReference) ?? ExperimentReference.of(arguments[.experiment])
            var groupingKey: [(name: String, value: String)] = [("chaostoolkit_experiment_ref", reference)]
            if case .object(let given) = arguments[.groupingKey], !given.isEmpty {
                groupingKey = try given.map { name, value throws(FailedActivity) in
                    guard case .string(let text) = value else {
                        throw FailedActivity(
                            "grouping_key values must be strings, but '\(name)' is \(value.typeDescription)",
                            reason: .invalidArgument, detail: ["argument": "grouping_key"])
                    }
                    return (name, text)
                }
            }
            let traceID = given(.traceID) ?? Self.randomTraceID()
            let metrics = RunMetrics(
                libraryVersion: try arguments.requiredString(.libraryVersion), traceID: traceID,
                experimentReference: reference)
            let gateway = try Pushgateway(
                url: try arguments.requiredString(pushgatewayURL),
                job: try arguments.requiredString(.job), groupingKey: groupingKey)
            await state.set(metrics, gateway)
            return .null
        }
    }

    private var before: Activity {
        Activity(
            ActivityDescriptor(
                kind: .control, name: "before_experiment_control", module: Self.module,
                doc:
                    "Count the experiment as in progress (chaostoolkit_inprogress_experiment + 1) and push the run metrics to the Pushgateway. Needs configure_control first.",
                arguments: [], returnType: "null", undeclaredArguments: .ignored)
        ) { [self] _ in
            try await push(hook: "before_experiment_control") { $0.started() }
            return .null
        }
    }

    private var after: Activity {
        Activity(
            ActivityDescriptor(
                kind: .control, name: "after_experiment_control", module: Self.module,
                doc: """
                    Record the run's outcome from its journal `state` (`status`: completed, failed, aborted or \
                    interrupted; `deviated`; `duration` in seconds), count it as no longer in progress, and push \
                    the run metrics to the Pushgateway. Needs configure_control first.
                    """,
                arguments: [.journal], returnType: "null", undeclaredArguments: .ignored)
        ) { [self] call in
            let journal = call.arguments[.journal]
            guard case .string(let status)? = journal["status"], RunMetrics.statuses.contains(status) else {
                throw FailedActivity(
                    "the journal 'state' must have a 'status' of \(RunMetrics.statuses.map { "'\($0)'" }.joined(separator: ", ")), not \(journal["status"]?.serializedString() ?? "none")",
                    reason: .invalidArgument, detail: ["argument": "state"])
            }
            guard let duration = journal["duration"]?.numberValue?.doubleValue, duration.isFinite else {
                throw FailedActivity(
                    "the journal 'state' must have a 'duration' in seconds, not \(journal["duration"]?.serializedString() ?? "none")",
                    reason: .invalidArgument, detail: ["argument": "state"])
            }
            let deviated = journal["deviated"].map(Self.isTruthy) ?? false
            let finishedAt = now()
            try await push(hook: "after_experiment_control") {
                $0.finished(status: status, deviated: deviated, duration: duration, at: finishedAt)
            }
            return .null
        }
    }

    private func push(hook: String, _ change: @Sendable (inout RunMetrics) -> Void) async throws {
        guard let (exposition, gateway) = await state.update(change) else {
            throw FailedActivity(
                "\(hook) needs the metrics control to be configured first: call configure_control with the experiment",
                reason: .notConfigured)
        }
        logger.debug("pushing run metrics to \(gateway.groupURL)")
        try await gateway.push(exposition, with: http)
    }

    /// Python's truthiness, which the original applies to the journal's `deviated`.
    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .number(let number): number.doubleValue != 0
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// 32 random hexadecimal characters, like Python's `secrets.token_hex(16)`.
    static func randomTraceID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexadecimal
    }
}

extension ActivityArgument {
    static let experiment = ActivityArgument.required("experiment", .mapping)
    static let groupingKey = ActivityArgument.optional("grouping_key", .mapping, default: nil)
    static let traceID = ActivityArgument.optional("trace_id", .string, default: nil)
    static let experimentReference = ActivityArgument.optional("experiment_ref", .string, default: nil)
    /// The run's journal, given to the hook after the experiment.
    static let journal = ActivityArgument.required("state", .mapping)
    static let job = ActivityArgument.optional("job", .string, default: "chaostoolkit")
    static let libraryVersion = ActivityArgument.optional("chaostoolkit_lib_version", .string, default: "unknown")
}

extension FailedActivity.Reason {
    /// A control hook was called before `configure_control`.
    package static let notConfigured = Self(rawValue: "not_configured")
}

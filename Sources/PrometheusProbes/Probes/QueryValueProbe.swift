import ChaosToolkit
import JSON

extension Activity {
    /// `query_value(query, when=None, reduce=None, on_empty=None, timeout=None, verify_tls=True)`: an instant
    /// query reduced to one JSON number, for a range tolerance.
    static func queryValue(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "query_value", module: PrometheusExtension.probesModule,
                doc: """
                    Run an instant query and return its value as one JSON number, so that a range tolerance \
                    such as [0, 0.01] judges it. A scalar or a single series gives its value, exactly as \
                    Prometheus wrote it; several series need `reduce` ("min", "max", "mean", "sum" or \
                    "count"), or the probe fails listing them. NaN samples are left out. No sample at all \
                    fails, unless `on_empty` gives the number to use. An infinite value fails. `when` is the \
                    evaluation time (default now), `timeout` Prometheus's evaluation timeout.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [.query, .when, .reduce, .onEmpty, .timeout, .verifyTLS],
                returnType: "number")
        ) { call in
            let query = try call.arguments.requiredString(.query)
            let selection = try call.selection()
            let samples = try await call.instantSamples(
                of: query, at: try call.time(.when, in: environment), timeout: try call.duration(.timeout),
                settings: try call.settings(in: environment), in: environment)
            let value = try selection.value(of: samples, query: query)
            environment.logger.debug("query_value of '\(query)': \(value) (\(samples.count) series)")
            return .number(value)
        }
    }

    /// `query_values(query, when=None, start=None, end=None, step=1, timeout=None, verify_tls=True)`: every
    /// series with its value (instant) or its points (range), values as numbers.
    static func queryValues(_ environment: ProbeEnvironment) -> Activity {
        Activity.passingTextOn(
            ActivityDescriptor(
                kind: .probe, name: "query_values", module: PrometheusExtension.probesModule,
                doc: """
                    Run a query and return every series with its value as a number: \
                    [{"labels": {...}, "value": 0.25}, ...] for an instant query (at `when`, default now), or \
                    [{"labels": {...}, "values": [[timestamp, 0.25], ...]}, ...] for a range query when `start` \
                    and `end` are given (with `step`, default 1 s). NaN and infinite values, which JSON cannot \
                    carry, are null. A scalar is one series without labels.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .when, .optionalStart, .optionalEnd,
                    .step, .timeout, .verifyTLS,
                ],
                returnType: "list")
        ) { call in
            let query = try call.arguments.requiredString(.query)
            let timeout = try call.duration(.timeout)
            let now = environment.now()
            let start = try call.time(.optionalStart, in: environment, now: now)
            let end = try call.time(.optionalEnd, in: environment, now: now)
            switch (start, end) {
            case (nil, nil):
                let samples = try await call.instantSamples(
                    of: query, at: try call.time(.when, in: environment), timeout: timeout,
                    settings: try call.settings(in: environment), in: environment)
                return .value(.array(samples.map(\.json)))
            case (let start?, let end?):
                guard call.arguments[.when] == .null else {
                    throw FailedActivity(
                        "give either 'when' (an instant query) or 'start' and 'end' (a range query), not both",
                        reason: .invalidArgument, detail: ["argument": "when"])
                }
                let step = try call.rangeStep(start: start, end: end)
                let settings = try call.settings(in: environment)
                let document = try await environment.client.perform(
                    .rangeQuery(
                        query, start: start, end: end, step: step, timeout: timeout,
                        settings: settings, verifyTLS: call.verifyTLS))
                // As text that keeps the answer's room in the budget: the list is as large as the tree it came from.
                let list = JSONValue.array(try RangeSeries.series(of: document.value, query: query).map(\.json))
                guard var text = try? JSONText(validating: list.serialized()) else { return .value(list) }
                text.keepsAlive = document.reservation
                return .text(text)
            default:
                throw FailedActivity(
                    "a range query needs both 'start' and 'end'; give neither for an instant query",
                    reason: .invalidArgument, detail: ["argument": start == nil ? "start" : "end"])
            }
        }
    }
}

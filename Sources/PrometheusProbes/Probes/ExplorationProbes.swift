import ChaosToolkit
import JSON

/// Read-only look-ups of what a query needs: which metrics exist, their labels and label values, their series,
/// what they mean, and the rules. They are for finding one's way (an assistant writing a query), not for judging
/// a system, so they are not in the Chaos Toolkit catalogue: ``PrometheusExtension/explorationProbes(_:)``.
extension Activity {
    /// `metric_names(match=None, limit=200)`: the names of the metrics, sorted.
    static func metricNames(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "metric_names",
            doc:
                "The names of the metrics Prometheus holds (of the series that `match` selects, when given), sorted, at most `limit`.",
            arguments: [.seriesSelector, .limit]
        ) { call in
            let names = try await call.fetch(
                .labelValues("__name__"), parameters: call.matchParameters(), environment: environment)
            return try call.limited(names.list(at: "data", what: "metric names"))
        }
    }

    /// `label_names(match=None)`: the label names, sorted.
    static func labelNames(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "label_names", doc: "The label names of the series (that `match` selects, when given), sorted.",
            arguments: [.seriesSelector]
        ) { call in
            let names = try await call.fetch(.labelNames, parameters: call.matchParameters(), environment: environment)
            return try names.list(at: "data", what: "label names")
        }
    }

    /// `label_values(label, match=None, limit=200)`: the values one label takes, sorted.
    static func labelValues(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "label_values",
            doc:
                "The values that the label `label` takes (in the series that `match` selects, when given), sorted, at most `limit`.",
            arguments: [.label, .seriesSelector, .limit]
        ) { call in
            let label = try call.arguments.requiredString(.label)
            guard Self.isLabelName(label) else {
                throw FailedActivity(
                    "argument 'label' must be a label name such as \"job\" (letters, digits and underscores, not starting with a digit), not \(JSONValue.string(label).serializedString())",
                    reason: .invalidArgument, detail: ["argument": "label"])
            }
            let values = try await call.fetch(
                .labelValues(label), parameters: call.matchParameters(), environment: environment)
            return try call.limited(values.list(at: "data", what: "label values"))
        }
    }

    /// `series(match, limit=200)`: the label sets of the series that `match` selects.
    static func series(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "series",
            doc:
                "The label sets of the series that the selector `match` (such as {job=\"api\"}) selects, at most `limit`.",
            arguments: [.requiredSeriesSelector, .limit]
        ) { call in
            let series = try await call.fetch(.series, parameters: call.matchParameters(), environment: environment)
            return try call.limited(series.list(at: "data", what: "series"))
        }
    }

    /// `metric_metadata(metric=None, limit=200)`: each metric's type, help text and unit.
    static func metricMetadata(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "metric_metadata",
            doc:
                "What metrics are (of `metric` alone, when given): a list of {\"metric\", \"type\", \"help\", \"unit\"}, at most `limit`.",
            arguments: [.metric, .limit]
        ) { call in
            let parameters = call.arguments.string(.metric).map { [(name: "metric", value: $0)] } ?? []
            let document = try await call.fetch(.metadata, parameters: parameters, environment: environment)
            guard let metrics = document["data"]?.objectValue else {
                throw FailedActivity("the metadata answer has no data object", reason: .badResponse)
            }
            let entries: [JSONValue] = metrics.sorted { $0.key < $1.key }.flatMap { metric, descriptions in
                (descriptions.arrayValue ?? []).map { description in
                    var entry: JSONObject = ["metric": .string(metric)]
                    for key in ["type", "help", "unit"] { entry[key] = description[key] ?? .null }
                    return JSONValue.object(entry)
                }
            }
            return try call.limited(.array(entries))
        }
    }

    /// `rules(type="any")`: the recording and alerting rules, one entry each.
    static func rules(_ environment: ProbeEnvironment) -> Activity {
        exploration(
            "rules",
            doc:
                "Prometheus's rules of `type` (\"alert\", \"record\" or \"any\"): a list of {\"group\", \"name\", \"type\", \"query\", \"health\", \"state\", \"labels\", \"annotations\"}.",
            arguments: [.ruleType]
        ) { call in
            let type = try call.arguments.requiredString(.ruleType)
            let parameters = type == "any" ? [] : [(name: "type", value: type)]
            let document = try await call.fetch(.rules, parameters: parameters, environment: environment)
            guard let groups = document["data"]?["groups"]?.arrayValue else {
                throw FailedActivity("the rules answer has no data.groups list", reason: .badResponse)
            }
            let kept = ["name", "type", "query", "health", "state", "labels", "annotations"]
            return .array(
                groups.flatMap { group in
                    (group["rules"]?.arrayValue ?? []).map { rule in
                        var entry: JSONObject = ["group": group["name"] ?? .null]
                        for key in kept { if let value = rule[key] { entry[key] = value } }
                        return JSONValue.object(entry)
                    }
                })
        }
    }

    private static func exploration(
        _ name: String, doc: String, arguments: [ActivityArgument],
        body: @escaping @Sendable (ActivityCall) async throws -> JSONValue
    ) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: name, module: PrometheusExtension.probesModule,
                doc: doc + " " + PrometheusExtension.connectionDoc, arguments: arguments + [.verifyTLS],
                returnType: "list"),
            body: body)
    }

    /// Whether `name` is a Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}

extension ActivityArgument {
    /// A series selector that narrows a look-up, such as `{job="api"}`.
    static let seriesSelector = ActivityArgument.optional("match", .string, default: nil)
    /// The series selector of `series`, which it needs.
    static let requiredSeriesSelector = ActivityArgument.required("match", .string)
    /// The most entries a look-up returns.
    static let limit = ActivityArgument.optional("limit", .integer, default: 200)
    static let label = ActivityArgument.required("label", .string)
    static let metric = ActivityArgument.optional("metric", .string, default: nil)
    static let ruleType = ActivityArgument.optional("type", .oneOf(["alert", "record", "any"]), default: "any")
}

extension ActivityCall {
    /// `match[]` of the `match` argument, when given.
    fileprivate func matchParameters() -> [(name: String, value: String)] {
        arguments.string(.seriesSelector).map { [(name: "match[]", value: $0)] } ?? []
    }

    /// `list`, sorted when it holds strings, cut to the `limit` argument (1 or more).
    fileprivate func limited(_ list: JSONValue) throws(FailedActivity) -> JSONValue {
        let limit = try count(.limit)
        var elements = list.arrayValue ?? []
        if elements.allSatisfy({ $0.stringValue != nil }) {
            elements.sort { ($0.stringValue ?? "") < ($1.stringValue ?? "") }
        }
        return .array(Array(elements.prefix(limit)))
    }
}

extension PrometheusDocument {
    /// The list at `member` of the document, or a failure saying the answer has none.
    fileprivate func list(at member: String, what: String) throws(FailedActivity) -> JSONValue {
        guard let list = self[member], list.arrayValue != nil else {
            throw FailedActivity("the answer listing the \(what) has no \(member) list", reason: .badResponse)
        }
        return list
    }
}

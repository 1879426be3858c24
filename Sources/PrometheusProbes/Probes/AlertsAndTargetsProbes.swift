import ChaosToolkit
import JSON

extension Activity {
    /// `alerts(state="firing", matchers=[])`: the alerts of the alerting rules, filtered.
    static func alerts(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "alerts", module: PrometheusExtension.probesModule,
                doc: """
                    Return the alerts of Prometheus's alerting rules (/api/v1/alerts) in `state` ("firing", the \
                    default, "pending" or "any") whose labels satisfy every label matcher of `matchers`, such as \
                    ["severity=\\"critical\\"", "service=~\\"api|web\\""]: a list of {"labels", "annotations", \
                    "state", "activeAt", "value"}. "No critical alert is firing" is a jsonpath tolerance \
                    {"type": "jsonpath", "path": "$[*]", "count": 0}.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .alertState, .matchers, .verifyTLS,
                ],
                returnType: "list")
        ) { call in
            let matchers = try call.labelMatchers()
            let state = try call.arguments.requiredString(.alertState)
            let document = try await call.fetch(.alerts, parameters: [], environment: environment)
            guard let alerts = document["data"]?["alerts"]?.arrayValue else {
                throw FailedActivity("the alerts answer has no data.alerts list", reason: .badResponse)
            }
            return .array(
                alerts.filter { alert in
                    (state == "any" || alert["state"]?.stringValue == state)
                        && matchers.allSatisfy { $0.matches(alert["labels"]?.objectValue ?? [:]) }
                })
        }
    }

    /// `targets(job=None, health="any", matchers=[])`: the active scrape targets and their health, filtered.
    static func targets(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "targets", module: PrometheusExtension.probesModule,
                doc: """
                    Return Prometheus's active scrape targets (/api/v1/targets) of `job` (any job when omitted), \
                    in `health` ("up", "down", "unknown", or "any", the default), whose labels satisfy every \
                    matcher of `matchers`: a list of {"labels", "scrapePool", "scrapeUrl", "health", \
                    "lastError", "lastScrape", "lastScrapeDuration"}. "Every target of job api is up" is \
                    targets(job="api", health="down") with the tolerance {"type": "jsonpath", "path": "$[*]", \
                    "count": 0}.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .targetJob, .health, .matchers, .verifyTLS,
                ],
                returnType: "list")
        ) { call in
            var matchers = try call.labelMatchers()
            if let job = call.arguments.string(.targetJob) {
                matchers.append(try LabelMatcher("job=" + JSONValue.string(job).serializedString()))
            }
            let health = try call.arguments.requiredString(.health)
            let document = try await call.fetch(.targets, parameters: [("state", "active")], environment: environment)
            guard let targets = document["data"]?["activeTargets"]?.arrayValue else {
                throw FailedActivity("the targets answer has no data.activeTargets list", reason: .badResponse)
            }
            let kept = ["labels", "scrapePool", "scrapeUrl", "health", "lastError", "lastScrape", "lastScrapeDuration"]
            return .array(
                targets.filter { target in
                    (health == "any" || target["health"]?.stringValue == health)
                        && matchers.allSatisfy { $0.matches(target["labels"]?.objectValue ?? [:]) }
                }.map { target in
                    // discoveredLabels, often the bulk of the answer, say how the target was found, not how it is.
                    .object(JSONObject(kept.compactMap { key in target[key].map { (key, $0) } }))
                })
        }
    }
}

extension ActivityCall {
    /// The document of a `GET` of `api` with this call's settings.
    func fetch(
        _ api: PrometheusAPI, parameters: [(name: String, value: String)], environment: ProbeEnvironment
    ) async throws -> PrometheusDocument {
        let settings = try settings(in: environment)
        return try await environment.client.perform(
            .init(api: api, parameters: parameters, settings: settings, queryTimeout: nil, verifyTLS: verifyTLS))
    }
}

extension ActivityArgument {
    static let alertState = ActivityArgument.optional("state", .oneOf(["firing", "pending", "any"]), default: "firing")
    static let matchers = ActivityArgument.optional("matchers", .list(of: ["type": "string"]), default: [])
    static let targetJob = ActivityArgument.optional("job", .string, default: nil)
    static let health = ActivityArgument.optional("health", .oneOf(["up", "down", "unknown", "any"]), default: "any")
}

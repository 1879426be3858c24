import ActivityHTTP
import ChaosToolkit
import CivilCalendar
import JSON
import PluginLog

/// Checks one activity of an experiment without running it: the activity exists, its arguments bind with the
/// right types, its times parse, its range fits Prometheus's 11,000 steps, and its PromQL parses on the
/// Prometheus it would query (`GET /api/v1/format_query`, Prometheus 2.38 and later), which evaluates nothing.
///
/// Arguments that still hold a `${...}` the experiment's configuration could not fill (a `--var` of the run) are
/// not checked beyond their type. The PromQL check needs the server: when it cannot be reached, or has no
/// `format_query` (before 2.38, or a compatible server without it), the check is skipped and a note says so.
package struct ProbeValidation: Sendable {
    /// One mistake found.
    package struct Problem: Sendable, Equatable {
        /// The argument at fault, when one is.
        package let argument: String?
        package let message: String
    }

    /// What the check found: the mistakes, and what it could not check and why.
    package struct Outcome: Sendable, Equatable {
        package var problems: [Problem] = []
        package var notes: [String] = []
    }

    private let environment: ProbeEnvironment

    package init(environment: ProbeEnvironment) {
        self.environment = environment
    }

    /// The arguments that name times.
    private static let timeArguments = ["when", "start", "end", "baseline"]
    /// The arguments that are lengths of time: seconds, or a duration such as `"30s"`.
    private static let durationArguments = ["step", "timeout", "interval"]

    /// Checks `arguments` for `activity`, with the experiment's `configuration` and the activity's `secrets`;
    /// `baseURL` is the server a one-shot command line names, over the configuration's.
    ///
    /// No secret of `secrets` is in what it returns: every message passes the call's redaction, as a call's do.
    package func check(
        _ activity: Activity, arguments: JSONObject, configuration: JSONObject, secrets: JSONObject, baseURL: String?,
        processEnvironment: [String: String]
    ) async -> Outcome {
        let redaction = Redaction.of(
            ActivityMapping(secrets, kind: .secrets, environment: processEnvironment).secretTexts)
        let outcome = await redaction.whileCurrent {
            await uncheckedForSecrets(
                activity, arguments: arguments, configuration: configuration, secrets: secrets, baseURL: baseURL,
                processEnvironment: processEnvironment)
        }
        return Outcome(
            problems: outcome.problems.map { Problem(argument: $0.argument, message: redaction.apply($0.message)) },
            notes: outcome.notes.map(redaction.apply))
    }

    private func uncheckedForSecrets(
        _ activity: Activity, arguments: JSONObject, configuration: JSONObject, secrets: JSONObject, baseURL: String?,
        processEnvironment: [String: String]
    ) async -> Outcome {
        var outcome = Outcome()
        let bound: ActivityArguments
        do {
            // A value still holding a `${...}` (a `--var` of the run) is filled at run time: a stand-in of the
            // argument's type takes its place here, so only what is known is judged.
            bound = try activity.descriptor.bind(Self.withStandIns(arguments, for: activity.descriptor))
        } catch {
            outcome.problems.append(Problem(argument: nil, message: error.message))
            return outcome
        }
        var configuration = configuration
        if let baseURL, ExperimentActivities.isSubstituted(.string(baseURL)) {
            configuration["prometheus_base_url"] = .string(baseURL)
        }
        let call = ActivityCall(
            arguments: bound, configuration: configuration, secrets: secrets, environment: processEnvironment)

        let now = environment.now()
        var times: [String: UnixTime] = [:]
        for argument in activity.descriptor.arguments where Self.timeArguments.contains(argument.name) {
            guard let value = arguments[argument.name], ExperimentActivities.isSubstituted(value) else { continue }
            do {
                times[argument.name] = try call.time(argument, in: environment, now: now)
            } catch {
                outcome.problems.append(Problem(argument: argument.name, message: error.message))
            }
        }
        if let window = arguments[ActivityArgument.window.name]?.stringValue,
            ExperimentActivities.isSubstituted(.string(window))
        {
            do {
                _ = try Activity.windowStart(window, now: now, environment: environment)
            } catch {
                outcome.problems.append(Problem(argument: "window", message: error.message))
            }
        }
        for argument in activity.descriptor.arguments where Self.durationArguments.contains(argument.name) {
            guard let value = arguments[argument.name], value != .null, ExperimentActivities.isSubstituted(value)
            else { continue }
            do {
                _ = try call.duration(argument)
            } catch {
                outcome.problems.append(Problem(argument: argument.name, message: error.message))
            }
        }
        if !outcome.problems.contains(where: { $0.argument == "step" }), let start = times["start"],
            let end = times["end"],
            arguments[ActivityArgument.step.name].map(ExperimentActivities.isSubstituted) ?? true
        {
            do {
                _ = try call.rangeStep(start: start, end: end)
            } catch {
                outcome.problems.append(
                    Problem(argument: (error.detail["argument"]?.stringValue) ?? "step", message: error.message))
            }
        }
        if let query = arguments[ActivityArgument.query.name], ExperimentActivities.isSubstituted(query),
            let text = query.stringValue
        {
            await checkPromQL(text, call: call, into: &outcome)
        }
        return outcome
    }

    /// `arguments` with each value that still holds a `${...}` replaced by a value its declared type accepts.
    private static func withStandIns(_ arguments: JSONObject, for descriptor: ActivityDescriptor) -> JSONObject {
        var replaced = arguments
        for argument in descriptor.arguments {
            guard let value = arguments[argument.name], !ExperimentActivities.isSubstituted(value) else { continue }
            replaced[argument.name] = standIn(for: argument.type.schema) ?? value
        }
        return replaced
    }

    /// A value that `schema` (an argument type's) describes.
    private static func standIn(for schema: JSONValue) -> JSONValue? {
        if let first = schema["enum"]?.arrayValue?.first { return first }
        if let first = schema["oneOf"]?.arrayValue?.first { return standIn(for: first) }
        let type = schema["type"]?.stringValue ?? schema["type"]?.arrayValue?.first?.stringValue
        switch type {
        case "string": return "x"
        case "number", "integer": return 1
        case "boolean": return true
        case "object": return [:]
        case "array": return []
        default: return nil
        }
    }

    private func checkPromQL(_ query: String, call: ActivityCall, into outcome: inout Outcome) async {
        let settings: PrometheusSettings
        do {
            settings = try call.settings(in: environment)
        } catch {
            outcome.notes.append("the query was not checked: \(error.message)")
            return
        }
        do {
            _ = try await environment.client.perform(
                .init(
                    api: .formatQuery, parameters: [("query", query)], settings: settings, queryTimeout: nil,
                    verifyTLS: call.verifyTLS))
        } catch let failure as FailedActivity where failure.reason == .prometheusError {
            outcome.problems.append(
                Problem(
                    argument: "query",
                    message:
                        "\(settings.baseURL) does not accept the query: \(failure.detail["error"]?.stringValue ?? failure.message)"
                ))
        } catch let failure as FailedActivity where failure.reason == .httpStatus && failure.detail["status"] == 404 {
            outcome.notes.append(
                "the query was not checked: \(settings.baseURL) has no /api/v1/format_query (Prometheus 2.38 or later has it)"
            )
        } catch let failure as FailedActivity {
            outcome.notes.append("the query was not checked: \(failure.message)")
        } catch {
            outcome.notes.append("the query was not checked: \(error)")
        }
    }
}

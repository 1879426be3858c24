import ChaosToolkit
import JSON
import PrometheusProbes

/// `validate`: every activity of this extension in a Chaos Toolkit experiment, checked without running it
/// (``ProbeValidation``), so that a typo in a steady-state probe is found before the fault is injected, not after.
///
/// The report is `{"activities": <how many were checked>, "problems": [...], "notes": [...]}`: each problem with the
/// activity's `location` in the experiment (`method[2]`), its `activity` name, the `function` it calls, the
/// `argument` at fault when there is one, and a `message`; each note says what could not be checked and why.
enum ExperimentValidation {
    /// A `process` provider's words read as the plugin reads its own command line (``CommandLineOptions``), so
    /// that what the run would refuse is a problem here too.
    static func oneShotCall(_ words: [String]) -> Result<OneShotCommandLine, CommandLineRefusal>? {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments: words, environment: [:])
        } catch {
            return .failure(CommandLineRefusal(error.message))
        }
        guard case .call(let call) = options.action else { return nil }
        // Not given, the base URL is the plugin's default at run time; the experiment's then stands in for it.
        let baseURL = options.defaultBaseURL == CommandLineOptions().defaultBaseURL ? nil : options.defaultBaseURL
        return .success(
            OneShotCommandLine(
                probe: call.probe, arguments: call.arguments, stringArguments: call.stringArguments, baseURL: baseURL))
    }

    static func report(
        of experiment: JSONObject, catalogue: ActivityCatalogue, validation: ProbeValidation,
        environment: [String: String]
    ) async -> JSONValue {
        let activities = ExperimentActivities(
            experiment, modules: Set(catalogue.activities.map(\.descriptor.module)), environment: environment,
            commandLine: oneShotCall)
        var problems: [JSONValue] = activities.unreadable.map {
            ["location": .string($0.location), "message": .string($0.message)]
        }
        var notes: [JSONValue] = activities.unchecked.map {
            ["location": .string($0.location), "message": .string($0.message)]
        }
        for found in activities.found {
            let place: JSONObject = [
                "location": .string(found.location), "activity": .string(found.name),
                "function": .string(found.function),
            ]
            // A python provider names a module; a one-shot `call` runs probes only.
            let candidates = catalogue.activities.filter { activity in
                found.module.map { activity.descriptor.module == $0 } ?? (activity.descriptor.kind == .probe)
            }
            guard let activity = candidates.first(where: { $0.descriptor.name == found.function }) else {
                let names = candidates.map(\.descriptor.name).joined(separator: ", ")
                var problem = place
                problem["message"] = .string(
                    "\(found.module ?? "chaostoolkit-prometheus call") has no \(found.module == nil ? "probe" : "activity") '\(found.function)'; it has \(names)"
                )
                problems.append(.object(problem))
                continue
            }
            let outcome = await validation.check(
                activity, arguments: found.arguments, configuration: activities.configuration, secrets: found.secrets,
                baseURL: found.baseURL, processEnvironment: environment)
            for mistake in outcome.problems {
                var problem = place
                if let argument = mistake.argument { problem["argument"] = .string(argument) }
                problem["message"] = .string(mistake.message)
                problems.append(.object(problem))
            }
            for text in outcome.notes {
                var note = place
                note["message"] = .string(text)
                notes.append(.object(note))
            }
        }
        return [
            "activities": .number(JSONNumber(activities.found.count)), "problems": .array(problems),
            "notes": .array(notes),
        ]
    }
}

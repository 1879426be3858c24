import JSON

/// The activities of one of this extension's modules in a Chaos Toolkit experiment, with their arguments as the
/// toolkit would pass them, for checking an experiment before it runs.
///
/// Found in the steady-state hypothesis's probes, the method and the rollbacks: `python` providers naming
/// `chaosprometheus.probes` or `chaosprometheus.metrics`, and `process` providers running the one-shot
/// `chaostoolkit-prometheus call PROBE ...`. Arguments are substituted as the toolkit does: `${name}` takes the
/// configuration's value of `name` (an environment reference resolved from `environment`); a name the
/// configuration lacks (a `--var` of the run, say) is left as it is, and ``isSubstituted(_:)`` says so.
package struct ExperimentActivities: Sendable {
    /// One activity found.
    package struct Found: Sendable {
        /// Where it is: `steady-state-hypothesis.probes[0]`, `method[2]`, `rollbacks[0]`.
        package let location: String
        /// Its name in the experiment.
        package let name: String
        /// The activity it calls: `query`, `check_threshold`.
        package let function: String
        /// The module a `python` provider names; `nil` for a one-shot `process` provider, which calls a probe.
        package let module: String?
        /// Its arguments, substituted.
        package let arguments: JSONObject
        /// For a one-shot `process` provider, the `--prometheus-base-url` it gives, substituted.
        package let baseURL: String?
        /// The secrets of the scopes it names, merged.
        package let secrets: JSONObject
    }

    /// The activities found, in the order of the experiment.
    package let found: [Found]
    /// What could not be read as an activity of this extension, by location (a one-shot command line with a bad
    /// `--arguments`, say).
    package let unreadable: [(location: String, message: String)]
    /// Activities left unchecked, and why (a one-shot `--arguments @FILE`, which is read only at run time).
    package let unchecked: [(location: String, message: String)]
    /// The experiment's configuration, as it was written.
    package let configuration: JSONObject

    /// Reads the activities of `experiment` whose `python` provider names one of `modules` (this extension's), or
    /// whose `process` provider runs the plugin; environment references in its configuration resolve from
    /// `environment`.
    package init(
        _ experiment: JSONObject, modules: Set<String>, environment: [String: String], commandLine: CommandLineReader
    ) {
        let configuration = experiment["configuration"]?.objectValue ?? [:]
        let secrets = experiment["secrets"]?.objectValue ?? [:]
        let substitution = Substitution(configuration: configuration, environment: environment)
        var found: [Found] = []
        var unreadable: [(String, String)] = []
        var unchecked: [(String, String)] = []
        let groups: [(String, JSONValue?)] = [
            ("steady-state-hypothesis.probes", experiment["steady-state-hypothesis"]?["probes"]),
            ("method", experiment["method"]), ("rollbacks", experiment["rollbacks"]),
        ]
        for (group, activities) in groups {
            for (index, activity) in (activities?.arrayValue ?? []).enumerated() {
                guard let activity = activity.objectValue, let provider = activity["provider"]?.objectValue else {
                    continue
                }
                let location = "\(group)[\(index)]"
                let name = activity["name"]?.stringValue ?? "(unnamed)"
                var merged = JSONObject()
                for scope in activity["secrets"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    for (key, value) in secrets[scope]?.objectValue ?? [:] { merged[key] = value }
                }
                switch provider["type"]?.stringValue {
                case "python":
                    guard let module = provider["module"]?.stringValue, modules.contains(module),
                        let function = provider["func"]?.stringValue
                    else { continue }
                    let arguments =
                        substitution.apply(to: .object(provider["arguments"]?.objectValue ?? [:])).objectValue ?? [:]
                    found.append(
                        Found(
                            location: location, name: name, function: function, module: module, arguments: arguments,
                            baseURL: nil, secrets: merged))
                case "process":
                    guard let path = provider["path"]?.stringValue,
                        path.split(separator: "/").last == "chaostoolkit-prometheus",
                        let words = substitution.apply(to: provider["arguments"] ?? .array([])).arrayValue?.compactMap(
                            \.stringValue)
                    else { continue }
                    switch Self.oneShot(words, read: commandLine) {
                    case .success(let call)?:
                        found.append(
                            Found(
                                location: location, name: name, function: call.function, module: nil,
                                arguments: call.arguments, baseURL: call.baseURL, secrets: merged))
                    case .failure(let problem)? where problem.isMistake:
                        unreadable.append((location, problem.message))
                    case .failure(let problem)?:
                        unchecked.append((location, problem.message))
                    case nil:
                        continue  // not `call`: `discover`, `--version`
                    }
                default:
                    continue
                }
            }
        }
        self.found = found
        self.unreadable = unreadable
        self.unchecked = unchecked
        self.configuration = configuration
    }

    /// Whether `value` holds no `${...}` that the configuration could not fill.
    package static func isSubstituted(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): !text.contains("${")
        case .array(let elements): elements.allSatisfy(isSubstituted)
        case .object(let members): members.allSatisfy { isSubstituted($0.value) }
        default: true
        }
    }

    private struct Unreadable: Error {
        let message: String
        /// Whether the command line is wrong, rather than only unreadable before the run.
        var isMistake = true
    }

    /// The probe and arguments of a one-shot command line, read by `read` (the plugin's own command-line
    /// parser), or `nil` when it is not a `call`.
    private static func oneShot(_ words: [String], read: CommandLineReader) -> Result<Found, Unreadable>? {
        let command: OneShotCommandLine
        switch read(words) {
        case nil: return nil
        case .failure(let refusal)?:
            // A `${...}` filled only at run time (a `--var`) may be what the reader refused: not judged.
            let filledAtRunTime = !words.allSatisfy { isSubstituted(.string($0)) }
            return .failure(
                filledAtRunTime
                    ? Unreadable(
                        message: "its command line holds values filled only at run time: the activity is not checked",
                        isMistake: false)
                    : Unreadable(message: refusal.message))
        case .success(let read)?: command = read
        }
        var arguments: JSONObject = [:]
        if command.arguments.hasPrefix("@") {
            return .failure(
                Unreadable(
                    message:
                        "its --arguments are read from \(command.arguments.dropFirst()) at run time: the activity is not checked",
                    isMistake: false))
        }
        if let object = (try? JSONValue(parsing: command.arguments))?.objectValue {
            arguments = object
        } else if isSubstituted(.string(command.arguments)) {
            return .failure(Unreadable(message: "--arguments is not a JSON object: \(command.arguments)"))
        }  // else a `${...}` the configuration could not fill may leave text that is not JSON until the run
        for (name, value) in command.stringArguments { arguments[name] = .string(value) }
        return .success(
            Found(
                location: "", name: "", function: command.probe, module: nil, arguments: arguments,
                baseURL: command.baseURL, secrets: [:]))
    }
}

/// A one-shot `call` command line as the plugin reads it: the probe, its `--arguments` (JSON text, or `@FILE`),
/// its `--arg NAME=TEXT` strings, and its `--prometheus-base-url` when it gives one.
package struct OneShotCommandLine: Sendable {
    package let probe: String
    package let arguments: String
    package let stringArguments: [(name: String, value: String)]
    package let baseURL: String?

    package init(probe: String, arguments: String, stringArguments: [(name: String, value: String)], baseURL: String?) {
        self.probe = probe
        self.arguments = arguments
        self.stringArguments = stringArguments
        self.baseURL = baseURL
    }
}

/// Why a command line would not run: the plugin's own words for it.
package struct CommandLineRefusal: Error, Sendable {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }
}

/// Reads the words of a `process` provider running the plugin as the plugin reads its command line: `nil` when
/// they are not a `call`.
package typealias CommandLineReader = @Sendable ([String]) -> Result<OneShotCommandLine, CommandLineRefusal>?

/// The toolkit's `${name}` substitution from the configuration.
private struct Substitution {
    let values: [String: JSONValue]

    init(configuration: JSONObject, environment: [String: String]) {
        // Resolved as a call resolves them, `env_var_type` included; one that cannot be resolved is left out.
        let mapping = ActivityMapping(configuration, kind: .configuration, environment: environment)
        var values: [String: JSONValue] = [:]
        for key in configuration.keys {
            if let value = try? mapping.value(key) { values[key] = value }
        }
        self.values = values
    }

    func apply(to value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            // A whole `${name}` takes the value itself, of any type, as the toolkit does.
            if text.hasPrefix("${"), text.hasSuffix("}"), !text.dropFirst(2).dropLast().contains("$"),
                let whole = values[String(text.dropFirst(2).dropLast())]
            {
                return whole
            }
            var result = text
            for (key, substitute) in values {
                guard let string = substitute.stringValue ?? substitute.numberValue?.text else { continue }
                result = result.replacing("${\(key)}", with: string)
            }
            return .string(result)
        case .array(let elements):
            return .array(elements.map(apply))
        case .object(let members):
            return .object(JSONObject(members.map { ($0.key, apply(to: $0.value)) }))
        default:
            return value
        }
    }
}

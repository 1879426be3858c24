import JSON

/// What kind of activity: Chaos Toolkit probes observe, actions change the system, controls hook a run.
package enum ActivityKind: String, Sendable {
    case probe, action, control
}

/// An activity's signature and documentation: everything but what it does.
package struct ActivityDescriptor: Sendable {
    package let kind: ActivityKind
    /// The function name, such as `query`.
    package let name: String
    /// The Python module a Chaos Toolkit experiment names, such as `chaosprometheus.probes`.
    package let module: String
    /// What the activity does, for a person writing an experiment.
    package let doc: String
    /// The arguments, in signature order.
    package let arguments: [ActivityArgument]
    /// The Chaos Toolkit type name of the result.
    package let returnType: String
    /// What happens to arguments the signature does not declare.
    package let undeclaredArguments: UndeclaredArguments

    /// What an activity does with arguments its signature does not declare.
    package enum UndeclaredArguments: Sendable {
        /// They are an error, as for a Python function without `**kwargs`.
        case refused
        /// They are accepted and ignored, as for a Python function with `**kwargs` (the controls).
        case ignored
    }

    package init(
        kind: ActivityKind, name: String, module: String, doc: String, arguments: [ActivityArgument],
        returnType: String, undeclaredArguments: UndeclaredArguments = .refused
    ) {
        self.kind = kind
        self.name = name
        self.module = module
        self.doc = doc
        self.arguments = arguments
        self.returnType = returnType
        self.undeclaredArguments = undeclaredArguments
    }

    /// `module.name`, the name of the function a Chaos Toolkit python provider calls.
    package var qualifiedName: String { "\(module).\(name)" }

    /// Checks `given` against the signature, in the Chaos Toolkit's words, and fills in defaults.
    ///
    /// An explicit `null` counts as not given, so the default applies.
    package func bind(_ given: JSONObject) throws(ActivityArgumentError) -> ActivityArguments {
        let declared = Set(arguments.map(\.name))
        if undeclaredArguments == .refused, let unknown = given.keys.first(where: { !declared.contains($0) }) {
            throw ActivityArgumentError(
                "argument '\(unknown)' is not part of the function signature in activity '\(name)'")
        }
        var values: [String: JSONValue] = [:]
        for argument in arguments {
            switch (given[argument.name], argument.defaultValue) {
            case (nil, nil), (.null?, nil):
                throw ActivityArgumentError("required argument '\(argument.name)' is missing from activity '\(name)'")
            case (nil, let fallback?), (.null?, let fallback?):
                values[argument.name] = fallback
            case (let value?, _):
                guard argument.type.accepts(value) else {
                    throw ActivityArgumentError(
                        "argument '\(argument.name)' of activity '\(name)' must be \(argument.type.expectation), not \(value.describedForError)"
                    )
                }
                values[argument.name] = value
            }
        }
        return ActivityArguments(values: values)
    }

    /// The activity as Chaos Toolkit discovery lists it.
    package var discoveryEntry: JSONValue {
        let arguments: [JSONValue] = arguments.map { argument in
            var entry: JSONObject = ["name": .string(argument.name), "type": .string(argument.type.name)]
            if let defaultValue = argument.defaultValue { entry["default"] = defaultValue }
            return .object(entry)
        }
        return [
            "type": .string(kind.rawValue), "name": .string(name), "mod": .string(module), "doc": .string(doc),
            "arguments": .array(arguments), "return_type": .string(returnType),
        ]
    }
}

extension JSONValue {
    /// The value's type, and the value itself when it is short: `a string ("15 s")`, `a number (1.5)`.
    var describedForError: String {
        switch self {
        case .string, .number, .bool:
            let text = serializedString()
            return text.count <= 40 ? "\(typeDescription) (\(text))" : typeDescription
        default:
            return typeDescription
        }
    }
}

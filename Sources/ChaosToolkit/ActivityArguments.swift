import JSON

/// The arguments of one call, checked against the activity's signature, with defaults filled in.
///
/// Built by ``ActivityDescriptor/bind(_:)``, so every declared argument is present (possibly `null`) and of
/// its declared type: the accessors cannot fail on a value the signature allows.
package struct ActivityArguments: Sendable {
    private let values: [String: JSONValue]

    init(values: [String: JSONValue]) {
        self.values = values
    }

    /// The value of `name`; `.null` for an optional argument without a value.
    package subscript(name: String) -> JSONValue {
        values[name] ?? .null
    }

    /// The value of `argument`; `.null` for an optional argument without a value.
    package subscript(argument: ActivityArgument) -> JSONValue {
        self[argument.name]
    }

    /// The text of a string argument, or `nil` when it has no value.
    package func string(_ argument: ActivityArgument) -> String? {
        self[argument].stringValue
    }

    /// A boolean argument, or `nil` when it has no value.
    package func bool(_ argument: ActivityArgument) -> Bool? {
        if case .bool(let flag) = self[argument] { return flag }
        return nil
    }

    /// The text of a string argument that always has one: required, or with a default. Binding guarantees it, so
    /// its absence means the activity reads an argument its signature does not declare that way: a
    /// `FailedActivity` naming it, never a crash of the process.
    package func requiredString(_ argument: ActivityArgument) throws(FailedActivity) -> String {
        guard let text = string(argument) else { throw Self.undeclared(argument, "a string") }
        return text
    }

    /// The case of `Choice` that a `oneOf` argument with a value names (`operator`, `mean_type`).
    package func choice<Choice: RawRepresentable<String>>(_ argument: ActivityArgument, as _: Choice.Type = Choice.self)
        throws(FailedActivity) -> Choice
    {
        guard let text = string(argument), let choice = Choice(rawValue: text) else {
            throw Self.undeclared(argument, "one of its choices")
        }
        return choice
    }

    private static func undeclared(_ argument: ActivityArgument, _ expectation: String) -> FailedActivity {
        FailedActivity(
            "argument '\(argument.name)' has no value that is \(expectation), though its declaration promises one",
            reason: .invalidArgument, detail: ["argument": .string(argument.name)])
    }
}

import JSON

/// One argument of an activity, as its signature declares it.
package struct ActivityArgument: Sendable {
    /// The name an experiment uses for it.
    package let name: String
    /// The values it accepts.
    package let type: ArgumentType
    /// The value used when the argument is not given; `nil` when the argument is required.
    /// A default of `.null` means optional with no value.
    package let defaultValue: JSONValue?

    /// A required argument.
    package static func required(_ name: String, _ type: ArgumentType) -> ActivityArgument {
        ActivityArgument(name: name, type: type, defaultValue: nil)
    }

    /// An optional argument with a default (`.null` for "none").
    package static func optional(_ name: String, _ type: ArgumentType, default defaultValue: JSONValue)
        -> ActivityArgument
    {
        ActivityArgument(name: name, type: type, defaultValue: defaultValue)
    }
}

import JSON

/// One argument of an activity, as its signature declares it.
public struct ActivityArgument: Sendable {
    /// The name an experiment uses for it.
    public let name: String
    /// The values it accepts.
    public let type: ArgumentType
    /// The value used when the argument is not given; `nil` when the argument is required.
    /// A default of `.null` means optional with no value.
    public let defaultValue: JSONValue?

    /// A required argument.
    public static func required(_ name: String, _ type: ArgumentType) -> ActivityArgument {
        ActivityArgument(name: name, type: type, defaultValue: nil)
    }

    /// An optional argument with a default (`.null` for "none").
    public static func optional(_ name: String, _ type: ArgumentType, default defaultValue: JSONValue)
        -> ActivityArgument
    {
        ActivityArgument(name: name, type: type, defaultValue: defaultValue)
    }

    /// Whether the argument must be given.
    public var isRequired: Bool { defaultValue == nil }
}

import JSON

/// The type of an activity argument: which JSON values it accepts, and its Chaos Toolkit name.
///
/// The names are those of Chaos Toolkit discovery (`string`, `number`, `integer`, `boolean`, `mapping`,
/// `list`), so a host can validate an experiment against the catalogue.
public struct ArgumentType: Sendable {
    /// The Chaos Toolkit type name shown in discovery.
    public let name: String
    /// What a value must be, as an error message says it: "a string", "an integer".
    public let expectation: String
    private let accepts: @Sendable (JSONValue) -> Bool

    /// A type of its own, for arguments that accept more than one JSON type.
    public init(name: String, expectation: String, accepts: @escaping @Sendable (JSONValue) -> Bool) {
        self.name = name
        self.expectation = expectation
        self.accepts = accepts
    }

    /// Whether `value` is of this type.
    public func accepts(_ value: JSONValue) -> Bool { accepts(value) }

    public static let string = ArgumentType(name: "string", expectation: "a string") { $0.stringValue != nil }
    public static let number = ArgumentType(name: "number", expectation: "a number") { $0.numberValue != nil }
    /// A whole number; `2.0` counts, `2.5` does not.
    public static let integer = ArgumentType(name: "integer", expectation: "an integer") {
        $0.numberValue?.intValue != nil
    }
    public static let boolean = ArgumentType(name: "boolean", expectation: "a boolean") {
        if case .bool = $0 { return true }
        return false
    }
    public static let mapping = ArgumentType(name: "mapping", expectation: "an object") { $0.objectValue != nil }
    public static let list = ArgumentType(name: "list", expectation: "an array") { $0.arrayValue != nil }

    /// A string that must be one of `choices`; shown as `string` in discovery.
    public static func oneOf(_ choices: [String]) -> ArgumentType {
        ArgumentType(
            name: "string", expectation: "one of " + choices.map { "'\($0)'" }.joined(separator: ", ")
        ) { value in value.stringValue.map(choices.contains) ?? false }
    }
}

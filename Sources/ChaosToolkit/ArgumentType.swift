import JSON

/// The type of an activity argument: which JSON values it accepts, and its Chaos Toolkit name.
///
/// The names are those of Chaos Toolkit discovery (`string`, `number`, `integer`, `boolean`, `mapping`,
/// `list`), so a host can validate an experiment against the catalogue.
package struct ArgumentType: Sendable {
    /// The Chaos Toolkit type name shown in discovery.
    package let name: String
    /// What a value must be, as an error message says it: "a string", "an integer".
    package let expectation: String
    /// The values it accepts as a JSON Schema (2020-12), for hosts that build forms or check calls from
    /// schemas, such as the Model Context Protocol's tool listings. Every array schema has `items`.
    package let schema: JSONValue
    private let accepts: @Sendable (JSONValue) -> Bool

    /// A type of its own, for arguments that accept more than one JSON type.
    package init(
        name: String, expectation: String, schema: JSONValue, accepts: @escaping @Sendable (JSONValue) -> Bool
    ) {
        self.name = name
        self.expectation = expectation
        self.schema = schema
        self.accepts = accepts
    }

    /// Whether `value` is of this type.
    package func accepts(_ value: JSONValue) -> Bool { accepts(value) }

    package static let string = ArgumentType(name: "string", expectation: "a string", schema: ["type": "string"]) {
        $0.stringValue != nil
    }
    package static let number = ArgumentType(name: "number", expectation: "a number", schema: ["type": "number"]) {
        $0.numberValue != nil
    }
    /// A whole number; `2.0` counts, `2.5` does not.
    package static let integer = ArgumentType(name: "integer", expectation: "an integer", schema: ["type": "integer"]) {
        $0.numberValue?.intValue != nil
    }
    package static let boolean = ArgumentType(name: "boolean", expectation: "a boolean", schema: ["type": "boolean"]) {
        if case .bool = $0 { return true }
        return false
    }
    package static let mapping = ArgumentType(name: "mapping", expectation: "an object", schema: ["type": "object"]) {
        $0.objectValue != nil
    }
    package static let list = ArgumentType.list(of: [:])

    /// An array whose elements are described by `items` (a JSON Schema; `{}` for any value). The elements are
    /// the activity's to check: the type itself accepts any array.
    package static func list(of items: JSONValue) -> ArgumentType {
        ArgumentType(name: "list", expectation: "an array", schema: ["type": "array", "items": items]) {
            $0.arrayValue != nil
        }
    }

    /// A string that must be one of `choices`; shown as `string` in discovery.
    package static func oneOf(_ choices: [String]) -> ArgumentType {
        ArgumentType(
            name: "string", expectation: "one of " + choices.map { "'\($0)'" }.joined(separator: ", "),
            schema: ["type": "string", "enum": .array(choices.map(JSONValue.string))]
        ) { value in value.stringValue.map(choices.contains) ?? false }
    }
}

import JSON

/// The `id` of a JSON-RPC request: a string, a number or null.
///
/// `1` and `"1"` are different ids; `1` and `1.0` are the same number.
package enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(JSONNumber)
    case null

    /// The id for a JSON value, or `nil` when the value is not a valid id (a boolean, an array, an object).
    package init?(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .number(let number): self = .number(number)
        case .null: self = .null
        default: return nil
        }
    }

    /// The id as it is written in a response.
    package var jsonValue: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .number(let number): .number(number)
        case .null: .null
        }
    }

    package var description: String { jsonValue.serializedString() }
}

import JSON

/// Compares a JSON value with a documented pattern in which `"…"` stands for any value and a string ending
/// in `…` for any string with that beginning; everything else must be equal (objects with the same members).
package enum JSONPattern {
    package static let wildcard = "…"

    /// Whether `value` fits `pattern`.
    package static func matches(_ value: JSONValue, _ pattern: JSONValue) -> Bool {
        switch (pattern, value) {
        case (.string(wildcard), _):
            return true
        case (.string(let expected), .string(let actual)) where expected.hasSuffix(wildcard):
            return actual.hasPrefix(String(expected.dropLast(wildcard.count)))
        case (.object(let expected), .object(let actual)):
            return Set(expected.keys) == Set(actual.keys)
                && expected.allSatisfy { member in matches(actual[member.key]!, member.value) }
        case (.array(let expected), .array(let actual)):
            return expected.count == actual.count && zip(actual, expected).allSatisfy { matches($0, $1) }
        default:
            return value == pattern
        }
    }

    /// Whether every line of `actual` fits a distinct pattern of `expected`, in any order.
    package static func linesMatch(_ actual: [JSONValue], _ expected: [JSONValue]) -> Bool {
        guard actual.count == expected.count else { return false }
        var unmatched = actual
        for pattern in expected {
            guard let index = unmatched.firstIndex(where: { matches($0, pattern) }) else { return false }
            unmatched.remove(at: index)
        }
        return true
    }
}

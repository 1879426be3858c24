import JSON

/// Compares a JSON value with a documented pattern in which `"…"` stands for any value, and `…` inside a string
/// for any text there (`"failed: … (the server may want …"`); everything else must be equal (objects with the same
/// members).
package enum JSONPattern {
    package static let wildcard = "…"

    /// Whether `value` fits `pattern`.
    package static func matches(_ value: JSONValue, _ pattern: JSONValue) -> Bool {
        switch (pattern, value) {
        case (.string(wildcard), _):
            return true
        case (.string(let expected), .string(let actual)) where expected.contains(wildcard):
            return fits(actual, expected.components(separatedBy: wildcard))
        case (.object(let expected), .object(let actual)):
            return Set(expected.keys) == Set(actual.keys)
                && expected.allSatisfy { member in matches(actual[member.key]!, member.value) }
        case (.array(let expected), .array(let actual)):
            return expected.count == actual.count && zip(actual, expected).allSatisfy { matches($0, $1) }
        default:
            return value == pattern
        }
    }

    /// Whether `text` is `parts` in order with anything between them: it begins with the first, ends with the
    /// last, and holds the others between, each after the one before.
    private static func fits(_ text: String, _ parts: [String]) -> Bool {
        guard let first = parts.first, let last = parts.last, text.hasPrefix(first) else { return false }
        var rest = text.dropFirst(first.count)
        for part in parts.dropFirst().dropLast() {
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.hasSuffix(last)
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

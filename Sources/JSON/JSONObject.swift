/// A JSON object: members looked up by name, written in the order they were added.
///
/// Equality ignores member order, as JSON does. Names are compared code point by code point, as RFC 8259
/// says, not by Swift's canonical equivalence: `"caf\u00e9"` and `"cafe\u0301"` are two different names.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// A member name compared by its Unicode scalars.
    private struct Name: Hashable, Sendable {
        let text: String
        static func == (lhs: Name, rhs: Name) -> Bool { lhs.text.unicodeScalars.elementsEqual(rhs.text.unicodeScalars) }
        func hash(into hasher: inout Hasher) {
            for scalar in text.unicodeScalars { hasher.combine(scalar.value) }
        }
    }

    private var storage: [Name: JSONValue] = [:]
    /// Member names in insertion order.
    public private(set) var keys: [String] = []

    /// An empty object.
    public init() {}

    /// An object of `members`, in order; a later member of the same name replaces an earlier one.
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        for (key, value) in members { self[key] = value }
    }

    /// The value of the member `key`, or `nil` when there is none. Setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get { storage[Name(text: key)] }
        set {
            let name = Name(text: key)
            switch (storage[name], newValue) {
            case (nil, let value?):
                keys.append(key)
                storage[name] = value
            case (_?, let value?):
                storage[name] = value
            case (_?, nil):
                storage[name] = nil
                keys.removeAll { Name(text: $0) == name }
            case (nil, nil):
                break
            }
        }
    }

    /// Whether the object has a member `key` (even one whose value is `null`).
    public func contains(_ key: String) -> Bool {
        storage[Name(text: key)] != nil
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The members in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        keys.lazy.map { (key: $0, value: self.storage[Name(text: $0)]!) }.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

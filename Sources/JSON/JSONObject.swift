/// A JSON object: members looked up by name, written in the order they were added.
///
/// Equality ignores member order, as JSON does.
public struct JSONObject: Sendable, Hashable, Sequence {
    private var storage: [String: JSONValue] = [:]
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
        get { storage[key] }
        set {
            switch (storage[key], newValue) {
            case (nil, let value?):
                keys.append(key)
                storage[key] = value
            case (_?, let value?):
                storage[key] = value
            case (_?, nil):
                storage[key] = nil
                keys.removeAll { $0 == key }
            case (nil, nil):
                break
            }
        }
    }

    /// Whether the object has a member `key` (even one whose value is `null`).
    public func contains(_ key: String) -> Bool {
        storage[key] != nil
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The members in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        keys.lazy.map { (key: $0, value: self.storage[$0]!) }.makeIterator()
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

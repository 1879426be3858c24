/// A JSON object: members looked up by name, written in the order they were added.
///
/// Equality ignores member order, as JSON does. Names are compared code point by code point, as RFC 8259
/// says, not by Swift's canonical equivalence: `"caf\u00e9"` and `"cafe\u0301"` are two different names.
///
/// The members are kept in one array in their order. A small object (the requests, arguments and labels this
/// package mostly sees) is searched from end to end, which costs less than hashing a name; an object of more than
/// ``indexThreshold`` members also keeps an index from name to position, so that a large one stays fast.
package struct JSONObject: Sendable, Hashable, Sequence {
    /// A member name compared by its bytes in UTF-8, which is comparing its code points.
    private struct Name: Hashable, Sendable {
        let text: String
        static func == (lhs: Name, rhs: Name) -> Bool { sameName(lhs.text, rhs.text) }
        func hash(into hasher: inout Hasher) {
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

    /// Above this many members, lookups go through ``index``.
    static let indexThreshold = 12

    private var members: [(key: String, value: JSONValue)] = []
    /// Position of each member in ``members``, by name; kept only above ``indexThreshold`` members.
    private var index: [Name: Int]?

    /// An empty object.
    package init() {}

    /// An object of `members`, in order; a later member of the same name replaces an earlier one.
    package init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        for (key, value) in members { self[key] = value }
    }

    /// Member names in insertion order.
    package var keys: [String] { members.map(\.key) }

    /// The value of the member `key`, or `nil` when there is none. Setting `nil` removes the member.
    package subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (nil, let value?):
                members.append((key, value))
                if index != nil {
                    index?[Name(text: key)] = members.count - 1
                } else if members.count > Self.indexThreshold {
                    buildIndex()
                }
            case (let found?, let value?):
                members[found].value = value
            case (let found?, nil):
                members.remove(at: found)
                index = nil
                if members.count > Self.indexThreshold { buildIndex() }
            case (nil, nil):
                break
            }
        }
    }

    /// Whether the object has a member `key` (even one whose value is `null`).
    package func contains(_ key: String) -> Bool {
        position(of: key) != nil
    }

    /// The number of members.
    package var count: Int { members.count }

    /// Whether the object has no members.
    package var isEmpty: Bool { members.isEmpty }

    /// The members in insertion order.
    package func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    /// Independent of member order, as ``==`` is: the members' own hashes are summed.
    package func hash(into hasher: inout Hasher) {
        var sum = 0
        for member in members {
            var own = Hasher()
            own.combine(Name(text: member.key))
            own.combine(member.value)
            sum &+= own.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(sum)
    }

    private func position(of key: String) -> Int? {
        if let index { return index[Name(text: key)] }
        return members.firstIndex { Self.sameName($0.key, key) }
    }

    private mutating func buildIndex() {
        var built: [Name: Int] = [:]
        built.reserveCapacity(members.count)
        for (position, member) in members.enumerated() { built[Name(text: member.key)] = position }
        index = built
    }

    /// Whether two names are the same sequence of code points: the same bytes in UTF-8.
    private static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

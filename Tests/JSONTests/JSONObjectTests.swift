import JSON
import Testing

/// An object behaves the same whether it is searched member by member (small) or through its index (large).
@Suite("JSON objects")
struct JSONObjectTests {
    /// Member counts on both sides of the point where an object starts keeping an index.
    static let sizes = [0, 1, 5, 12, 13, 40]

    static func object(of size: Int) -> JSONObject {
        JSONObject((0..<size).map { ("m\($0)", JSONValue.number(JSONNumber($0))) })
    }

    @Test(arguments: sizes)
    func findsEveryMemberByName(size: Int) {
        let object = Self.object(of: size)
        #expect(object.count == size)
        for member in 0..<size { #expect(object["m\(member)"] == .number(JSONNumber(member))) }
        #expect(object["m\(size)"] == nil)
        #expect(!object.contains("absent"))
    }

    @Test(arguments: sizes)
    func keepsTheOrderOfInsertion(size: Int) {
        #expect(Self.object(of: size).keys == (0..<size).map { "m\($0)" })
    }

    @Test(arguments: sizes.filter { $0 > 0 })
    func replacingAValueKeepsItsPlace(size: Int) {
        var object = Self.object(of: size)
        object["m0"] = "replaced"
        #expect(object.keys.first == "m0")
        #expect(object["m0"] == "replaced")
        #expect(object.count == size)
    }

    @Test(arguments: sizes.filter { $0 > 1 })
    func removingAMemberKeepsTheOthersFindable(size: Int) {
        var object = Self.object(of: size)
        object["m0"] = nil
        #expect(object.count == size - 1)
        #expect(!object.contains("m0"))
        for member in 1..<size { #expect(object["m\(member)"] == .number(JSONNumber(member))) }
        object["m0"] = "back"
        #expect(object.keys.last == "m0")
        #expect(object["m0"] == "back")
    }

    @Test func keepsANullMember() {
        let object: JSONObject = ["present": .null]
        #expect(object.contains("present"))
        #expect(object["present"] == .null)
    }

    @Test(arguments: sizes)
    func equalityAndHashIgnoreMemberOrder(size: Int) {
        let forward = Self.object(of: size)
        let backward = JSONObject(forward.reversed().map { ($0.key, $0.value) })
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        var changed = forward
        changed["extra"] = true
        #expect(changed != forward)
    }

    @Test(arguments: [1, 20])
    func keepsNamesThatDifferOnlyInNormalizationApart(padding: Int) {
        var object = Self.object(of: padding)
        object["caf\u{E9}"] = 1
        object["cafe\u{301}"] = 2
        #expect(object.count == padding + 2)
        #expect(object["caf\u{E9}"] == 1)
        #expect(object["cafe\u{301}"] == 2)
    }
}

import JSON
import Testing

@Suite("Parsing JSON")
struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a": [1, -2.5e3, "x", true, false, null], "b": {}} "#)
        #expect(value == ["a": [1, .number(JSONNumber(-2500)), "x", true, false, nil], "b": [:]])
    }

    @Test func keepsNumbersAsWritten() throws {
        let value = try JSONValue(parsing: "[12345678901234567890123, 1.50, 1e400, 1700000000.123]")
        #expect(
            value.arrayValue?.map { $0.numberValue!.text } == [
                "12345678901234567890123", "1.50", "1e400", "1700000000.123",
            ])
        #expect(value.serializedString() == "[12345678901234567890123,1.50,1e400,1700000000.123]")
    }

    @Test func treatsEqualNumbersAsEqual() {
        #expect(JSONValue.number(JSONNumber(1)) == (try! JSONValue(parsing: "1.0")))
        #expect(JSONValue.number(JSONNumber(1)) != (try! JSONValue(parsing: "1.5")))
        #expect(JSONValue.string("1") != JSONValue.number(JSONNumber(1)))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\té😀"))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
        "\"abc", "[1 2]", "{1: 2}", "\"\\x\"", "\"\\u12\"", "NaN", "Infinity", "1 2", "{}{}", "'a'",
    ])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x22]) }
    }

    @Test func refusesLoneSurrogates() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #""\ud83d""#) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #""\ude00""#) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #""\ud83d\u0041""#) }
    }

    @Test func refusesRawControlCharactersInStrings() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "\"a\nb\"") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0x00, 0x22]) }
    }

    @Test func refusesDuplicateMemberNames() throws {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"id": 1, "id": 2}"#) }
        #expect(error?.reason == #"duplicate member name "id""#)
    }

    @Test func keepsNamesThatDifferOnlyInUnicodeNormalizationApart() throws {
        let value = try JSONValue(parsing: #"{"caf\u00e9": 1, "cafe\u0301": 2}"#)
        #expect(value.objectValue?.count == 2)
        #expect(value["caf\u{E9}"] == 1)
        #expect(value["cafe\u{301}"] == 2)
    }

    @Test func refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        #expect(error?.reason == "nesting deeper than 512 levels")
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue(parsing: fine) }
    }

    @Test func reportsWhereTheProblemIs() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": tru}"#) }
        #expect(error?.offset == 6)
        #expect(error?.description == "invalid literal at byte 6")
    }
}

@Suite("Writing JSON")
struct JSONSerializationTests {
    @Test func writesCompactTextWithoutNewlines() {
        let value: JSONValue = ["text": "line one\nline two\r\t\u{1}", "list": [1, nil, true], "empty": [:]]
        #expect(value.serializedString() == #"{"text":"line one\nline two\r\t\u0001","list":[1,null,true],"empty":{}}"#)
    }

    @Test func leavesSlashesAndNonASCIIAlone() {
        #expect(JSONValue.string("a/b é \u{2028}").serializedString() == "\"a/b é \u{2028}\"")
    }

    @Test func escapesQuotesAndBackslashes() {
        #expect(JSONValue.string(#"say "hi" \ bye"#).serializedString() == #""say \"hi\" \\ bye""#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let text =
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1764076549.123,"1"]}]}}"#
        #expect(try JSONValue(parsing: text).serializedString() == text)
    }

    @Test func keepsMemberOrder() {
        var object = JSONObject()
        object["z"] = 1
        object["a"] = 2
        object["m"] = 3
        object["a"] = nil
        #expect(JSONValue.object(object).serializedString() == #"{"z":1,"m":3}"#)
    }

    @Test func writesDoublesInTheirShortestForm() {
        #expect(JSONNumber(0.1)?.text == "0.1")
        #expect(JSONNumber(2.0)?.text == "2")
        #expect(JSONNumber(-1.5)?.text == "-1.5")
    }

    /// Issue 12, finding 1: a non-finite double reached a `precondition` and stopped the process.
    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
    func writesANonFiniteDoubleAsNullAndHasNoNumberForIt(_ value: Double) {
        #expect(JSONNumber(value) == nil)
        #expect(JSONValue(value) == .null)
        #expect(JSONValue.array([JSONValue(value)]).serializedString() == "[null]")
    }
}

@Suite("Numbers kept exactly as written")
struct JSONNumberTests {
    @Test(arguments: ["0", "-0", "0.1", "1e+06", "12.5E-3", "-42", "100000000000000000000001"])
    func keepsTextThatFollowsTheGrammar(_ text: String) throws {
        #expect(try #require(JSONNumber(exactly: text)).text == text)
    }

    @Test(arguments: ["", "+1", "01", "1.", ".5", "1e", "NaN", "+Inf", "0x10", "1 ", "--1"])
    func refusesAnythingElse(_ text: String) {
        #expect(JSONNumber(exactly: text) == nil)
    }
}

import JSON
import Testing

@Suite("JSON text passed on as it is")
struct JSONTextTests {
    private func text(_ source: String) throws -> String {
        String(decoding: try JSONText(validating: Array(source.utf8)).bytes, as: UTF8.self)
    }

    @Test func removesWhiteSpaceBetweenTokensOnly() throws {
        #expect(
            try text(" {\n \"a b\" : [ 1 ,\t2.5e3 , \"x\\ny\" ] ,\r\n \"c\": null }\n")
                == #"{"a b":[1,2.5e3,"x\ny"],"c":null}"#)
    }

    @Test func keepsEscapesAndNumbersExactlyAsWritten() throws {
        let source =
            #"{"status":"success","data":{"q":"a\u003cb","v":[1795612549.250,"0.1"],"e":"\ud83d\ude00","s":"/"}}"#
        #expect(try text(source) == source)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "nul", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"a\nb\"", "[1] [2]", "{\"a\":1}}", "\"\\u12\"",
    ])
    func refusesWhatIsNotOneJSONValue(_ source: String) {
        #expect(throws: JSONParseError.self) { try JSONText(validating: Array(source.utf8)) }
    }

    @Test(
        arguments: [
            [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22],
        ] as [[UInt8]])
    func refusesInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONText(validating: bytes) }
    }

    @Test func acceptsEveryValidUTF8Length() throws {
        #expect(try text("\"é€😀\"") == "\"é€😀\"")
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONText(validating: Array(deep.utf8)) }
    }

    @Test func holdsTheValueTheParserReads() throws {
        let source =
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1,"0.5"]}]}}"#
        let value = try JSONValue(parsing: source)
        #expect(try JSONText(validating: Array(source.utf8)).value == value)
        #expect(JSONOutput.text(try JSONText(validating: Array(source.utf8))) == .value(value))
    }

    @Test func isWrittenOutUnchanged() throws {
        let source = #"{"q":"a\u003cb"}"#
        let response = JSONOutput.object([("result", .text(try JSONText(validating: Array(source.utf8))))])
        #expect(response.serializedString() == #"{"result":{"q":"a\u003cb"}}"#)
    }

    @Test func keepsTheLastOfDuplicateMemberNamesWhenRead() throws {
        let text = try JSONText(validating: Array(#"{"a":1,"a":2}"#.utf8))
        #expect(text.value == ["a": 2])
    }
}

@Suite("Serializing in pieces")
struct SerializedChunksTests {
    @Test func joinedPiecesAreTheSerializedText() throws {
        let large = try JSONText(validating: Array(("[" + String(repeating: "1,", count: 40_000) + "1]").utf8))
        let value = JSONOutput.object([
            ("jsonrpc", .value("2.0")), ("id", .value(1)), ("result", .text(large)),
            ("after", .array([.value("x"), .text(large)])),
        ])
        let chunks = value.serializedChunks()
        #expect(chunks.joined().elementsEqual(value.serialized()))
        #expect(chunks.contains { $0.count == large.bytes.count })
    }

    @Test func smallValuesStayInOnePiece() {
        let value = JSONOutput.value(["a": [1, 2, "three"], "b": nil])
        #expect(value.serializedChunks() == [value.serialized()])
    }
}

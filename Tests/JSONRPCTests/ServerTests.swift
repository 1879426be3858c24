import JSON
import JSONRPC
import PluginLog
import Testing

/// A server with a few methods whose behaviour the tests control.
private func makeServer() -> Server {
    var methods = MethodTable()
    methods.register("echo") { params in params ?? .null }
    methods.register("nothing") { _ in .null }
    methods.register("fail") { _ in throw JSONRPCError(code: .serverError, message: "it failed", data: ["why": "test"])
    }
    methods.register("crash") { _ in throw TestFailure() }
    methods.register("cancelled") { _ in throw CancellationError() }
    methods.register("subtract") { params in
        guard case .array(let numbers)? = params, numbers.count == 2,
            let a = numbers[0].numberValue?.intValue, let b = numbers[1].numberValue?.intValue
        else { throw JSONRPCError.invalidParams("subtract takes two integers") }
        return .number(JSONNumber(a - b))
    }
    methods.register("sum") { params in
        let numbers = params?.arrayValue?.compactMap { $0.numberValue?.intValue } ?? []
        return .number(JSONNumber(numbers.reduce(0, +)))
    }
    return Server(methods: methods, limits: ServerLimits(maximumLineLength: 1024), logger: .disabled)
}

private struct TestFailure: Error {}

private func answer(_ line: String) async -> JSONValue? {
    guard let bytes = await makeServer().answer(toLine: Array(line.utf8)) else { return nil }
    return try! JSONValue(parsing: bytes)
}

@Suite("JSON-RPC 2.0 rules")
struct ServerTests {
    @Test func answersARequestWithItsResultAndId() async {
        #expect(
            await answer(#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#)
                == ["jsonrpc": "2.0", "id": 1, "result": 19])
    }

    @Test func writesANullResultRatherThanDroppingIt() async throws {
        let bytes = try #require(
            await makeServer().answer(toLine: Array(#"{"jsonrpc":"2.0","method":"nothing","id":"n"}"#.utf8)))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"n","result":null}"#)
    }

    @Test func answersAnIdOfNullWithNull() async {
        #expect(
            await answer(#"{"jsonrpc":"2.0","method":"nothing","id":null}"#) == [
                "jsonrpc": "2.0", "id": nil, "result": nil,
            ])
    }

    @Test func keepsStringAndNumberIdsApart() async {
        #expect(await answer(#"{"jsonrpc":"2.0","method":"nothing","id":"1"}"#)?["id"] == "1")
        #expect(await answer(#"{"jsonrpc":"2.0","method":"nothing","id":1}"#)?["id"] == 1)
        #expect(
            await answer(#"{"jsonrpc":"2.0","method":"nothing","id":1.5}"#)?["id"] == (try! JSONValue(parsing: "1.5")))
    }

    @Test func neverAnswersANotificationEvenToAnUnknownMethod() async {
        #expect(await answer(#"{"jsonrpc":"2.0","method":"foobar"}"#) == nil)
        #expect(await answer(#"{"jsonrpc":"2.0","method":"fail"}"#) == nil)
    }

    @Test func answersUnparseableTextWithAParseErrorAndNullId() async {
        let response = await answer(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#)
        #expect(response?["id"] == .null)
        #expect(response?["error"]?["code"] == -32700)
    }

    @Test func answersAnUnknownMethodWithMethodNotFound() async {
        let response = await answer(#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#)
        #expect(response?["id"] == "1")
        #expect(response?["error"]?["code"] == -32601)
        #expect(response?["error"]?["message"] == "Method not found: 'foobar'")
        #expect(response?["error"]?["data"]?["available"]?.arrayValue?.contains("echo") == true)
    }

    @Test(arguments: [
        (#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#, JSONValue.null),
        (#"{"jsonrpc": "1.0", "method": "echo", "id": 7}"#, 7),
        (#"{"method": "echo", "id": 7}"#, 7),
        (#"{"jsonrpc": "2.0", "id": 7}"#, 7),
        (#"{"jsonrpc": "2.0", "method": "echo", "params": "text", "id": 7}"#, 7),
        (#"{"jsonrpc": "2.0", "method": "echo", "params": 3, "id": 7}"#, 7),
        (#"{"jsonrpc": "2.0", "method": "echo", "id": true}"#, .null),
        (#"{"jsonrpc": "2.0", "method": "echo", "id": {"a": 1}}"#, .null),
        (#"{"jsonrpc": "2.0", "method": "echo", "id": [1]}"#, .null),
        (#"{"jsonrpc": "2.0", "method": "echo", "id": 7, "extra": 1}"#, 7),
        ("1", .null),
        (#""text""#, .null),
        ("null", .null),
    ])
    func answersAnInvalidRequestWithItsIdWhenReadable(line: String, id: JSONValue) async {
        let response = await answer(line)
        #expect(response?["error"]?["code"] == -32600, "\(line)")
        #expect(response?["id"] == id, "\(line)")
    }

    @Test func answersInvalidParamsWithTheRequestsOwnId() async {
        let response = await answer(#"{"jsonrpc":"2.0","method":"subtract","params":["a"],"id":9}"#)
        #expect(
            response == [
                "jsonrpc": "2.0", "id": 9, "error": ["code": -32602, "message": "subtract takes two integers"],
            ])
    }

    @Test func passesAMethodsOwnErrorThroughWithItsData() async {
        #expect(
            await answer(#"{"jsonrpc":"2.0","method":"fail","id":2}"#)?["error"]
                == ["code": -32000, "message": "it failed", "data": ["why": "test"]])
    }

    @Test func answersAnUnforeseenErrorAsInternalError() async {
        #expect(await answer(#"{"jsonrpc":"2.0","method":"crash","id":3}"#)?["error"]?["code"] == -32603)
    }

    @Test func answersACancelledMethodWithRequestCancelled() async {
        #expect(
            await answer(#"{"jsonrpc":"2.0","method":"cancelled","id":4}"#)?["error"]
                == ["code": -32800, "message": "Request cancelled"])
    }

    @Test func answersAnEmptyBatchWithOneInvalidRequestError() async {
        let response = await answer("[]")
        #expect(response?["error"]?["code"] == -32600)
        #expect(response?["id"] == .null)
    }

    @Test func answersEachInvalidBatchElement() async {
        #expect(await answer("[1]")?.arrayValue?.map { $0["error"]?["code"] } == [-32600])
        #expect(await answer("[1,2,3]")?.arrayValue?.map { $0["error"]?["code"] } == [-32600, -32600, -32600])
    }

    @Test func answersAnUnparseableBatchWithOneParseError() async {
        let response = await answer(
            #"[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method" ]"#)
        #expect(response?["error"]?["code"] == -32700)
    }

    @Test func answersAMixedBatchWithEveryResponseButTheNotifications() async throws {
        let batch = """
            [{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
             {"jsonrpc": "2.0", "method": "echo", "params": [7]},
             {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
             {"foo": "boo"},
             {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
             {"jsonrpc": "2.0", "method": "echo", "params": {"x": 1}, "id": "9"}]
            """
        let responses = try #require(await answer(batch)?.arrayValue)
        #expect(responses.count == 5)
        let byID = Dictionary(grouping: responses) { $0["id"]! }
        #expect(byID["1"]?.first?["result"] == 7)
        #expect(byID["2"]?.first?["result"] == 19)
        #expect(byID[.null]?.first?["error"]?["code"] == -32600)
        #expect(byID["5"]?.first?["error"]?["code"] == -32601)
        #expect(byID["9"]?.first?["result"] == ["x": 1])
    }

    @Test func answersNothingForABatchOfNotifications() async {
        #expect(
            await answer(#"[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"sum","params":[1]}]"#) == nil)
    }

    @Test func answersAnOverlongLineWithInvalidRequestNamingTheLimit() async throws {
        let bytes = try #require(await makeServer().answer(to: .oversized(length: 5000)))
        let response = try JSONValue(parsing: bytes)
        #expect(response["id"] == .null)
        #expect(response["error"]?["code"] == -32600)
        #expect(
            response["error"]?["message"]
                == "Invalid Request: the line is 5000 bytes long, more than the limit of 1024 bytes")
    }
}

import Foundation
import JSON
import JSONRPC
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Serving lines concurrently")
struct ConcurrencyTests {
    /// Runs a server writing to a file and returns the lines it wrote, in order, once the input has ended.
    ///
    /// A file, not a pipe: a pipe's write end could be inherited by a child process another test starts at the
    /// same moment, and the read would then wait for that child's exit instead of ending.
    private func serve(_ lines: [String], methods: MethodTable) async throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jsonrpc-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        #expect(descriptor >= 0)
        defer { unlink(path) }
        let writer = LineWriter(fileDescriptor: descriptor)
        let server = Server(methods: methods, limits: ServerLimits(maximumLineLength: 1024), logger: .disabled)
        let input = AsyncStream<LineSplitter.Event> { continuation in
            for line in lines { continuation.yield(.line(Array(line.utf8))) }
            continuation.finish()
        }
        await server.run(input: input, output: writer)
        close(descriptor)
        let output = fileContents(path)
        return output.split(separator: "\n").map(String.init)
    }

    @Test func aSlowRequestDoesNotHoldUpTheNextLine() async throws {
        var methods = MethodTable()
        methods.register("slow") { _ in
            try await Task.sleep(for: .milliseconds(500))
            return "slow"
        }
        methods.register("fast") { _ in "fast" }
        let lines = try await serve(
            [#"{"jsonrpc":"2.0","method":"slow","id":1}"#, #"{"jsonrpc":"2.0","method":"fast","id":2}"#],
            methods: methods)
        #expect(lines == [#"{"jsonrpc":"2.0","id":2,"result":"fast"}"#, #"{"jsonrpc":"2.0","id":1,"result":"slow"}"#])
    }

    @Test func answersEveryRequestInFlightBeforeReturningAtEndOfInput() async throws {
        var methods = MethodTable()
        methods.register("wait") { params in
            try await Task.sleep(for: .milliseconds(Int64(params?.arrayValue?.first?.numberValue?.intValue ?? 0)))
            return params ?? .null
        }
        let requests = (1...50).map { #"{"jsonrpc":"2.0","method":"wait","params":[\#($0 % 7 * 20)],"id":\#($0)}"# }
        let lines = try await serve(requests, methods: methods)
        let ids = Set(lines.map { try! JSONValue(parsing: $0)["id"]!.numberValue!.intValue! })
        #expect(lines.count == 50)
        #expect(ids == Set(1...50))
    }

    @Test func cancelRequestAbortsThatRequestWithRequestCancelled() async throws {
        var methods = MethodTable()
        methods.register("stall") { _ in
            try await Task.sleep(for: .seconds(120))
            return "finished"
        }
        let server = Server(methods: methods, limits: ServerLimits(maximumLineLength: 1024), logger: .disabled)
        async let stalled = server.answer(toLine: Array(#"{"jsonrpc":"2.0","method":"stall","id":"s"}"#.utf8))
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        let cancelAnswer = await server.answer(
            toLine: Array(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s"}}"#.utf8))
        #expect(cancelAnswer == nil)
        let answer = try JSONValue(parsing: try #require(await stalled))
        #expect(answer == ["jsonrpc": "2.0", "id": "s", "error": ["code": -32800, "message": "Request cancelled"]])
        #expect(ContinuousClock.now - started < .seconds(60))  // far from the stall's 120 s
    }

    @Test func aReusedIdCancelsTheLatestRequestWithIt() async throws {
        var methods = MethodTable()
        methods.register("stall") { _ in
            try await Task.sleep(for: .seconds(120))
            return "finished"
        }
        let server = Server(methods: methods, limits: ServerLimits(maximumLineLength: 1024), logger: .disabled)
        let stall = Array(#"{"jsonrpc":"2.0","method":"stall","id":"s"}"#.utf8)
        let earlier = Task { await server.answer(toLine: stall) }
        try await Task.sleep(for: .milliseconds(100))
        async let latest = server.answer(toLine: stall)
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        _ = await server.answer(
            toLine: Array(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s"}}"#.utf8))
        #expect(try JSONValue(parsing: try #require(await latest))["error"]?["code"] == -32800)
        #expect(ContinuousClock.now - started < .seconds(60))  // far from the stall's 120 s
        earlier.cancel()  // it was still running; end it rather than wait for its 30 seconds
        #expect(try JSONValue(parsing: try #require(await earlier.value))["error"]?["code"] == -32800)
    }

    @Test func cancellingAnUnknownIdIsIgnoredAndARequestToCancelIsAnsweredNull() async throws {
        let server = Server(methods: MethodTable(), limits: ServerLimits(maximumLineLength: 1024), logger: .disabled)
        #expect(
            await server.answer(toLine: Array(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":99}}"#.utf8))
                == nil)
        let answered = try #require(
            await server.answer(
                toLine: Array(#"{"jsonrpc":"2.0","id":1,"method":"$/cancelRequest","params":{"id":99}}"#.utf8)))
        #expect(try JSONValue(parsing: answered) == ["jsonrpc": "2.0", "id": 1, "result": nil])
        let malformed = try #require(
            await server.answer(toLine: Array(#"{"jsonrpc":"2.0","id":2,"method":"$/cancelRequest","params":{}}"#.utf8))
        )
        #expect(try JSONValue(parsing: malformed)["error"]?["code"] == -32602)
    }

    /// A server whose only cancellation is MCP's `notifications/cancelled`, which wants no answer.
    private func serverWithSilentCancellation(_ methods: MethodTable) -> Server {
        let silent = CancellationMethod(
            method: "notifications/cancelled", idMember: "requestId", answersCancelledRequest: false)
        return Server(
            methods: methods, limits: ServerLimits(maximumLineLength: 1024), logger: .disabled,
            cancellationMethods: [silent])
    }

    @Test func aCancellationThatWantsNoAnswerLeavesTheCancelledRequestUnanswered() async throws {
        var methods = MethodTable()
        methods.register("stall") { _ in
            try await Task.sleep(for: .seconds(120))
            return "finished"
        }
        let server = serverWithSilentCancellation(methods)
        async let stalled = server.answer(toLine: Array(#"{"jsonrpc":"2.0","method":"stall","id":7}"#.utf8))
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        let cancelAnswer = await server.answer(
            toLine: Array(
                #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}"#.utf8))
        #expect(cancelAnswer == nil)
        #expect(await stalled == nil)
        #expect(ContinuousClock.now - started < .seconds(60))  // far from the stall's 120 s
        // Only the methods given cancel: the Language Server Protocol's is now an unknown method.
        let unknown = try #require(
            await server.answer(
                toLine: Array(#"{"jsonrpc":"2.0","id":8,"method":"$/cancelRequest","params":{"id":7}}"#.utf8)))
        #expect(try JSONValue(parsing: unknown)["error"]?["code"] == -32601)
    }

    @Test func aRequestCancelledWithoutAnswerStaysUnansweredWhenALaterRequestReusesItsId() async throws {
        var methods = MethodTable()
        methods.register("slow") { _ in
            try? await Task.sleep(for: .milliseconds(400))  // finishes late, even once cancelled
            return "slow"
        }
        methods.register("fast") { _ in "fast" }
        let server = serverWithSilentCancellation(methods)
        async let cancelled = server.answer(toLine: Array(#"{"jsonrpc":"2.0","method":"slow","id":7}"#.utf8))
        try await Task.sleep(for: .milliseconds(100))
        _ = await server.answer(
            toLine: Array(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#.utf8))
        let reused = try #require(await server.answer(toLine: Array(#"{"jsonrpc":"2.0","method":"fast","id":7}"#.utf8)))
        #expect(try JSONValue(parsing: reused) == ["jsonrpc": "2.0", "id": 7, "result": "fast"])
        #expect(await cancelled == nil)
    }

    @Test func aHandlersNotificationsComeOutWholeAndBeforeItsAnswer() async throws {
        var methods = MethodTable()
        methods.register("count") { _ in
            for step in 1...3 { await PeerNotification.send("progress", params: ["step": .number(JSONNumber(step))]) }
            return "counted"
        }
        let lines = try await serve([#"{"jsonrpc":"2.0","method":"count","id":1}"#], methods: methods)
        #expect(
            lines == [
                #"{"jsonrpc":"2.0","method":"progress","params":{"step":1}}"#,
                #"{"jsonrpc":"2.0","method":"progress","params":{"step":2}}"#,
                #"{"jsonrpc":"2.0","method":"progress","params":{"step":3}}"#,
                #"{"jsonrpc":"2.0","id":1,"result":"counted"}"#,
            ])
    }

    @Test func aNotificationOutsideAServersCallGoesNowhere() async {
        #expect(await PeerNotification.send("progress", params: [:]) == false)
    }
}

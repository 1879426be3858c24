import TestSupport
import Testing

@testable import HTTPClient

@Suite("HTTP over libcurl")
struct HTTPClientTests {
    private let client = HTTPClient()

    @Test func returnsStatusHeadersAndBody() async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 404, contentType: "text/plain; charset=utf-8", body: "nothing here"))
        let response = try await client.send(HTTPRequest(url: stub.baseURL + "/missing"))
        #expect(response.status == 404)
        #expect(!response.isSuccess)
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "12")
        #expect(String(decoding: response.body, as: UTF8.self) == "nothing here")
    }

    @Test func sendsTheGivenHeaders() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        _ = try await client.send(
            HTTPRequest(url: stub.baseURL, headers: [HTTPHeader(name: "X-Scope-OrgID", value: "tenant-1")]))
        #expect(stub.requests.first?.headers["x-scope-orgid"] == "tenant-1")
        #expect(stub.requests.first?.headers["user-agent"] == "chaostoolkit-prometheus")
    }

    @Test func sendsAPostBody() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        let form = Array("query=up&time=1".utf8)
        _ = try await client.send(
            HTTPRequest(
                url: stub.baseURL + "/api/v1/query",
                method: .post(body: form, contentType: "application/x-www-form-urlencoded")))
        let request = try #require(stub.requests.first)
        #expect(request.method == "POST")
        #expect(request.body == form)
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
    }

    @Test func keepsTheConnectionAliveBetweenRequests() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}"))
        for _ in 0..<10 { _ = try await client.send(HTTPRequest(url: stub.baseURL)) }
        #expect(stub.connectionCount == 1)
    }

    @Test func runsRequestsConcurrently() async throws {
        // Each answer takes a second, so requests sent together overlap at the server unless the client
        // serializes them; counted at the server, not timed, so a slow machine cannot fail it.
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}", delay: .seconds(1)))
        try await withThrowingTaskGroup(of: Int.self) { group in
            // Retried after a broken connection: seen a few times in full-suite runs ("Empty reply from server"),
            // cause not found; what this test is about is the overlap at the server.
            for _ in 0..<8 {
                group.addTask {
                    try await client.send(
                        HTTPRequest(url: stub.baseURL, timeout: .seconds(20), retry: .init(maximumAttempts: 3))
                    ).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(stub.mostConcurrentRequests >= 4)
    }

    @Test func givesUpAtTheDeadline() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}", delay: .seconds(60)))
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: stub.baseURL, timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(30))
        stub.stop()
    }

    @Test func cancellingTheTaskAbortsTheTransferAtOnce() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: "{}", delay: .seconds(60)))
        let task = Task { try await client.send(HTTPRequest(url: stub.baseURL)) }
        // Cancelled once the transfer is under way, when that comes soon: under the thread sanitizer in CI, the
        // request once had not reached the stub after 10 s. Cancelling it before then must be as prompt.
        try? await stub.waitForRequests(1, timeout: .seconds(3))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - cancelled < .seconds(30))
        stub.stop()
    }

    @Test func refusesABodyLargerThanTheLimit() async throws {
        let stub = try StubHTTPServer(always: .init(status: 200, body: String(repeating: "x", count: 100_000)))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: stub.baseURL, maximumResponseSize: 10_000))
        }
        #expect(error?.kind == .responseTooLarge)
        #expect(error?.message == "the response body is larger than the limit of 10000 bytes")
    }

    @Test func saysWhenNothingListens() async throws {
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: Loopback.refusedURL))
        }
        #expect(error?.kind == .couldNotConnect)
    }

    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1/", "not a url"])
    func refusesAnythingButHTTP(_ url: String) async {
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: url)) }
        #expect(error?.kind == .invalidURL)
    }
}

/// Issue 12, finding 7: the bodies of all requests in flight share one budget, so no number of concurrent large
/// answers can take the process's memory.
@Suite("The memory budget for response bodies")
struct ResponseMemoryBudgetTests {
    private func stub(bodyOf size: Int) throws -> StubHTTPServer {
        try StubHTTPServer(always: .init(status: 200, body: String(repeating: "x", count: size)))
    }

    @Test func aBodyThatDoesNotFitFailsAndHoldsNothing() async throws {
        let memory = ResponseMemory(limit: 50_000)
        let client = HTTPClient(responseMemory: memory)
        let server = try stub(bodyOf: 100_000)
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: server.baseURL)) }
        #expect(error?.kind == .memoryBudgetExceeded)
        #expect(error?.message == "the body alone is larger than the memory budget for response bodies (50000 bytes)")
        #expect(memory.inUse == 0)
    }

    @Test func aBodyHoldsItsRoomAsLongAsItsResponseAndGivesItBackWithIt() async throws {
        let memory = ResponseMemory(limit: 150_000)
        let client = HTTPClient(responseMemory: memory)
        let server = try stub(bodyOf: 100_000)
        var held: HTTPResponse? = try await client.send(HTTPRequest(url: server.baseURL))
        #expect(memory.inUse == 100_000)
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: server.baseURL)) }
        #expect(error?.kind == .memoryBudgetExceeded)
        #expect(error?.message.hasPrefix("the bodies of the other responses in flight hold") == true)
        #expect(held?.body.count == 100_000)
        held = nil
        #expect(memory.inUse == 0)
        #expect(try await client.send(HTTPRequest(url: server.baseURL)).body.count == 100_000)
    }
}

/// A client that could not start (no descriptors or threads left for its event loop) fails its requests with
/// the reason; it no longer stops the process.
@Suite("An HTTP client that could not start")
struct UnstartedHTTPClientTests {
    @Test func failsEveryRequestWithTheReasonInsteadOfStoppingTheProcess() async {
        let reason = HTTPError(kind: .transport, message: "the HTTP client could not start: eventfd failed")
        let client = HTTPClient(
            logger: .disabled, responseMemory: ResponseMemory(), driver: .failure(reason), ownsLoop: false)
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:9/"))
        }
        #expect(error?.message == reason.message)
    }
}

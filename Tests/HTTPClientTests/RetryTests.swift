import Foundation
import HTTPClient
import Locking
import TestSupport
import Testing

@Suite("Retrying transient failures")
struct RetryTests {
    private let client = HTTPClient()
    private let threeAttempts = RetryPolicy(
        maximumAttempts: 3, firstDelay: .milliseconds(20), longestDelay: .milliseconds(100))

    /// A stub that answers `failures` times with `status`, then 200.
    private func stub(failing failures: Int, with status: Int, headers: [(String, String)] = []) throws
        -> StubHTTPServer
    {
        let answered = Locked(0)
        return try StubHTTPServer { _ in
            let count = answered.withLock { count in
                count += 1
                return count
            }
            return count <= failures
                ? .init(status: status, contentType: "text/plain", body: "busy", headers: headers)
                : .init(status: 200, body: "{}")
        }
    }

    @Test(arguments: [503, 502, 504, 429])
    func succeedsAfterTransientStatuses(_ status: Int) async throws {
        let server = try stub(failing: 2, with: status)
        let response = try await client.send(HTTPRequest(url: server.baseURL, retry: threeAttempts))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(server.requests.count == 3)
    }

    @Test func stopsAtTheAttemptLimitAndReturnsTheLastAnswer() async throws {
        let server = try stub(failing: 100, with: 503)
        let response = try await client.send(HTTPRequest(url: server.baseURL, retry: threeAttempts))
        #expect(response.status == 503)
        #expect(response.attempts == 3)
        #expect(server.requests.count == 3)
    }

    @Test(arguments: [400, 404, 422, 500])
    func neverRetriesOtherStatuses(_ status: Int) async throws {
        let server = try stub(failing: 100, with: status)
        let response = try await client.send(HTTPRequest(url: server.baseURL, retry: threeAttempts))
        #expect(response.status == status)
        #expect(response.attempts == 1)
        #expect(server.requests.count == 1)
    }

    @Test func retriesARefusedConnectionAndCountsTheAttempts() async throws {
        do {
            _ = try await client.send(HTTPRequest(url: Loopback.refusedURL, retry: threeAttempts))
            Issue.record("expected the connection to be refused")
        } catch let error as HTTPError {
            #expect(error.kind == .couldNotConnect)
            #expect(error.attempts == 3)
        }
    }

    @Test func honoursRetryAfterInSeconds() async throws {
        let server = try stub(failing: 1, with: 429, headers: [("Retry-After", "1")])
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await client.send(HTTPRequest(url: server.baseURL, retry: threeAttempts))
        #expect(response.status == 200)
        // The backoff alone would be at most 20 ms; only Retry-After makes it a second.
        #expect(clock.now - started >= .seconds(1))
    }

    @Test func givesUpWhenRetryAfterReachesPastTheDeadline() async throws {
        let server = try stub(failing: 100, with: 503, headers: [("Retry-After", "120")])
        let response = try await client.send(
            HTTPRequest(url: server.baseURL, timeout: .seconds(10), retry: threeAttempts))
        #expect(response.status == 503)
        #expect(response.attempts == 1)
    }

    @Test func keepsEveryAttemptWithinTheOneDeadline() async throws {
        // Each answer takes 400 ms: a 1 s deadline leaves room for two or three attempts, never ten.
        let server = try StubHTTPServer(
            always: .init(status: 503, contentType: "text/plain", body: "busy", delay: .milliseconds(400)))
        let clock = ContinuousClock()
        let started = clock.now
        var attempts = 0
        do {
            let response = try await client.send(
                HTTPRequest(
                    url: server.baseURL, timeout: .seconds(1),
                    retry: RetryPolicy(maximumAttempts: 10, firstDelay: .milliseconds(10))))
            attempts = response.attempts
        } catch let error as HTTPError {
            #expect(error.kind == .timedOut)
            attempts = error.attempts
        }
        #expect(attempts < 10)
        #expect(clock.now - started < .seconds(30))
    }

    @Test(arguments: ["Wed, 25 Nov 2026 13:16:19 GMT", "Wednesday, 25-Nov-26 13:16:19 GMT", "Wed Nov 25 13:16:19 2026"])
    func readsRetryAfterAsAnHTTPDateInEachOfItsThreeForms(_ text: String) {
        let now = 1_795_612_549.0  // 2026-11-25T13:15:49Z
        #expect(RetryPolicy.retryAfter(text, now: now) == .seconds(30))
    }

    @Test(arguments: [
        "Wed, 31 Nov 2026 13:16:19 GMT", "Wed, 25 Nov 2026 24:00:00 GMT", "Wed, 25 Nov 2026 13:16:19 CET",
        "Wed, 25 Foo 2026 13:16:19 GMT", "25 Nov 2026 13:16:19 GMT", "Wed, 25 Nov 26 13:16:19 GMT",
    ])
    func refusesWhatIsNotAnHTTPDate(_ text: String) {
        #expect(RetryPolicy.retryAfter(text, now: 1_795_612_549) == nil)
    }

    @Test func readsRetryAfterAsSeconds() {
        let now = 1_795_612_549.0
        #expect(RetryPolicy.retryAfter(" 30 ", now: now) == .seconds(30))
        #expect(RetryPolicy.retryAfter("7", now: now) == .seconds(7))
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfter("-3", now: now) == nil)
    }

    @Test func jittersTheBackoffBetweenHalfAndAllOfItsCappedValue() {
        let policy = RetryPolicy(maximumAttempts: 10, firstDelay: .milliseconds(200), longestDelay: .seconds(1))
        for _ in 0..<50 {
            let first = policy.backoff(after: 1)
            #expect(first >= .milliseconds(100) && first <= .milliseconds(200))
            let late = policy.backoff(after: 9)
            #expect(late >= .milliseconds(500) && late <= .seconds(1))
        }
    }
}

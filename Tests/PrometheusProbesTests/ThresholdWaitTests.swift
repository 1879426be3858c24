import ChaosToolkit
import Foundation
import JSON
import Locking
import PrometheusProbes
import TestSupport
import Testing

/// The paths of `wait_for_threshold` a real Prometheus cannot be made to take on cue (issue 12: untested until
/// now): a check that could not measure, a streak that breaks, and what a wait that never held reports. A stub
/// answers the checks from a script, one answer a check.
@Suite("wait_for_threshold, check by check")
struct ThresholdWaitTests {
    /// An instant vector of one series whose value is `value`.
    static func vector(_ value: String) -> StubHTTPServer.Reply {
        .init(
            status: 200,
            body:
                #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795612549.25,"\#(value)"]}]}}"#
        )
    }

    /// Not a Prometheus answer, and not retried: a check that could not measure.
    static let broken = StubHTTPServer.Reply(status: 500, contentType: "text/plain", body: "internal error")

    /// A stub answering the n-th check with `script[n]`, and the last entry ever after.
    static func scripted(_ script: [StubHTTPServer.Reply]) throws -> StubHTTPServer {
        let served = Locked(0)
        return try StubHTTPServer { _ in
            let index = served.withLock { count in
                defer { count += 1 }
                return count
            }
            return script[min(index, script.count - 1)]
        }
    }

    /// A wait that succeeds within a few checks; its timeout is generous because under the thread sanitizer a
    /// starved test process once held three of these waits past 20 s on their second check.
    static func waiting(_ extra: JSONObject = [:]) -> JSONObject {
        var arguments: JSONObject = [
            "query": "up", "operator": ">", "threshold": 1, "interval": "50ms", "timeout": "120s",
        ]
        for (name, value) in extra { arguments[name] = value }
        return arguments
    }

    @Test func goesOnPastACheckThatCouldNotMeasure() async throws {
        let stub = try Self.scripted([Self.broken, Self.vector("5")])
        defer { stub.stop() }
        let value = try await call("wait_for_threshold", Self.waiting(), baseURL: stub.baseURL)
        #expect(value == 5)
        #expect(stub.requests.count == 2)
    }

    @Test func aStreakBrokenByAValueThatDoesNotHoldStartsAgain() async throws {
        let stub = try Self.scripted([Self.vector("5"), Self.vector("0"), Self.vector("5"), Self.vector("5")])
        defer { stub.stop() }
        let value = try await call("wait_for_threshold", Self.waiting(["consecutive": 2]), baseURL: stub.baseURL)
        #expect(value == 5)
        #expect(stub.requests.count == 4)
    }

    @Test func aStreakBrokenByACheckThatCouldNotMeasureStartsAgain() async throws {
        let stub = try Self.scripted([Self.vector("5"), Self.broken, Self.vector("5"), Self.vector("5")])
        defer { stub.stop() }
        let value = try await call("wait_for_threshold", Self.waiting(["consecutive": 2]), baseURL: stub.baseURL)
        #expect(value == 5)
        #expect(stub.requests.count == 4)
    }

    // The two below need only one check to say what they test: how many checks a busy machine makes within a
    // deadline varies (with the whole suite running under the thread sanitizer on two cores, one check can take
    // seconds), so the deadline is long enough for one on any machine.

    @Test func aWaitThatNeverHeldReportsItsChecksAndTheLastValueSeen() async throws {
        let stub = try Self.scripted([Self.vector("0")])
        defer { stub.stop() }
        let failure = try #require(
            await failure(
                "wait_for_threshold", Self.waiting(["timeout": "6s", "interval": "500ms"]), baseURL: stub.baseURL))
        #expect(failure.reason == .thresholdNotMet)
        let checks = try #require(failure.detail["checks"]?.numberValue?.intValue)
        #expect(checks >= 1 && checks <= 13)
        #expect(failure.detail["held"] == 0)
        #expect(failure.detail["last"] == [["labels": [:], "value": 0]])
        #expect(failure.message.contains("the last value seen was [{\"labels\":{},\"value\":0}]"))
    }

    @Test func aWaitWhoseChecksCouldNotMeasureSaysSo() async throws {
        let stub = try Self.scripted([Self.broken])
        defer { stub.stop() }
        let failure = try #require(
            await failure(
                "wait_for_threshold", Self.waiting(["timeout": "6s", "interval": "500ms"]), baseURL: stub.baseURL))
        #expect(failure.reason == .thresholdNotMet)
        #expect(failure.detail["last"] == .null)
        #expect(failure.message.contains("no value was seen; the last check could not measure"), "\(failure.message)")
    }
}

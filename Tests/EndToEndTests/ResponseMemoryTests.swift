import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, finding 7: one `compute_mean` answer of 262 MB drove the plugin to 4.1 GB, three at once to 8.5 GB;
/// the size limit did not bound memory. Now the bodies of all calls in flight share one budget
/// (`--max-response-memory`), an answer that does not fit fails its call with `memory_budget_exceeded`, and the
/// plugin's memory stays under the budget plus its own (protocol.md, "Memory").
@Suite("The memory budget for answers in flight")
struct ResponseMemoryTests {
    /// What the plugin holds beyond the bodies, as protocol.md states it: its own memory and a little per call.
    static let documentedOverhead = 64 << 20

    /// Under a sanitizer, whose shadow memory and quarantine make resident memory a figure of the sanitizer, the
    /// answers are a tenth as large and only the results are checked.
    static let answerSize = Sanitizer.current == nil ? 250_000_000 : 25_000_000

    /// A range answer of about `size` bytes (a little less, never more) whose every sample is 3.25.
    static func matrix(of size: Int) -> [UInt8] {
        let series = Array(
            (#"{"metric":{"__name__":"m","instance":"host"},"values":["#
                + Array(repeating: #"[1795600000,"3.25"]"#, count: 200).joined(separator: ",") + "]}").utf8)
        // Doubled rather than appended a series at a time: a few copies instead of a million appends, which took
        // seconds of the cooperative pool's time under the thread sanitizer.
        // Cut back to whole series, as doubling overshoots up to twice the size.
        let count = max(1, size / (series.count + 1))
        var repeated = series
        while repeated.count < count * (series.count + 1) { repeated += [UInt8(ascii: ",")] + repeated }
        return Array(#"{"status":"success","data":{"resultType":"matrix","result":["#.utf8)
            + repeated.prefix(count * (series.count + 1) - 1) + Array("]}}".utf8)
    }

    @Test func threeLargeAnswersAtOnceStayWithinTheBudgetAndTheOneThatDoesNotFitFailsWithItsReason() async throws {
        let budget = Self.answerSize * 12 / 5  // room for two answers, not three
        let answer = Self.matrix(of: Self.answerSize)
        #expect(answer.count <= Self.answerSize && answer.count > Self.answerSize / 100 * 99)
        let stub = try StubHTTPServer(always: .init(status: 200, bytes: answer))
        defer { stub.stop() }
        // Reading two answers of 250 MB takes the unoptimized plugin twenty seconds of CPU: at low priority.
        let plugin = try PluginProcess(arguments: ["--max-response-memory", String(budget)], lowPriority: true)
        for id in 1...3 {
            plugin.send(
                Requests.call(
                    "compute_mean", id: .number(JSONNumber(id)), arguments: ["query": "m", "window": "1h"],
                    configuration: ["prometheus_base_url": .string(stub.baseURL), "prometheus_http_timeout": 300]))
        }
        var answers: [JSONValue] = []
        for id in 1...3 {
            answers.append(try await plugin.response(id: .number(JSONNumber(id)), timeout: .seconds(300)))
        }
        let peak = try ResidentMemory.of(plugin.pid).peak
        _ = try await plugin.finish()

        let means = answers.compactMap { $0["result"] }
        let refusals = answers.compactMap { $0["error"]?["data"]?["reason"] }
        #expect(means.count >= 2 && means.allSatisfy { $0 == 3.25 }, "\(answers)")
        #expect(
            means.count + refusals.count == 3 && refusals.allSatisfy { $0 == "memory_budget_exceeded" }, "\(answers)")
        if Sanitizer.current == nil {
            #expect(
                peak < budget + Self.documentedOverhead, "peak \(peak) bytes with a budget of \(budget): \(answers)")
        }
    }
}

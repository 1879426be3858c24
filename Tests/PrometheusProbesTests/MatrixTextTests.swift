import ChaosToolkit
import Foundation
import JSON
import TestSupport
import Testing

@testable import PrometheusProbes

/// `compute_mean` reads a matrix's samples straight from Prometheus's text (issue 12, finding 7: parsed into a tree,
/// a 262 MB answer took 4.1 GB). What the text reader must agree on with the parser, and what it must refuse.
@Suite("Samples read from a matrix's text")
struct MatrixTextTests {
    static func samples(_ document: String) throws(FailedActivity) -> [Double] {
        let text = try! JSONText(validating: Array(document.utf8))  // the documents below are valid JSON
        var samples: [Double] = []
        try Activity.forEachSampleOfMatrix(text: text.bytes, query: "q") { samples.append($0) }
        return samples
    }

    @Test func readsEverySampleOfEverySeriesLikeTheParser() throws {
        let document = #"""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"job":"a","tricky":"\"values\":[[1,\"9\"]]","resultType":"vector"},"values":[[1,"1"],[2,"+Inf"],[3,"NaN"]]},
              {"metric":{},"values":[]},
              {"metric":{"job":"b"},"values":[[1.5,"-2.5e3"]]}]}}
            """#
        let read = try Self.samples(document)
        #expect(read.count == 4)
        #expect(read[0] == 1 && read[1] == .infinity && read[2].isNaN && read[3] == -2500)
    }

    @Test func refusesAnAnswerThatIsNotAMatrix() {
        let failure = #expect(throws: FailedActivity.self) {
            try Self.samples(
                #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"\"resultType\":\"matrix\""},"value":[1,"1"]}]}}"#
            )
        }
        #expect(failure?.message == "the range query of 'q' did not answer with a matrix")
    }

    @Test(arguments: [#"[[1,"abc"]]"#, #"[[1,2]]"#, #"[[1,"1"],"x"]"#, #"[{"t":1}]"#])
    func refusesASampleThatIsNotANumber(_ values: String) {
        let failure = #expect(throws: FailedActivity.self) {
            try Self.samples(
                #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":\#(values)}]}}"#)
        }
        #expect(failure?.reason == .badResponse)
        #expect(failure?.message.hasPrefix("the range query of 'q' returned a sample that is not a number") == true)
    }

    /// Through the executable: one answer of 8 MB, and the plugin's peak memory stays a small multiple of it. (Built
    /// by repetition: made sample by sample, it held up the suite's other tests under the thread sanitizer.)
    @Test func aLargeMatrixIsMeanedInAFewTimesItsSize() async throws {
        let values = Array(repeating: #"[1795600000,"3.2425"]"#, count: 4000).joined(separator: ",")
        let series = (0..<100).map { #"{"metric":{"series":"s\#($0)"},"values":["# + values + "]}" }
        let body =
            #"{"status":"success","data":{"resultType":"matrix","result":["# + series.joined(separator: ",") + "]}}"
        let stub = try StubHTTPServer(always: .init(status: 200, body: body))
        defer { stub.stop() }
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", stub.baseURL])
        plugin.send(
            #"{"jsonrpc":"2.0","id":1,"method":"compute_mean","params":{"arguments":{"query":"up","window":"1h"}}}"#)
        let answer = try await plugin.response(id: 1, timeout: .seconds(60))
        let mean = try #require(answer["result"]?.numberValue?.doubleValue, "\(answer)")
        #expect(abs(mean - 3.2425) < 1e-9)
        let status = try String(contentsOfFile: "/proc/\(plugin.pid)/status", encoding: .utf8)
        let peak =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        _ = try await plugin.finish()
        // 16 times the body before; the body held once or twice, the samples, and the process itself now.
        // About 3.3 times the body here (the process itself is some 27 MB of it). The sanitizers' own bookkeeping
        // multiplies memory (scripts/test-sanitizers sets these variables): the bound grows with it, and still
        // catches the 16 times of reading the answer as a tree.
        let environment = ProcessInfo.processInfo.environment
        let factor = environment["TSAN_OPTIONS"] != nil ? 8 : environment["ASAN_OPTIONS"] != nil ? 3 : 1
        #expect(
            peak * 1024 < factor * (4 * body.utf8.count + 80_000_000),
            "peak \(peak) KiB for a body of \(body.utf8.count) bytes")
    }
}

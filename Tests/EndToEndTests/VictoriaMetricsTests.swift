import JSON
import TestSupport
import Testing

/// The probes against VictoriaMetrics, a Prometheus-compatible backend, holding three series of known constant
/// values (`vm_test{series="a"}` 2, `"b"` 8, `"c"` 0.5): its answers arrive as Prometheus's would.
@Suite("VictoriaMetrics as the backend")
struct VictoriaMetricsTests {
    private let knownValues = Dictionary(
        uniqueKeysWithValues: VictoriaMetricsServer.knownSeries.map { ($0.series, $0.value) })

    private func configuration(_ server: VictoriaMetricsServer) -> JSONObject {
        ["prometheus_base_url": .string(server.baseURL)]
    }

    /// The value of a sample, `[time, "value"]`, as a number.
    private func value(_ sample: JSONValue?) -> Double? {
        sample?.arrayValue?.last?.stringValue.flatMap(Double.init)
    }

    @Test func anInstantQueryAnswersAVectorOfTheKnownSeries() async throws {
        let server = try await VictoriaMetricsServer.shared()
        let response = try await CanaryRuns.response(
            to: Requests.call(
                "query", id: 1,
                arguments: [
                    "query": .string(VictoriaMetricsServer.metric),
                    "when": .string(RFC3339Text.format(server.lastSampleTime)),
                ],
                configuration: configuration(server)))
        let result = try #require(response["result"], "\(response)")
        #expect(result["status"] == "success")
        #expect(result["data"]?["resultType"] == "vector")
        let samples = result["data"]?["result"]?.arrayValue ?? []
        let values = Dictionary(
            uniqueKeysWithValues: samples.compactMap { sample in
                sample["metric"]?["series"]?.stringValue.map { ($0, value(sample["value"])) }
            })
        #expect(values == knownValues.mapValues { Optional($0) }, "\(response)")
    }

    @Test func aRangeQueryAnswersAMatrixOfTheKnownSeries() async throws {
        let server = try await VictoriaMetricsServer.shared()
        let response = try await CanaryRuns.response(
            to: Requests.call(
                "query_interval", id: 1,
                arguments: [
                    "query": .string(VictoriaMetricsServer.metric), "start": .string(String(server.firstSampleTime)),
                    "end": .string(String(server.lastSampleTime)), "step": 60,
                ],
                configuration: configuration(server)))
        let result = try #require(response["result"], "\(response)")
        #expect(result["status"] == "success")
        #expect(result["data"]?["resultType"] == "matrix")
        let series = result["data"]?["result"]?.arrayValue ?? []
        #expect(series.count == knownValues.count, "\(response)")
        for one in series {
            let name = try #require(one["metric"]?["series"]?.stringValue)
            let values = one["values"]?.arrayValue ?? []
            #expect(values.count > 1 && values.allSatisfy { value($0) == knownValues[name] }, "\(one)")
        }
    }

    @Test func computeMeanIsTheArithmeticMeanOfTheKnownSeries() async throws {
        let server = try await VictoriaMetricsServer.shared()
        let response = try await CanaryRuns.response(
            to: Requests.call(
                "compute_mean", id: 1,
                arguments: ["query": .string(VictoriaMetricsServer.metric), "window": "1h", "mean_type": "arithmetic"],
                configuration: configuration(server)))
        // Every series has samples at the same instants, so each weighs the same: (2 + 8 + 0.5) / 3.
        let mean = try #require(response["result"]?.numberValue?.doubleValue, "\(response)")
        #expect(abs(mean - 3.5) < 1e-9)
    }
}

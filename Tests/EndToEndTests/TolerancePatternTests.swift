import Foundation
import JSON
import TestSupport
import Testing

/// No tolerance the documentation recommends passes when the probe could not measure: every experiment snippet of
/// README.md and protocol.md (`python` providers through the host adapter, `process` providers in one-shot mode)
/// and every experiment of `examples/`, run by the real `chaos` against a Prometheus that refuses connections,
/// leaves its hypothesis unmet. One run at a time, as the other suites that run chaos.
@Suite("The documented tolerances against an unreachable Prometheus", .serialized)
struct TolerancePatternTests {
    /// Where nothing listens: a connection to port 1 is refused at once.
    static let unreachable = "http://127.0.0.1:1"

    @Test(arguments: ExperimentSnippet.all)
    func aSnippetsToleranceIsNotMetWhenPrometheusIsUnreachable(_ snippet: ExperimentSnippet) async throws {
        // A wait retries past checks that could not measure until its timeout: a short one keeps the test short,
        // and the tolerance is what is tested.
        let probe = snippet.text.replacingOccurrences(of: #""timeout": "5m""#, with: #""timeout": "3s""#)
        // Each ${name} of the snippet, from the configuration: the base URL, and a query for every other name.
        let names = Set(probe.matches(of: /\$\{([a-z_]+)\}/).map { String($0.1) }).subtracting(["prometheus_base_url"])
        let configuration = names.sorted().map { "\"\($0)\": \"vector(0)\"" }
        let experiment = try ChaosCommand.write(
            try JSONValue(
                parsing: Array(
                    """
                    {"title": "\(snippet.testDescription)", "description": "the documented tolerance, Prometheus unreachable",
                     "configuration": {"prometheus_base_url": "\(Self.unreachable)"\(configuration.map { ", " + $0 }.joined())},
                     "steady-state-hypothesis": {"title": "documented", "probes": [\(probe)]},
                     "method": []}
                    """.utf8)))
        defer { try? FileManager.default.removeItem(at: experiment) }
        let run = try await ChaosCommand().run(experiment)
        #expect(run.steadyStateMetBefore == false, "\(run.log)")
    }

    static let examples =
        ((try? FileManager.default.contentsOfDirectory(
            atPath: ChaosCommand.root.appendingPathComponent("examples").path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    @Test func everyExampleIsRun() {
        #expect(Self.examples.count == 4, "\(Self.examples)")
    }

    @Test(arguments: examples)
    func anExamplesHypothesisIsNotMetWhenPrometheusIsUnreachable(_ example: String) async throws {
        let run = try await ChaosCommand().run(
            ChaosCommand.root.appendingPathComponent("examples/\(example)"),
            environment: ["PROMETHEUS_URL": Self.unreachable])
        #expect(run.steadyStateMetBefore == false, "\(run.log)")
        #expect(run.journal["deviated"]?.flag == false)
    }
}

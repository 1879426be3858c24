import Foundation
import JSON
import TestSupport
import Testing

/// The one-shot experiments of `examples/`, run by the real `chaos` command (chaostoolkit from PyPI, installed by
/// `scripts/install-dependencies` into `.build/chaostoolkit-venv`), with the plugin in one-shot mode as their
/// `process` provider, against the shared Prometheus. Each experiment's metric is a series the test sets in
/// the Pushgateway; its fault is a command that sets it again. One run at a time: each starts Python and
/// several plugins, and seven at once would starve the rest of the suite on a two-core machine.
@Suite("The examples, run by the chaos command", .serialized)
struct ChaosRunTests {
    /// What the journal of a run says.
    private struct Outcome {
        let beforeMet: Bool?
        let afterMet: Bool?
        let deviated: Bool?
        let journal: JSONValue
    }

    /// Runs `chaos run` on `examples/<experiment>.json` with `variables` (`--var`), and reads its journal.
    private func run(_ experiment: String, variables: [String: String]) async throws -> Outcome {
        let servers = try await SharedServers.shared.get()
        let run = try await ChaosCommand().run(
            ChaosCommand.root.appendingPathComponent("examples/\(experiment).json"), variables: variables,
            environment: ["PROMETHEUS_URL": servers.prometheus.baseURL])
        #expect(!run.log.contains(Canary.secret))
        return Outcome(
            beforeMet: run.steadyStateMetBefore, afterMet: run.steadyStateMetAfter,
            deviated: run.journal["deviated"]?.flag,
            journal: run.journal)
    }

    /// A metric of the test's own in the shared Pushgateway, set to `value`.
    private func metric(_ value: String) async throws -> (name: String, fault: (String) -> String) {
        let servers = try await SharedServers.shared.get()
        let name = "example_metric_\(UUID().uuidString.prefix(8).lowercased())"
        try await servers.set(name, to: value)
        let url = servers.pushgateway.baseURL + "/metrics/job/\(name)"
        // The fault: a shell command setting the metric to another value, as a real fault would move it.
        return (name, { "printf '\(name) \($0)\\n' | curl -sf -X PUT --data-binary @- \(url)" })
    }

    /// An example experiment, the configuration variable that names its metric, and a value of the metric
    /// inside its tolerance and one outside.
    struct Example: Sendable, CustomTestStringConvertible {
        let experiment: String
        let variable: String
        let inside: String
        let outside: String

        var testDescription: String { experiment }
    }

    static let examples = [
        Example(experiment: "error-ratio-query-value", variable: "error_ratio_query", inside: "0.005", outside: "0.2"),
        Example(
            experiment: "error-ratio-check-threshold", variable: "error_ratio_query", inside: "0.002", outside: "0.05"),
        Example(experiment: "prometheus-up-query", variable: "up_query", inside: "1", outside: "0"),
    ]

    @Test(arguments: examples)
    func meetsTheHypothesisWhenTheMetricIsInsideTheTolerance(_ example: Example) async throws {
        let (name, _) = try await metric(example.inside)
        let outcome = try await run(example.experiment, variables: [example.variable: name])
        #expect(outcome.beforeMet == true, "\(outcome.journal)")
        #expect(outcome.afterMet == true)
        #expect(outcome.deviated == false)
    }

    @Test(arguments: examples)
    func deviatesWhenTheFaultMovesTheMetricOutOfTheTolerance(_ example: Example) async throws {
        let (name, fault) = try await metric(example.inside)
        let outcome = try await run(
            example.experiment, variables: [example.variable: name, "fault_command": fault(example.outside)])
        #expect(outcome.beforeMet == true, "\(outcome.journal)")
        #expect(outcome.afterMet == false)
        #expect(outcome.deviated == true)
    }

    @Test func theExamplesMeetTheirHypothesesOnALivePrometheusAsWritten() async throws {
        for experiment in Self.examples.map(\.experiment) {
            let outcome = try await run(experiment, variables: [:])
            #expect(outcome.beforeMet == true, "\(experiment): \(outcome.journal)")
            #expect(outcome.deviated == false, "\(experiment)")
        }
    }
}

import ChaosToolkit
import PrometheusProbes
import Testing

@testable import chaostoolkit_prometheus

/// Which activities leave the event loop is decided by name; a renamed activity must not silently stay on it.
@Suite("Where activities run")
struct ActivityPlacementTests {
    @Test func everyActivityThatRunsOffTheLoopIsOneOfThePlugins() {
        let environment = ProbeEnvironment(
            client: PrometheusClient(http: .init(), logger: .disabled), logger: .disabled)
        let names = Set(PrometheusExtension.probes(environment).map(\.descriptor.name))
        #expect(ActivityMethods.computeOverRanges.isSubset(of: names))
    }
}

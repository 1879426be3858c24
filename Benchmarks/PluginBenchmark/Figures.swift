import Foundation

/// Everything one run measured: each measurement's outcome, or why it could not be measured.
struct Figures: Sendable {
    typealias Measured<Value: Sendable> = Result<Value, BenchmarkError>

    var roundTrips: Measured<RoundTripMeasurement.Outcome>?
    var burst: Measured<BurstMeasurement.Outcome>?
    var python: Measured<Samples>?
    var adapter: Measured<Samples>?
    var coldStart: Measured<Samples>?
    var curlStart: Measured<Samples>?
    var executable: Measured<ExecutableMeasurement.Outcome>?
    var pythonImport: Measured<Samples>?
    var largeResult: Measured<LargeResultMeasurement.Outcome>?
    var idleMemory: Measured<IdleMemoryMeasurement.Outcome>?
    var slowServer: Measured<SlowServerMeasurement.Outcome>?
    var unreadStandardError: Measured<UnreadStandardErrorMeasurement.Outcome>?
    /// The measurements that failed, by name (one not run because its Python was not given is not among them).
    private(set) var failures: [String] = []

    /// Runs `measurement` (named `name` in progress lines), keeping its outcome or its failure.
    mutating func measure<Value: Sendable>(_ name: String, _ measurement: () throws -> Value) -> Measured<Value> {
        Progress.say("measuring \(name)")
        let started = Monotonic.now()
        do {
            let value = try measurement()
            Progress.say(String(format: "measured %@ in %.1f s", name, Double(Monotonic.since(started)) / 1e9))
            return .success(value)
        } catch {
            let failure = error as? BenchmarkError ?? BenchmarkError("\(error)")
            Progress.say("\(name) FAILED: \(failure)")
            failures.append(name)
            return .failure(failure)
        }
    }
}

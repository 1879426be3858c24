import ActivityHTTP
import ChaosToolkit
import JSON

/// One run of `wait_for_threshold`: the checks, their count, and the last value seen.
struct ThresholdWait {
    let call: ActivityCall
    let environment: ProbeEnvironment

    /// The reasons a check may fail with and the waiting go on: the server may come back, data may arrive.
    private static let passingFailures: Set<FailedActivity.Reason> = [
        .unreachable, .timeout, .transportError, .httpStatus, .noData,
    ]

    func run() async throws -> JSONValue {
        let query = try call.arguments.requiredString(.query)
        let condition = try call.condition()
        let limit = try duration(.waitTimeout)
        let interval = try duration(.interval)
        let consecutive = try call.count(.consecutive)
        let settings = try call.settings(in: environment)  // read once: bad settings fail before the first check

        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var checks = 0
        var held = 0
        var streak = 0
        var last: Condition.Verdict?
        var lastFailure: FailedActivity?
        while true {
            let started = clock.now
            checks += 1
            do {
                let samples = try await withTimeLimit(deadline - clock.now) {
                    try await call.instantSamples(of: query, at: nil, timeout: nil, settings: settings, in: environment)
                }
                let verdict = try condition.judge(samples, query: query)
                last = verdict
                lastFailure = nil
                streak = verdict.passed ? streak + 1 : 0
                if verdict.passed { held += 1 }
                environment.logger.debug(
                    "wait_for_threshold check \(checks): '\(query)' \(condition.text) \(verdict.passed ? "holds" : "does not hold") (\(streak) of \(consecutive) in a row)"
                )
                await ActivityProgress.report(
                    "check \(checks): \(verdict.value.map { "value \($0.text)" } ?? "\(verdict.observed.count) series"), "
                        + "condition \(condition.text) \(verdict.passed ? "holds" : "does not hold") (\(streak) of \(consecutive) in a row)"
                )
                if streak >= consecutive {
                    return verdict.value.map(JSONValue.number) ?? .array(verdict.observed)
                }
            } catch let failure as FailedActivity where Self.passingFailures.contains(failure.reason) {
                streak = 0
                lastFailure = failure
                environment.logger.debug("wait_for_threshold check \(checks) could not measure: \(failure.message)")
                await ActivityProgress.report("check \(checks) could not measure (\(failure.reason)); waiting goes on")
            } catch is TimeLimitExceeded {
                checks -= 1  // cut short by the deadline, not a check
                break
            }
            let next = started + interval
            guard next < deadline else { break }
            try await Task.sleep(until: next, clock: clock)
        }
        let seen =
            last.map { "the last value seen was \(JSONValue.array($0.observed).serializedString())" }
            ?? "no value was seen"
        let error = lastFailure.map { "; the last check could not measure: \($0.message)" } ?? ""
        throw FailedActivity(
            "'\(query)' \(condition.text) did not hold for \(consecutive) consecutive check\(consecutive == 1 ? "" : "s") within \(limit.formatted): \(held) of \(checks) checks held, \(seen)\(error)",
            reason: .thresholdNotMet,
            detail: [
                "checks": .number(JSONNumber(checks)), "held": .number(JSONNumber(held)),
                "last": last.map { .array($0.observed) } ?? .null,
            ])
    }

    /// A positive duration argument.
    private func duration(_ argument: ActivityArgument) throws(FailedActivity) -> Duration {
        let seconds = try call.requiredDuration(argument).seconds
        return .milliseconds(Int64(min(seconds, 86_400 * 7) * 1000))
    }
}

/// The operation did not finish within its time limit.
struct TimeLimitExceeded: Error {}

/// Runs `operation`, cancelling it when `limit` passes first.
func withTimeLimit<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard limit > .zero else { throw TimeLimitExceeded() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let value = try await group.next() ?? nil else { throw TimeLimitExceeded() }
        return value
    }
}

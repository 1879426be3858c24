import Foundation
import JSONRPC
import Testing

/// The room the input reader takes per line (`--max-pending-lines`, `--max-pending-bytes`): it waits while the
/// lines or their bytes are at the limit, and a single line longer than the byte limit still passes, alone.
@Suite("The input budget")
struct InputBudgetTests {
    /// Whether `take(size)` returns within half a second, on a thread of its own (it blocks by design).
    private func takes(_ budget: InputBudget, _ size: Int) async -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            budget.take(size)
            done.signal()
        }
        for _ in 0..<50 {
            if done.wait(timeout: .now()) == .success { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func waitsForRoomInLinesThenGoesOnWhenALineIsAnswered() async {
        let budget = InputBudget(maximumLines: 2, maximumBytes: 1000)
        #expect(await takes(budget, 10))
        #expect(await takes(budget, 10))
        let third = Task { await takes(budget, 10) }
        try? await Task.sleep(for: .milliseconds(100))
        budget.give(10)
        #expect(await third.value)
    }

    @Test func waitsForRoomInBytes() async {
        let budget = InputBudget(maximumLines: 100, maximumBytes: 100)
        #expect(await takes(budget, 60))
        let second = Task { await takes(budget, 60) }  // 120 bytes held would pass the limit: it waits
        try? await Task.sleep(for: .milliseconds(100))
        budget.give(60)
        #expect(await second.value)
    }

    @Test func aLineLongerThanTheByteLimitPassesOnlyAlone() async {
        let budget = InputBudget(maximumLines: 100, maximumBytes: 100)
        #expect(await takes(budget, 500))  // nothing else held
        #expect(!(await takes(budget, 1)))  // while it is held, nothing more fits
    }
}

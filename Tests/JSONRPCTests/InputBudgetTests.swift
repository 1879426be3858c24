import JSONRPC
import Locking
import Testing

/// The room the input reader takes per line (`--max-pending-lines`, `--max-pending-bytes`): no room while the
/// lines or their bytes are at the limit, the reader told when room comes back, and a single line longer than the
/// byte limit still passes, alone.
@Suite("The input budget")
struct InputBudgetTests {
    @Test func hasNoRoomWhileTheLinesAreAtTheLimitAndTellsTheReaderWhenALineIsAnswered() {
        let budget = InputBudget(maximumLines: 2, maximumBytes: 1000)
        #expect(budget.take(10))
        #expect(budget.take(10))
        #expect(!budget.take(10))
        let told = Locked(0)
        budget.whenRoom(for: 10) { told.withLock { $0 += 1 } }
        #expect(told.withLock { $0 } == 0)
        budget.give(10)
        #expect(told.withLock { $0 } == 1)
        #expect(budget.take(10))
    }

    @Test func hasNoRoomForBytesPastTheLimit() {
        let budget = InputBudget(maximumLines: 100, maximumBytes: 100)
        #expect(budget.take(60))
        #expect(!budget.take(60))  // 120 bytes held would pass the limit
        let told = Locked(false)
        budget.whenRoom(for: 60) { told.withLock { $0 = true } }
        budget.give(60)
        #expect(told.withLock { $0 })
        #expect(budget.take(60))
    }

    @Test func tellsAtOnceWhenThereIsRoomAlready() {
        let budget = InputBudget(maximumLines: 1, maximumBytes: 100)
        let told = Locked(false)
        budget.whenRoom(for: 10) { told.withLock { $0 = true } }
        #expect(told.withLock { $0 })
    }

    @Test func aLineLongerThanTheByteLimitPassesOnlyAlone() {
        let budget = InputBudget(maximumLines: 100, maximumBytes: 100)
        #expect(budget.take(500))  // nothing else held
        #expect(!budget.take(1))  // while it is held, nothing more fits
    }
}

/// The input lines being handled, and the tasks waiting until few enough are: `shutdown` waits for every line but
/// its own, a signal's grace period for all of them. A waiter is resumed when the count drops, never by polling, and
/// at once when its task is cancelled.
final class LinesInFlight: Sendable {
    private let count = WaitableState(0)

    /// A line has arrived.
    func begin() {
        count.update { $0 += 1 }
    }

    /// A line has been answered (or needed no answer); wakes whoever waited for the count to reach this low.
    func end() {
        count.update { $0 -= 1 }
    }

    /// Returns once at most `limit` lines are in flight, or once the calling task is cancelled.
    func wait(untilAtMost limit: Int) async {
        await count.wait { $0 <= limit }
    }

    /// Returns once no line is in flight, or after `grace`, whichever comes first.
    func waitUntilNone(atMost grace: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(untilAtMost: 0) }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
    }
}

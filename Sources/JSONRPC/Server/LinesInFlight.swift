import Locking

/// The input lines being handled, and the tasks waiting until few enough are: `shutdown` waits for every line but
/// its own, a signal's grace period for all of them. A waiter is resumed when the count drops, never by polling, and
/// at once when its task is cancelled.
final class LinesInFlight: Sendable {
    private struct State {
        var count = 0
        var waiters: [(id: UInt64, limit: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextID: UInt64 = 0
    }

    private let state = Locked(State())

    /// A line has arrived.
    func begin() {
        state.withLock { $0.count += 1 }
    }

    /// A line has been answered (or needed no answer); wakes whoever waited for the count to reach this low.
    func end() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            let count = state.count
            let ready = state.waiters.filter { $0.limit >= count }.map(\.continuation)
            state.waiters.removeAll { $0.limit >= count }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once at most `limit` lines are in flight, or once the calling task is cancelled.
    func wait(untilAtMost limit: Int) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Decided under the lock in one step, so a queued waiter is resumed by exactly one party.
                let waiting = state.withLock { state -> Bool in
                    guard state.count > limit, !Task.isCancelled else { return false }
                    state.waiters.append((id, limit, continuation))
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume()
        }
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

import Locking

/// A counting semaphore for async callers: at most `limit` permits out, the rest waiting first come, first
/// served. A waiter whose task is cancelled leaves the queue.
final class CallPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    init(limit: Int) {
        state = Locked(State(available: limit))
    }

    /// Waits for a permit; returns `false` (holding none) when the task was cancelled while waiting.
    func acquire() async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                enum Outcome { case granted, refused, queued }
                // Decided under the lock in one step, so a queued waiter is resumed by exactly one party.
                let outcome = state.withLock { state -> Outcome in
                    if state.available > 0 && state.waiters.isEmpty {
                        state.available -= 1
                        return .granted
                    }
                    if Task.isCancelled { return .refused }
                    state.waiters.append((id, continuation))
                    return .queued
                }
                switch outcome {
                case .granted: continuation.resume(returning: true)
                case .refused: continuation.resume(returning: false)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// Returns a permit, handing it to the first waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}

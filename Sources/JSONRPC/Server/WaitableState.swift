import Locking

/// A value that tasks can wait on until a condition on it holds: a waiter is resumed once, when a change meets its
/// condition (never by polling), or at once when its task is cancelled. The server's lines in flight and its stop
/// are two of these.
final class WaitableState<Value: Sendable>: Sendable {
    private struct Waiter {
        let id: UInt64
        let isMet: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var value: Value
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    init(_ value: Value) {
        state = Locked(State(value: value))
    }

    /// Changes the value, then resumes every waiter whose condition the new value meets.
    func update(_ change: @Sendable (inout Value) -> Void) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state.value)
            let value = state.value
            let ready = state.waiters.filter { $0.isMet(value) }
            state.waiters.removeAll { $0.isMet(value) }
            return ready.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the value meets `condition`, or once the calling task is cancelled.
    func wait(until condition: @escaping @Sendable (Value) -> Bool) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Decided under the lock in one step, so a queued waiter is resumed by exactly one party.
                let waiting = state.withLock { state -> Bool in
                    guard !condition(state.value), !Task.isCancelled else { return false }
                    state.waiters.append(Waiter(id: id, isMet: condition, continuation: continuation))
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
}

import Locking

/// A counting semaphore for the calls: at most `limit` permits out, the rest waiting first come, first served.
///
/// A call takes its place in the queue when its line is admitted (``reserve()``, synchronous, in the order of the
/// input), and waits for the permit later in its own task (``acquire(_:)``): the order in which tasks happen to
/// start cannot reorder the calls. A place whose task is cancelled is given up.
final class CallPermits: Sendable {
    /// A place in the queue, taken by ``reserve()``.
    struct Place: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct State {
        var available: Int
        /// Places waiting for a permit, oldest first, with the continuation of the task waiting on it, if any yet.
        var queue: [(place: Place, continuation: CheckedContinuation<Bool, Never>?)] = []
        /// Places given a permit whose task has not asked for it yet.
        var granted: Set<Place> = []
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    init(limit: Int) {
        state = Locked(State(available: limit))
    }

    /// Takes the next place in the queue, or a permit at once when one is free and nobody waits.
    func reserve() -> Place {
        state.withLock { state in
            state.nextID += 1
            let place = Place(id: state.nextID)
            if state.available > 0 && state.queue.isEmpty {
                state.available -= 1
                state.granted.insert(place)
            } else {
                state.queue.append((place, nil))
            }
            return place
        }
    }

    /// Waits for `place`'s permit; returns `false` (holding none, the place given up) when the task is cancelled.
    func acquire(_ place: Place) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                enum Outcome { case granted, refused, refusedHolding, waiting }
                // Decided under the lock in one step, so a waiter is resumed by exactly one party.
                let outcome = state.withLock { state -> Outcome in
                    if state.granted.remove(place) != nil { return Task.isCancelled ? .refusedHolding : .granted }
                    guard let index = state.queue.firstIndex(where: { $0.place == place }) else { return .refused }
                    if Task.isCancelled {
                        state.queue.remove(at: index)
                        return .refused
                    }
                    state.queue[index].continuation = continuation
                    return .waiting
                }
                switch outcome {
                case .granted: continuation.resume(returning: true)
                case .refused: continuation.resume(returning: false)
                case .refusedHolding:
                    release()
                    continuation.resume(returning: false)
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.queue.firstIndex(where: { $0.place == place }) else { return nil }
                return state.queue.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// Returns a permit, handing it to the oldest place in the queue if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.queue.isEmpty else {
                state.available += 1
                return nil
            }
            let (place, continuation) = state.queue.removeFirst()
            if continuation == nil { state.granted.insert(place) }
            return continuation
        }
        next?.resume(returning: true)
    }
}

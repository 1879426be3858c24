import Locking

/// The memory the response bodies of one ``HTTPClient`` may hold at once, in bytes: a process-wide bound that no
/// number of concurrent calls can pass.
///
/// A transfer takes room for each chunk of body as it arrives; a chunk that does not fit ends the transfer with
/// ``HTTPError/Kind/memoryBudgetExceeded`` rather than waiting, since transfers waiting on each other's room
/// could wait forever. The room a body took is given back when the last holder of its ``BodyReservation`` lets
/// go of it: whoever keeps the bytes of a response keeps its reservation too.
package final class ResponseMemory: Sendable {
    /// The budget when none is given: four answers at the default size limit of 256 MiB.
    package static let defaultLimit = 1 << 30

    /// The most bytes held at once.
    package let limit: Int
    private let used = Locked(0)

    /// A budget of `limit` bytes.
    package init(limit: Int = ResponseMemory.defaultLimit) {
        self.limit = limit
    }

    /// The bytes held now.
    package var inUse: Int { used.withLock { $0 } }

    /// Takes room for `count` more bytes, if there is room.
    func take(_ count: Int) -> Bool {
        used.withLock { used in
            guard count <= limit - used else { return false }
            used += count
            return true
        }
    }

    /// Gives back room for `count` bytes.
    func give(_ count: Int) {
        used.withLock { $0 -= count }
    }
}

/// The room one response body holds in its ``ResponseMemory``, given back when this object goes away.
///
/// A class, so that every copy of a response shares one reservation and the room is given back exactly once,
/// when the last copy (or the text a caller made of its bytes) is gone.
package final class BodyReservation: @unchecked Sendable {
    // Safety: `count` is changed by the transfer thread while it receives the body, then (through `takeMore`) by
    // the one task the response was handed to, through a lock (Transfer.takeBody); never by two at once.
    /// The budget this room is taken from.
    package let memory: ResponseMemory
    private(set) var count = 0

    init(in memory: ResponseMemory) {
        self.memory = memory
    }

    /// Takes room for `more` bytes, if the budget has it: for more of the body, or for what is made of it while
    /// it lives (a document read into a tree). Given back with the rest.
    package func grow(by more: Int) -> Bool {
        guard memory.take(more) else { return false }
        count += more
        return true
    }

    /// Gives back everything held so far (a redirect's body, dropped for the next response's).
    func reset() {
        memory.give(count)
        count = 0
    }

    deinit { memory.give(count) }
}

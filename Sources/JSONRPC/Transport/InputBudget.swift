import Locking

/// How much input is held at once: lines read but not yet answered, and their bytes.
///
/// The input reader takes room for each line before handing it on; when there is none, it stops reading and asks
/// to be told when there is (``whenRoom(for:_:)``); the server gives the room back once the line is answered. A
/// host that writes faster than calls can be answered is then held back by the pipe (whose kernel buffer holds
/// what is not read yet), instead of filling the plugin's memory with queued calls. A single line larger than the
/// byte budget still passes, alone.
package final class InputBudget: Sendable {
    package let maximumLines: Int
    package let maximumBytes: Int

    private struct State {
        var lines = 0
        var bytes = 0
        /// Who waits for room, and for how much.
        var waiter: (size: Int, action: @Sendable () -> Void)?
    }

    private let state = Locked(State())

    package init(maximumLines: Int, maximumBytes: Int) {
        self.maximumLines = max(1, maximumLines)
        self.maximumBytes = max(1, maximumBytes)
    }

    /// Holds the room of a line of `size` bytes if it fits now; `false` (and nothing held) if it does not.
    package func take(_ size: Int) -> Bool {
        state.withLock { state in
            guard fits(size, in: state) else { return false }
            state.lines += 1
            state.bytes += size
            return true
        }
    }

    /// Calls `action` once a line of `size` bytes fits: at once if it fits now, otherwise on the thread that
    /// gives the room back. One waiter at a time (the reader); a later call replaces an earlier one.
    package func whenRoom(for size: Int, _ action: @escaping @Sendable () -> Void) {
        let fitsNow = state.withLock { state in
            if fits(size, in: state) { return true }
            state.waiter = (size, action)
            return false
        }
        if fitsNow { action() }
    }

    /// Gives back the room of a line of `size` bytes.
    package func give(_ size: Int) {
        let ready = state.withLock { state -> (@Sendable () -> Void)? in
            state.lines -= 1
            state.bytes -= size
            guard let waiter = state.waiter, fits(waiter.size, in: state) else { return nil }
            state.waiter = nil
            return waiter.action
        }
        ready?()
    }

    private func fits(_ size: Int, in state: State) -> Bool {
        state.lines < maximumLines && (state.lines == 0 || state.bytes + size <= maximumBytes)
    }
}

extension LineSplitter.Event {
    /// The bytes this event holds while it waits for its answer.
    package var size: Int {
        switch self {
        case .line(let bytes): bytes.count
        case .oversized: 0
        }
    }
}

import Foundation

/// How much input is held at once: lines read but not yet answered, and their bytes.
///
/// The input reader takes room for each line before handing it on and waits while there is none, on its own
/// thread; the server gives the room back once the line is answered. A host that writes faster than calls can be
/// answered is then held back by the pipe (whose kernel buffer holds what is not read yet), instead of filling the
/// plugin's memory with queued calls. A single line larger than the byte budget still passes, alone.
public final class InputBudget: @unchecked Sendable {
    public let maximumLines: Int
    public let maximumBytes: Int
    /// Guards `lines` and `bytes`, and wakes the reader when room is given back.
    private let condition = NSCondition()
    private var lines = 0
    private var bytes = 0

    public init(maximumLines: Int, maximumBytes: Int) {
        self.maximumLines = max(1, maximumLines)
        self.maximumBytes = max(1, maximumBytes)
    }

    /// Waits until a line of `size` bytes fits, then holds its room.
    public func take(_ size: Int) {
        condition.lock()
        defer { condition.unlock() }
        while lines >= maximumLines || (lines > 0 && bytes + size > maximumBytes) { condition.wait() }
        lines += 1
        bytes += size
    }

    /// Gives back the room of a line of `size` bytes.
    public func give(_ size: Int) {
        condition.lock()
        defer { condition.unlock() }
        lines -= 1
        bytes -= size
        condition.broadcast()
    }
}

extension LineSplitter.Event {
    /// The bytes this event holds while it waits for its answer.
    public var size: Int {
        switch self {
        case .line(let bytes): bytes.count
        case .oversized: 0
        }
    }
}

/// Cuts a byte stream into lines: the framing of newline-delimited JSON-RPC.
///
/// Pure and incremental, so it can be tested a byte at a time. A line ends at `\n`; a `\r` before it is
/// dropped (CRLF is tolerated), and lines holding only spaces, tabs or `\r` are skipped. A line longer than
/// ``maximumLineLength`` is not kept in memory: its bytes are counted and dropped until its end, and it is
/// reported as ``Event/oversized(length:)``. A last line without a newline is delivered by ``finish()``.
package struct LineSplitter: Sendable {
    /// What the splitter found.
    package enum Event: Sendable, Equatable {
        /// A complete line, without its line end.
        case line([UInt8])
        /// A line longer than the limit, dropped; `length` is its length in bytes without the line end.
        case oversized(length: Int)
    }

    /// The longest line kept, in bytes, not counting the line end.
    package let maximumLineLength: Int
    private var pending: [UInt8] = []
    /// While dropping an over-long line: how many of its bytes have gone by.
    private var droppedLength: Int?

    package init(maximumLineLength: Int) {
        precondition(maximumLineLength > 0)
        self.maximumLineLength = maximumLineLength
    }

    /// Takes the next chunk of input and returns the lines it completes.
    package mutating func feed<Bytes: Collection<UInt8>>(_ chunk: Bytes) -> [Event] {
        var events: [Event] = []
        var start = chunk.startIndex
        while start != chunk.endIndex {
            let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? chunk.endIndex
            let piece = chunk[start..<end]
            if let dropped = droppedLength {
                droppedLength = dropped + piece.count
            } else if pending.count + piece.count - 1 > maximumLineLength {
                // One byte of slack: a CRLF line exactly at the limit still fits once its `\r` is dropped.
                droppedLength = pending.count + piece.count
                pending.removeAll(keepingCapacity: false)
            } else {
                pending.append(contentsOf: piece)
            }
            guard let newline else { break }
            if let event = endLine() { events.append(event) }
            start = chunk.index(after: newline)
        }
        return events
    }

    /// Ends the input: returns the last line when it had no newline.
    package mutating func finish() -> [Event] {
        endLine().map { [$0] } ?? []
    }

    private mutating func endLine() -> Event? {
        defer {
            pending.removeAll(keepingCapacity: pending.count <= 65_536)
            droppedLength = nil
        }
        if let dropped = droppedLength {
            return .oversized(length: dropped)
        }
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        if pending.count > maximumLineLength { return .oversized(length: pending.count) }
        if pending.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        return .line(pending)
    }
}

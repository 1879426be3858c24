#if canImport(Glibc)
import Glibc
#endif
import Locking

/// Writes whole lines to a file descriptor (standard output), one at a time.
///
/// Each line and its newline leave in one locked write loop, so concurrent responses never interleave, and
/// nothing is buffered: the host reads each answer as soon as it is written. When the reader has gone away
/// (`EPIPE`, with `SIGPIPE` ignored) the writer calls `onClosed` once and drops every later line.
public final class LineWriter: Sendable {
    private let fileDescriptor: Int32
    private let closed = Locked(false)
    private let onClosed: @Sendable () -> Void

    public init(fileDescriptor: Int32, onClosed: @escaping @Sendable () -> Void = {}) {
        self.fileDescriptor = fileDescriptor
        self.onClosed = onClosed
    }

    /// Writes `line` followed by a newline; returns `false` when the output is closed.
    @discardableResult
    public func write(line: [UInt8]) -> Bool {
        write(line: [line])
    }

    /// Writes the pieces of one line, then a newline, all with `writev` in one locked loop: a piece of
    /// megabytes (a document passed on as it is) is never copied to join the others. Returns `false` when the
    /// output is closed.
    @discardableResult
    public func write(line pieces: [[UInt8]]) -> Bool {
        let newline: [UInt8] = [UInt8(ascii: "\n")]
        let pieces = pieces.filter { !$0.isEmpty } + [newline]
        let justClosed: Bool? = closed.withLock { isClosed in
            if isClosed { return nil }
            var piece = 0
            var offset = 0  // within `pieces[piece]`
            while piece < pieces.count {
                let written = Self.writeVector(fileDescriptor, pieces[piece...], skipping: offset)
                if written > 0 {
                    var remaining = written
                    while remaining > 0 {
                        let left = pieces[piece].count - offset
                        if remaining >= left {
                            remaining -= left
                            piece += 1
                            offset = 0
                        } else {
                            offset += remaining
                            remaining = 0
                        }
                    }
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    // A non-blocking descriptor whose pipe is full: wait until the host reads.
                    var ready = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else {
                    isClosed = true
                    return true
                }
            }
            return false
        }
        if justClosed == true { onClosed() }
        return justClosed == false
    }

    /// One `writev` of `pieces` (at most 64 of them), the first from `offset` on.
    private static func writeVector(_ descriptor: Int32, _ pieces: ArraySlice<[UInt8]>, skipping offset: Int) -> Int {
        let batch = Array(pieces.prefix(64))
        func write(_ index: Int, _ vectors: inout [iovec]) -> Int {
            guard index < batch.count else { return writev(descriptor, vectors, Int32(vectors.count)) }
            return batch[index].withUnsafeBytes { bytes in
                let skip = index == 0 ? offset : 0
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip), iov_len: bytes.count - skip))
                return write(index + 1, &vectors)
            }
        }
        var vectors: [iovec] = []
        vectors.reserveCapacity(batch.count)
        return write(0, &vectors)
    }
}

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

    /// Writes the pieces of one line, then a newline, in one locked loop, so lines never interleave; a piece of
    /// megabytes (a document passed on as it is) is written where it lies, never copied to join the others.
    /// Returns `false` when the output is closed.
    @discardableResult
    public func write(line pieces: [[UInt8]]) -> Bool {
        var pieces = pieces
        // The newline joins the last piece when that is small: most lines then leave in one write.
        if let last = pieces.indices.last, pieces[last].count < 64 << 10 {
            pieces[last].append(UInt8(ascii: "\n"))
        } else {
            pieces.append([UInt8(ascii: "\n")])
        }
        let justClosed: Bool? = closed.withLock { isClosed in
            if isClosed { return nil }
            for piece in pieces where !writeAll(piece) {
                isClosed = true
                return true
            }
            return false
        }
        if justClosed == true { onClosed() }
        return justClosed == false
    }

    /// Writes all of `bytes`, however many writes it takes; `false` when the reader has gone.
    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A non-blocking descriptor whose pipe is full: wait until the host reads.
                var ready = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            } else {
                return false
            }
        }
        return true
    }
}

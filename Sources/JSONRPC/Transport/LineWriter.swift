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
    ///
    /// The line and its newline go out together with `writev`, so a line of megabytes is never copied to have
    /// a newline appended.
    @discardableResult
    public func write(line: [UInt8]) -> Bool {
        let justClosed: Bool? = closed.withLock { isClosed in
            if isClosed { return nil }
            var newline = UInt8(ascii: "\n")
            let total = line.count + 1
            var offset = 0
            while offset < total {
                let written = line.withUnsafeBytes { bytes in
                    withUnsafeMutablePointer(to: &newline) { newlinePointer in
                        var vectors: [iovec] = []
                        if offset < bytes.count {
                            vectors.append(iovec(
                                iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + offset),
                                iov_len: bytes.count - offset))
                        }
                        vectors.append(iovec(iov_base: UnsafeMutableRawPointer(newlinePointer), iov_len: 1))
                        return writev(fileDescriptor, vectors, Int32(vectors.count))
                    }
                }
                if written > 0 {
                    offset += written
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
}

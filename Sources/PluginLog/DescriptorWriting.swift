#if canImport(Glibc)
import Glibc
#endif

/// The one loop that writes bytes to a file descriptor, shared by the log writer and the protocol's line writer.
package enum DescriptorWriting {
    /// Writes `bytes[sent...]` with `write` (a `write(2)` or `send(2)` of a pointer and a count), advancing
    /// `sent`, until all is written; an interrupted call is retried. Returns `nil` once everything is written,
    /// else the `errno` of the call that failed (`EAGAIN` for a full non-blocking descriptor, `EPIPE` for a reader
    /// that has gone; 0 when a call wrote nothing).
    package static func write(
        _ bytes: [UInt8], from sent: inout Int, with write: (UnsafeRawPointer, Int) -> Int
    ) -> Int32? {
        while sent < bytes.count {
            let start = sent
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(base + start, buffer.count - start)
            }
            if written > 0 {
                sent += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return written < 0 ? errno : 0
            }
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// Reads a file descriptor (standard input) on a thread of its own and delivers its lines.
///
/// A blocking `read(2)` on a dedicated thread never ties up Swift's cooperative thread pool, and the pure
/// ``LineSplitter`` does the framing. The stream finishes at end of input or on a read error.
public enum InputReader {
    /// The lines of `fileDescriptor`, as a stream that ends at end of input. With a `budget`, each line is handed
    /// on only once there is room for it (``InputBudget``): reading waits meanwhile.
    public static func lines(
        of fileDescriptor: Int32, maximumLineLength: Int, budget: InputBudget? = nil, logger: Logger
    ) -> AsyncStream<LineSplitter.Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: LineSplitter.Event.self)
        let thread = Thread {
            var splitter = LineSplitter(maximumLineLength: maximumLineLength)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    for event in splitter.feed(buffer[0..<count]) {
                        budget?.take(event.size)
                        continuation.yield(event)
                    }
                } else if count == 0 {
                    break
                } else if errno == EAGAIN || errno == EWOULDBLOCK {
                    // A host may hand over a non-blocking descriptor: wait for input instead of ending.
                    var ready = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else if errno != EINTR {
                    logger.error("reading the input failed: \(String(cString: strerror(errno)))")
                    break
                }
            }
            for event in splitter.finish() {
                budget?.take(event.size)
                continuation.yield(event)
            }
            continuation.finish()
        }
        thread.name = "input reader"
        thread.start()
        return stream
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-terminated lines from a descriptor with plain `read(2)`, waiting with `poll(2)` so that every
/// wait has a deadline; newlines are found with `memchr`, so a line of megabytes costs one pass.
struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where the first unread line starts in `buffer`.
    private var start = 0
    /// Up to where `buffer` has been searched for a newline.
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line, without its newline; waits until `deadline` (a ``Monotonic`` time) at most.
    mutating func readLine(until deadline: UInt64) throws -> [UInt8] {
        while true {
            if let newline = findNewline() {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                if start == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                    scanned = 0
                } else if start > (1 << 20) && start > buffer.count / 2 {
                    buffer.removeFirst(start)
                    scanned -= start
                    start = 0
                }
                return line
            }
            try fill(until: deadline)
        }
    }

    private mutating func findNewline() -> Int? {
        guard scanned < buffer.count else { return nil }
        let from = scanned
        let found: Int? = buffer.withUnsafeBytes { bytes in
            guard let match = memchr(bytes.baseAddress! + from, 0x0A, bytes.count - from) else { return nil }
            return bytes.baseAddress!.distance(to: UnsafeRawPointer(match))
        }
        scanned = found ?? buffer.count
        return found
    }

    private mutating func fill(until deadline: UInt64) throws {
        while true {
            let now = Monotonic.now()
            guard now < deadline else { throw BenchmarkError("no answer line before the deadline") }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
            let ready = poll(&request, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BenchmarkError("the plugin closed its standard output") }
            buffer.append(contentsOf: chunk[0..<count])
            return
        }
    }
}

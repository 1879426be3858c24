import Locking

#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: standard error, written by a thread of its own so that no call ever waits for it.
///
/// A host that does not read the plugin's standard error must not stall it (one did, at `--log-level trace`,
/// after 175 answers). Lines wait in a queue of at most ``capacity`` bytes; when it is full, further lines are
/// dropped and counted, and as soon as standard error takes lines again a line says how many were lost. At exit,
/// what is queued is written out, waiting at most ``exitWait`` for a reader.
package final class LogSink: Sendable {
    /// The process's standard error.
    package static let standardError = LogSink(fileDescriptor: 2)

    /// The most bytes of lines waiting to be written.
    static let capacity = 256 << 10
    /// How long the process waits at exit for its last lines to be written.
    static let exitWait = 1.0

    private struct Queue {
        var lines: [String] = []
        var bytes = 0
        var dropped = 0
        var writerStarted = false
        /// Whether the writer holds lines it has not finished writing.
        var writing = false
    }

    private let fileDescriptor: Int32
    private let queue = Locked(Queue())
    /// Posted once for each line queued, and once more for a flush: the writer's wake-ups.
    private nonisolated(unsafe) let pending = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    /// Posted each time the writer finds the queue empty.
    private nonisolated(unsafe) let drained = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    private init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        sem_init(pending, 0, 0)
        sem_init(drained, 0, 0)
    }

    /// Queues `line`, or counts it as dropped when the queue is full. Never waits for standard error.
    func write(_ line: String) {
        let (queued, startWriter) = queue.withLock { queue -> (Bool, Bool) in
            guard queue.bytes + line.utf8.count <= Self.capacity else {
                queue.dropped += 1
                return (false, false)
            }
            queue.lines.append(line)
            queue.bytes += line.utf8.count
            defer { queue.writerStarted = true }
            return (true, !queue.writerStarted)
        }
        if startWriter { start() }
        if queued { sem_post(pending) }
    }

    private func start() {
        if self === LogSink.standardError {
            atexit { LogSink.standardError.flush() }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &thread, nil,
            { context in
                Unmanaged<LogSink>.fromOpaque(context!).takeRetainedValue().writeForever()
            }, context)
        pthread_detach(thread)
    }

    private func writeForever() -> Never {
        while true {
            while sem_wait(pending) != 0 {}  // only EINTR
            let (lines, dropped) = queue.withLock { queue in
                defer {
                    queue.lines = []
                    queue.bytes = 0
                    queue.dropped = 0
                    queue.writing = true
                }
                return (queue.lines, queue.dropped)
            }
            var written = true
            for line in lines where written { written = writeWhole(line) }
            if dropped > 0 && written {
                let notice =
                    "warning [logging] \(dropped) log line\(dropped == 1 ? " was" : "s were") dropped: standard error was not read fast enough\n"
                if !writeWhole(notice) { queue.withLock { $0.dropped += dropped } }
            }
            let (empty, droppedMeanwhile) = queue.withLock { queue in
                queue.writing = false
                return (queue.lines.isEmpty, queue.dropped > 0)
            }
            // Lines dropped while this batch was written are reported at once, while standard error takes lines.
            if empty && droppedMeanwhile && written { sem_post(pending) }
            if empty { sem_post(drained) }
        }
    }

    /// Writes `line` whole (waiting for the reader); false when standard error is gone.
    private func writeWhole(_ line: String) -> Bool {
        var sent = 0
        // A failure means standard error is gone; logging must never stop the plugin.
        return DescriptorWriting.write(Array(line.utf8), from: &sent) { Glibc.write(fileDescriptor, $0, $1) } == nil
    }

    /// Waits until every queued line is written, at most ``exitWait``.
    func flush() {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let wait = Int(Self.exitWait * 1e9) + deadline.tv_nsec
        deadline.tv_sec += wait / 1_000_000_000
        deadline.tv_nsec = wait % 1_000_000_000
        while !queue.withLock({ $0.lines.isEmpty && !$0.writing }) {
            sem_post(pending)  // a wake-up: the writer posts `drained` when it finds nothing left
            guard sem_timedwait(drained, &deadline) == 0 || errno == EINTR else { return }
        }
    }
}

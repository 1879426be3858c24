import EventLoop
import Locking
import PluginLog

#if canImport(Glibc)
import Glibc
#endif

/// Writes whole lines to a file descriptor (standard output), one at a time, never interleaved.
///
/// On an ``EventLoop`` (``send(line:)``), a line is written at once when the reader keeps up, and otherwise
/// waits in a queue that the loop writes out as the descriptor becomes writable: a host that stops reading holds
/// up only the calls whose answers wait, never the loop, so the other calls, the input and the signals go on.
/// That needs writes that do not wait: on a pipe the writer opens a second, non-blocking description of the same
/// pipe (`/proc/self/fd/N`, so the host's own description keeps its flags), on a socket it sends with
/// `MSG_DONTWAIT`; a regular file or a terminal is written directly. ``write(line:)`` writes in the caller's
/// thread, waiting for the reader (the one-shot mode, and a writer without a loop).
///
/// When the reader has gone away (`EPIPE`, with `SIGPIPE` ignored) the writer calls `onClosed` once and drops
/// every later line.
package final class LineWriter: Sendable {
    private let fileDescriptor: Int32
    private let onClosed: @Sendable () -> Void
    private let loop: EventLoop?
    /// How a line leaves without waiting, on the loop.
    private let mode: Mode
    /// The blocking path's lock and closed flag.
    private let closed = Locked(false)
    /// The loop's queue; touched on the loop's thread only.
    private nonisolated(unsafe) let queue = Queue()

    private enum Mode {
        /// Writes on a second, non-blocking description of the pipe.
        case pipe(Int32)
        /// `send` with `MSG_DONTWAIT`.
        case socket
        /// Plain blocking writes: a regular file, a terminal, or no loop.
        case blocking
    }

    private final class Queue {
        /// Pieces waiting, in order; the last piece of each line carries its sender.
        var pieces:
            [(bytes: [UInt8], sent: Int, sender: (id: UInt64, continuation: CheckedContinuation<Bool, Never>)?)] = []
        var nextSender: UInt64 = 0
        var watching = false
        var closed = false
    }

    /// A writer to `fileDescriptor`, written from `loop` when one is given.
    package init(fileDescriptor: Int32, loop: EventLoop? = nil, onClosed: @escaping @Sendable () -> Void = {}) {
        self.fileDescriptor = fileDescriptor
        self.onClosed = onClosed
        self.loop = loop
        mode = loop == nil ? .blocking : Self.mode(for: fileDescriptor)
    }

    deinit {
        if case .pipe(let descriptor) = mode { close(descriptor) }
    }

    private static func mode(for fileDescriptor: Int32) -> Mode {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return .blocking }
        switch status.st_mode & S_IFMT {
        case S_IFIFO:
            let descriptor = open("/proc/self/fd/\(fileDescriptor)", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return descriptor >= 0 ? .pipe(descriptor) : .blocking
        case S_IFSOCK:
            return .socket
        default:
            return .blocking
        }
    }

    /// Writes the pieces of one line, then a newline, from the loop, and returns once the line has left (at once
    /// when the reader keeps up); `false` when the output is closed. A piece of megabytes (a document passed on as
    /// it is) is written where it lies, never copied to join the others.
    package func send(line pieces: [[UInt8]]) async -> Bool {
        guard let loop, !isBlocking else { return write(line: pieces) }
        var line = Self.terminated(pieces)[...]
        if loop.isCurrent && queue.pieces.isEmpty && !queue.closed {
            // The common case, without a suspension: the host reads as fast as the plugin answers.
            while let piece = line.first {
                var sent = 0
                switch writeSome(piece, from: &sent) {
                case .wouldBlock:
                    let begun = sent > 0 || line.startIndex > 0
                    return await queued(line, firstSent: sent, begun: begun, on: loop)
                case .closed:
                    closeOutput()
                    return false
                case .written:
                    line.removeFirst()
                }
            }
            return true
        }
        return await queued(line, firstSent: 0, begun: false, on: loop)
    }

    private var isBlocking: Bool {
        if case .blocking = mode { return true }
        return false
    }

    /// Queues the pieces of a line, of which the first has `firstSent` bytes written already, and returns once
    /// the loop has written the rest; `begun` says whether any of the line has left (earlier pieces, or some of the
    /// first). A cancelled sender (the server giving up at shutdown) returns `false` at once; a line already begun
    /// stays queued, since a line must never be cut, and leaves if the host reads again.
    private func queued(_ pieces: ArraySlice<[UInt8]>, firstSent: Int, begun: Bool, on loop: EventLoop) async -> Bool {
        let sender = Locked<(id: UInt64?, cancelled: Bool)>((nil, false))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let enqueue: @Sendable () -> Void = { [self] in
                    let cancelled = sender.withLock { $0.cancelled }
                    guard !queue.closed, !cancelled || begun else {
                        return continuation.resume(returning: false)
                    }
                    queue.nextSender += 1
                    let id = queue.nextSender
                    sender.withLock { $0.id = id }
                    for index in pieces.indices {
                        let last = index == pieces.index(before: pieces.endIndex) && !cancelled
                        queue.pieces.append(
                            (pieces[index], index == pieces.startIndex ? firstSent : 0, last ? (id, continuation) : nil)
                        )
                    }
                    if cancelled { continuation.resume(returning: false) }
                    drain(on: loop)
                }
                // On the loop, at once: a line begun by the fast path must be queued before any other line is sent.
                if loop.isCurrent { enqueue() } else { loop.execute(enqueue) }
            }
        } onCancel: {
            sender.withLock { $0.cancelled = true }
            loop.execute { [self] in
                guard let id = sender.withLock({ $0.id }),
                    let index = queue.pieces.firstIndex(where: { $0.sender?.id == id }),
                    let waiting = queue.pieces[index].sender
                else { return }
                queue.pieces[index].sender = nil
                waiting.continuation.resume(returning: false)
            }
        }
    }

    /// Writes what the queue holds while the descriptor takes it; watches the descriptor while some is left.
    private func drain(on loop: EventLoop) {
        while !queue.pieces.isEmpty {
            var sent = queue.pieces[0].sent
            let outcome = writeSome(queue.pieces[0].bytes, from: &sent)
            queue.pieces[0].sent = sent
            switch outcome {
            case .wouldBlock:
                guard !queue.watching else { return }
                do {
                    try loop.watch(nonBlockingDescriptor, for: .writable) { [self] _ in drain(on: loop) }
                    queue.watching = true
                } catch {
                    closeOutput()
                }
                return
            case .closed:
                closeOutput()
                return
            case .written:
                queue.pieces.removeFirst().sender?.continuation.resume(returning: true)
            }
        }
        if queue.watching {
            loop.unwatch(nonBlockingDescriptor)
            queue.watching = false
        }
    }

    /// Closes the output for good: every waiting sender learns the line did not leave; `onClosed` runs once.
    private func closeOutput() {
        guard !queue.closed else { return }
        queue.closed = true
        if queue.watching, let loop { loop.unwatch(nonBlockingDescriptor) }
        queue.watching = false
        let waiting = queue.pieces
        queue.pieces = []
        for piece in waiting { piece.sender?.continuation.resume(returning: false) }
        onClosed()
    }

    private enum WriteOutcome {
        case written
        case wouldBlock
        case closed
    }

    /// The descriptor the loop writes and watches.
    private var nonBlockingDescriptor: Int32 {
        if case .pipe(let descriptor) = mode { return descriptor }
        return fileDescriptor
    }

    /// Writes `bytes[sent...]` without waiting, advancing `sent`, until all is written or the descriptor is full.
    private func writeSome(_ bytes: [UInt8], from sent: inout Int) -> WriteOutcome {
        let failure = DescriptorWriting.write(bytes, from: &sent) { start, count in
            switch mode {
            case .pipe(let descriptor): Glibc.write(descriptor, start, count)
            case .socket: Glibc.send(fileDescriptor, start, count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            case .blocking: Glibc.write(fileDescriptor, start, count)
            }
        }
        switch failure {
        case nil: return .written
        case EAGAIN?, EWOULDBLOCK?: return .wouldBlock
        default: return .closed
        }
    }

    /// The pieces with the newline: joined to the last piece when that is small, so most lines leave in one write.
    private static func terminated(_ pieces: [[UInt8]]) -> [[UInt8]] {
        var pieces = pieces
        if let last = pieces.indices.last, pieces[last].count < 64 << 10 {
            pieces[last].append(UInt8(ascii: "\n"))
        } else {
            pieces.append([UInt8(ascii: "\n")])
        }
        return pieces
    }

    /// Writes the pieces of one line, then a newline, in the caller's thread, in one locked loop, so lines never
    /// interleave. Returns `false` when the output is closed.
    @discardableResult
    package func write(line pieces: [[UInt8]]) -> Bool {
        let pieces = Self.terminated(pieces)
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
        var sent = 0
        while true {
            switch writeSome(bytes, from: &sent) {
            case .written: return true
            case .closed: return false
            case .wouldBlock:
                // A non-blocking descriptor whose pipe is full: wait until the host reads.
                var ready = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            }
        }
    }
}

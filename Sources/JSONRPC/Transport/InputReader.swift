import EventLoop
import PluginLog

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor (standard input) on an ``EventLoop`` and delivers its lines.
///
/// The loop wakes when the descriptor is readable, reads what is there (never waiting: a readable pipe gives what
/// it holds), and the pure ``LineSplitter`` does the framing. A regular file, which `epoll` cannot watch, is
/// always readable: it is read a chunk per turn of the loop. With a budget, each line is handed on only once
/// there is room for it (``InputBudget``); meanwhile nothing more is read, so the host's writes wait in the pipe.
/// The stream finishes at end of input or on a read error.
package enum InputReader {
    /// Reads the lines of `fileDescriptor` into `continuation`, which is finished at end of input; reading
    /// stops for good when the continuation's stream terminates (its `onTermination`, which this sets).
    package static func read(
        _ fileDescriptor: Int32, on loop: EventLoop, maximumLineLength: Int, budget: InputBudget? = nil,
        logger: Logger, into continuation: AsyncStream<LineSplitter.Event>.Continuation
    ) {
        let reader = LoopReader(
            fileDescriptor: fileDescriptor, loop: loop, splitter: LineSplitter(maximumLineLength: maximumLineLength),
            budget: budget, continuation: continuation, logger: logger)
        continuation.onTermination = { _ in loop.execute { reader.stop() } }
        loop.execute { reader.resume() }
    }
}

/// The reading itself; confined to the loop's thread (every method runs there), hence `@unchecked Sendable`.
private final class LoopReader: @unchecked Sendable {
    private let fileDescriptor: Int32
    private let loop: EventLoop
    private var splitter: LineSplitter
    private let budget: InputBudget?
    private let continuation: AsyncStream<LineSplitter.Event>.Continuation
    private let logger: Logger
    /// Lines read but not handed on yet, for want of room in the budget; `held[next...]` are left.
    private var held: [LineSplitter.Event] = []
    private var next = 0
    private var ended = false
    private var stopped = false
    private var watching = false
    /// A regular file: read a chunk per turn of the loop instead of waiting for readiness.
    private var alwaysReadable = false
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init(
        fileDescriptor: Int32, loop: EventLoop, splitter: LineSplitter, budget: InputBudget?,
        continuation: AsyncStream<LineSplitter.Event>.Continuation, logger: Logger
    ) {
        self.fileDescriptor = fileDescriptor
        self.loop = loop
        self.splitter = splitter
        self.budget = budget
        self.continuation = continuation
        self.logger = logger
    }

    /// Hands on what is held, then reads again (or finishes, at end of input).
    func resume() {
        guard !stopped, handOn() else { return }
        if ended { return finish() }
        if alwaysReadable { return readSoon() }
        guard !watching else { return }
        do {
            try loop.watch(fileDescriptor, for: .readable) { [self] _ in read() }
            watching = true
        } catch  where error.errno == EPERM {
            alwaysReadable = true
            readSoon()
        } catch {
            logger.error("reading the input failed: \(error)")
            ended = true
            finish()
        }
    }

    /// Stops reading for good (the stream's consumer has gone).
    func stop() {
        guard !stopped else { return }
        stopped = true
        if watching { loop.unwatch(fileDescriptor) }
        watching = false
    }

    private func readSoon() {
        loop.setTimer(after: .zero) { [self] in if !stopped { read() } }
    }

    private func read() {
        guard !stopped else { return }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            append(splitter.feed(buffer[0..<count]))
        } else if count == 0 {
            append(splitter.finish())
            ended = true
        } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
            if alwaysReadable { readSoon() }
            return
        } else {
            logger.error("reading the input failed: \(String(cString: strerror(errno)))")
            append(splitter.finish())
            ended = true
        }
        if handOn() {
            if ended {
                finish()
            } else if alwaysReadable {
                readSoon()
            }
        } else if watching {
            // No room: the host's next lines wait in the pipe until an answer gives room back.
            loop.unwatch(fileDescriptor)
            watching = false
        }
    }

    private func append(_ events: [LineSplitter.Event]) {
        if next == held.count {
            held = events
            next = 0
        } else {
            held += events
        }
    }

    /// Hands on the held lines while the budget has room; `true` once none is left. When one does not fit, the
    /// budget calls back once it does.
    private func handOn() -> Bool {
        while next < held.count {
            let event = held[next]
            if let budget, !budget.take(event.size) {
                budget.whenRoom(for: event.size) { [self] in loop.execute { self.resume() } }
                return false
            }
            next += 1
            if case .terminated = continuation.yield(event) {
                // The stream ended before its onTermination was set (a signal as the server started): stop here.
                budget?.give(event.size)
                stop()
                return false
            }
        }
        held = []
        next = 0
        return true
    }

    private func finish() {
        stop()
        continuation.finish()
    }
}

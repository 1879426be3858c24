import CEpoll
import Locking

#if canImport(Glibc)
import Glibc
#endif

/// One thread that waits, with `epoll`, on descriptors, on timers and on a queue of work, and runs whatever is
/// ready, one thing at a time.
///
/// It is also a `TaskExecutor`: a task started with `Task(executorPreference: loop)` (and its child tasks) runs its
/// jobs on the loop's thread, between waits. A call that reads a line, starts a transfer on a descriptor the loop
/// watches, and writes its answer then never wakes another thread: each step is queued on the thread that is
/// already awake.
///
/// Threads: ``execute(_:)``, ``enqueue(_:)``, ``isCurrent`` and ``stop()`` may be called from any thread; they
/// only take the queue's lock and, when the loop sleeps, write to its wake-up descriptor. Everything else
/// (``watch(_:for:_:)``, ``unwatch(_:)``, ``setTimer(_:after:_:)``, ``cancelTimer(_:)``) is for the loop's own
/// thread: code that runs on the loop, in a handler, a timer, a closure or a job.
///
/// Linux only: `epoll` and `eventfd`.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
    /// What a descriptor is watched for, and what it became.
    package struct Readiness: OptionSet, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Data (or the end of it, or an error) can be read.
        package static let readable = Readiness(rawValue: 1)
        /// Data can be written (or writing fails at once).
        package static let writable = Readiness(rawValue: 2)
    }

    /// Names a timer of ``setTimer(_:after:_:)``.
    package struct TimerID: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private enum Work {
        case job(UnownedJob)
        case closure(() -> Void)
    }

    /// What other threads may touch, under the lock.
    private struct Queue {
        var work: [Work] = []
        /// Whether the loop is in (or about to enter) `epoll_wait`, so that new work must wake it.
        var sleeping = false
        var stopping = false
        var thread: pthread_t?
    }

    private struct Watcher {
        var interest: Readiness
        let handler: (Readiness) -> Void
    }

    private struct Timer {
        let id: TimerID
        let deadline: ContinuousClock.Instant
        let action: () -> Void
    }

    /// What the loop's thread is started with.
    private final class Start {
        let loop: EventLoop
        let name: String
        init(loop: EventLoop, name: String) {
            self.loop = loop
            self.name = name
        }
    }

    private let epoll: Int32
    /// How many times a turn of the loop runs the queued work before it looks at the descriptors again.
    private static let roundsPerTurn = 16
    /// An `eventfd` the loop always watches: written to wake it.
    private let wakeup: Int32
    private let queue = Locked(Queue())
    // The loop thread's own state (see the type's comment).
    private var watchers: [Int32: Watcher] = [:]
    private var timers: [Timer] = []
    private var nextTimer: UInt64 = 0

    /// Starts the loop on a thread of its own, named `name` (as `top -H` shows it). Only a process out of
    /// descriptors or threads fails here: the plugin cannot serve anything then.
    package init(name: String) throws(EventLoopError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw EventLoopError(operation: "epoll_create1", errno: errno) }
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeup >= 0 else {
            close(epoll)
            throw EventLoopError(operation: "eventfd", errno: errno)
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeup))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)

        var thread = pthread_t()
        let context = Unmanaged.passRetained(Start(loop: self, name: name)).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
                start.loop.run(named: start.name)
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw EventLoopError(operation: "pthread_create", errno: created)
        }
        pthread_detach(thread)
    }

    deinit {
        close(epoll)
        close(wakeup)
    }

    /// Whether the caller runs on the loop's thread.
    package var isCurrent: Bool {
        guard let thread = queue.withLock({ $0.thread }) else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Runs `work` on the loop's thread, after what is queued already. After ``stop()`` it never runs.
    package func execute(_ work: @escaping @Sendable () -> Void) {
        add(.closure(work))
    }

    /// Runs a job of a task that prefers this executor.
    package func enqueue(_ job: consuming ExecutorJob) {
        add(.job(UnownedJob(job)))
    }

    /// Ends the loop once the work queued by then has run; work queued after that never runs. The plugin stops
    /// its loop only as the process ends.
    package func stop() {
        let wake = queue.withLock { queue in
            queue.stopping = true
            return queue.sleeping
        }
        if wake { signalWakeup() }
    }

    private func add(_ work: Work) {
        let wake = queue.withLock { queue in
            queue.work.append(work)
            return queue.sleeping
        }
        if wake { signalWakeup() }
    }

    private func signalWakeup() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: - On the loop's thread

    /// Calls `handler` on the loop whenever `descriptor` is ready for `interest`; watching it again replaces the
    /// interest and the handler. Hang-ups and errors are reported as readable and writable, so the handler's
    /// next read or write sees them. Throws for a descriptor `epoll` cannot watch (a regular file, `EPERM`).
    package func watch(
        _ descriptor: Int32, for interest: Readiness, _ handler: @escaping (Readiness) -> Void
    ) throws(EventLoopError) {
        var event = epoll_event(events: Self.events(for: interest), data: epoll_data_t(fd: descriptor))
        // A descriptor closed without ``unwatch(_:)`` left epoll by itself, and its number may come back.
        if epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) != 0 {
            guard errno == EEXIST, epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) == 0 else {
                throw EventLoopError(operation: "epoll_ctl", errno: errno)
            }
        }
        watchers[descriptor] = Watcher(interest: interest, handler: handler)
    }

    /// Stops watching `descriptor`. Call it before closing the descriptor.
    package func unwatch(_ descriptor: Int32) {
        guard watchers.removeValue(forKey: descriptor) != nil else { return }
        epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
    }

    /// Runs `action` on the loop once `delay` has passed (a zero delay: on the loop's next turn).
    @discardableResult
    package func setTimer(after delay: Duration, _ action: @escaping () -> Void) -> TimerID {
        nextTimer += 1
        let timer = Timer(id: TimerID(value: nextTimer), deadline: .now + delay, action: action)
        let index = timers.firstIndex { $0.deadline > timer.deadline } ?? timers.endIndex
        timers.insert(timer, at: index)
        return timer.id
    }

    /// Forgets a timer that has not fired yet.
    package func cancelTimer(_ id: TimerID) {
        timers.removeAll { $0.id == id }
    }

    private static func events(for interest: Readiness) -> UInt32 {
        (interest.contains(.readable) ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0)
            | (interest.contains(.writable) ? EPOLLOUT.rawValue : 0)
    }

    private func run(named name: String) {
        cepoll_name_thread(name)
        queue.withLock { $0.thread = pthread_self() }
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            // What the work queues (a task resumed by a task, say) runs in the same turn, up to a bound, so that a
            // call's steps do not each cost a trip through epoll_wait, and a busy queue cannot starve the
            // descriptors.
            var stopping = false
            for _ in 0..<Self.roundsPerTurn {
                let (work, stop) = queue.withLock { queue in
                    defer { queue.work = [] }
                    return (queue.work, queue.stopping)
                }
                stopping = stop
                for item in work { run(item) }
                fireDueTimers()
                if work.isEmpty || stopping { break }
            }
            if stopping { break }

            let timeout = queue.withLock { queue -> Int32 in
                guard queue.work.isEmpty && !queue.stopping else { return 0 }
                let timeout = millisecondsUntilNextTimer()
                queue.sleeping = timeout != 0
                return timeout
            }
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout)
            }
            queue.withLock { $0.sleeping = false }
            for event in events.prefix(max(0, Int(count))) {
                let descriptor = event.data.fd
                if descriptor == wakeup {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeup, &value, MemoryLayout<UInt64>.size)
                    continue
                }
                // A handler may have unwatched this descriptor for an earlier event of the same wait.
                guard let watcher = watchers[descriptor] else { continue }
                var readiness: Readiness = []
                if event.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 { readiness.insert(.readable) }
                if event.events & EPOLLOUT.rawValue != 0 { readiness.insert(.writable) }
                if event.events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readiness = [.readable, .writable] }
                watcher.handler(readiness.intersection(watcher.interest).isEmpty ? watcher.interest : readiness)
            }
        }
        queue.withLock { $0.thread = nil }
    }

    private func run(_ work: Work) {
        switch work {
        case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
        case .closure(let closure): closure()
        }
    }

    private func fireDueTimers() {
        let now = ContinuousClock.now
        while let first = timers.first, first.deadline <= now {
            timers.removeFirst()
            first.action()
        }
    }

    /// `epoll_wait`'s timeout: until the next timer, rounded up to whole milliseconds, or -1 without one.
    private func millisecondsUntilNextTimer() -> Int32 {
        guard let deadline = timers.first?.deadline else { return -1 }
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}

/// A system call the event loop needs failed.
package struct EventLoopError: Error, CustomStringConvertible, Sendable {
    /// The call that failed.
    package let operation: String
    /// Its `errno`.
    package let errno: Int32

    package var description: String {
        "\(operation) failed: \(String(cString: strerror(errno)))"
    }
}

import Foundation
import Locking
import PluginLog

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, for the tests.
///
/// Foundation's `Process` on Linux was seen to miss the exit of children started concurrently from several
/// threads (its `waitUntilExit` then never returns), and its pipes could leak into other children, keeping
/// their input open. Here every pipe is close-on-exec in the parent, and exits are polled, always bounded.
package final class Subprocess: Sendable {
    package let pid: pid_t
    /// The write end of the child's standard input, when it was piped.
    package let standardInput: Int32?
    /// The read end of the child's standard output, when it was piped.
    package let standardOutput: Int32?
    /// The read end of the child's standard error, when it was piped.
    package let standardError: Int32?
    private let status = Locked<Int32?>(nil)

    /// What happens to one of the child's standard streams.
    package enum Stream: Sendable {
        /// A pipe to the test.
        case pipe
        /// `/dev/null`.
        case null
        /// The file at a path (standard input read from a regular file, say).
        case file(String)
    }

    /// Starts `path` with `arguments`, in `environment` (the test's own when `nil`).
    ///
    /// A child inherits the signal mask of the thread that starts it, and the test's threads (Dispatch's workers)
    /// block most signals, SIGTERM among them; with `defaultSignals` the child starts as from a shell instead,
    /// nothing blocked and SIGPIPE not ignored. Servers that do not set their own mask (nginx in single-process
    /// mode) need it, or they never see the SIGTERM that stops them.
    package convenience init(
        _ path: String, arguments: [String], environment: [String: String]? = nil,
        input: Stream = .null, output: Stream = .null, error: Stream = .null, nonBlockingInput: Bool = false,
        defaultSignals: Bool = false
    ) throws {
        let started = try Self.spawning.withLock { count in
            count += 1
            return try Self.spawn(
                path, arguments: arguments, environment: environment, streams: [input, output, error],
                nonBlockingInput: nonBlockingInput, defaultSignals: defaultSignals)
        }
        self.init(pid: started.pid, ends: started.ends)
    }

    /// Serializes spawns (and counts them): a zero-sized value would share its address with the lock's other
    /// field, which the thread sanitizer mistakes for a race.
    private static let spawning = Locked(0)

    private init(pid: pid_t, ends: [Int32?]) {
        self.pid = pid
        standardInput = ends[0]
        standardOutput = ends[1]
        standardError = ends[2]
        ChildProcesses.register(pid)
    }

    private static func spawn(
        _ path: String, arguments: [String], environment: [String: String]? = nil,
        streams: [Stream], nonBlockingInput: Bool, defaultSignals: Bool
    ) throws -> (pid: pid_t, ends: [Int32?]) {
        try FastTests.refuseUnderFastTests("the process \(path)")
        // A host that went away must fail the test's write, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32?] = [nil, nil, nil]
        var childEnds: [Int32] = []
        for (descriptor, stream) in streams.enumerated() {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(
                    &actions, Int32(descriptor), "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(
                    &actions, Int32(descriptor), path, descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else { throw TestSupportError("pipe failed: errno \(errno)") }
                // Close-on-exec, so no other child inherits them; spawns are serialized (below), so no child
                // can be started between pipe() and these calls.
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                let (parent, child) = descriptor == 0 ? (ends[1], ends[0]) : (ends[0], ends[1])
                if descriptor == 0 && nonBlockingInput {
                    _ = fcntl(child, F_SETFL, fcntl(child, F_GETFL) | O_NONBLOCK)
                }
                posix_spawn_file_actions_adddup2(&actions, child, Int32(descriptor))
                parentEnds[descriptor] = parent
                childEnds.append(child)
            }
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environmentPairs = (environment ?? Self.currentEnvironment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in argv { free(argument) }
            for pair in environmentPairs { free(pair) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if defaultSignals {
            var nothing = sigset_t()
            sigemptyset(&nothing)
            posix_spawnattr_setsigmask(&attributes, &nothing)
            var ignoredHere = sigset_t()
            sigemptyset(&ignoredHere)
            sigaddset(&ignoredHere, SIGPIPE)
            posix_spawnattr_setsigdefault(&attributes, &ignoredHere)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, environmentPairs)
        for end in childEnds { close(end) }
        guard result == 0 else {
            for end in parentEnds.compactMap({ $0 }) { close(end) }
            throw TestSupportError("cannot start \(path): \(String(cString: strerror(result)))")
        }
        return (child, parentEnds)
    }

    /// The test process's environment.
    package static var currentEnvironment: [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// The exit status once the child has exited (128 + the signal number when a signal ended it), else `nil`.
    package var exitStatus: Int32? {
        status.withLock { known in
            if let known { return known }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            let signal = raw & 0x7F
            known = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
            ChildProcesses.unregister(pid)
            return known
        }
    }

    /// Whether the child is still running.
    package var isRunning: Bool { exitStatus == nil }

    /// Sends SIGTERM.
    package func terminate() {
        if isRunning { kill(pid, SIGTERM) }
    }

    /// Waits until the child exits, at most `timeout`, then kills it; returns its exit status.
    @discardableResult
    package func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exitStatus { return exitStatus }
            try await Task.sleep(for: .milliseconds(5))
        }
        // Looked at once more: a test process whose threads were all busy may wake only after the deadline,
        // though the child exited long before.
        if let exitStatus { return exitStatus }
        kill(pid, SIGKILL)
        throw TestSupportError("process \(pid) did not exit within \(timeout)")
    }

    /// Stops the child: SIGTERM now, then SIGKILL if it is still running after 10 s. Returns at once, for
    /// clean-up in `defer`: the wait runs on a thread of its own, since a test blocking one of the few threads
    /// of Swift's cooperative pool (two on a two-core machine) while a Prometheus shuts down stalls every
    /// other test of the process.
    package func stop() {
        terminate()
        guard isRunning else { return }
        Thread.detachNewThread { [self] in
            for _ in 0..<1000 where isRunning { usleep(10_000) }
            if isRunning {
                kill(pid, SIGKILL)
                for _ in 0..<100 where isRunning { usleep(10_000) }
            }
        }
    }

    /// What a program run to its end printed, and how it ended.
    package struct Finished: Sendable {
        package let status: Int32
        package let output: [UInt8]
        package let error: [UInt8]

        /// Standard output as text.
        package var outputText: String { String(decoding: output, as: UTF8.self) }
        /// Standard error as text.
        package var errorText: String { String(decoding: error, as: UTF8.self) }
    }

    /// Runs `path` to its end and returns its status and both its outputs: the one helper every test and fixture
    /// that runs a program to its end uses. `environment` is added to the test's own; after `timeout` the child is
    /// killed and this throws. `whileRunning`, when given, is called once the child has started.
    package static func run(
        _ path: String, arguments: [String], environment: [String: String] = [:], input: Stream = .null,
        timeout: Duration = .seconds(30), defaultSignals: Bool = false,
        whileRunning: (@Sendable (Subprocess) async throws -> Void)? = nil
    ) async throws -> Finished {
        let child = try Subprocess(
            path, arguments: arguments,
            environment: environment.isEmpty ? nil : currentEnvironment.merging(environment) { $1 }, input: input,
            output: .pipe, error: .pipe, defaultSignals: defaultSignals)
        guard let outputEnd = child.standardOutput, let errorEnd = child.standardError else {
            throw TestSupportError("\(path) started without its pipes")
        }
        let output = OutputCollector(outputEnd)
        let error = OutputCollector(errorEnd)
        do {
            try await whileRunning?(child)
        } catch {
            child.stop()
            throw error
        }
        let status = try await child.waitForExit(timeout: timeout)
        return Finished(
            status: status, output: try await output.collected(timeout: .seconds(10)),
            error: try await error.collected(timeout: .seconds(10)))
    }
}

/// Writes all of `bytes` to `descriptor`, waiting for the reader; false when the reader has gone (SIGPIPE is
/// ignored in the tests, so the write fails instead).
@discardableResult
package func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var sent = 0
    return DescriptorWriting.write(bytes, from: &sent) { write(descriptor, $0, $1) } == nil
}

/// Reads a descriptor to its end on a thread of its own, keeping what it reads and handing each chunk to
/// `onChunk`, if given, as it arrives.
package final class OutputCollector: Sendable {
    private let state = Locked<(bytes: [UInt8], ended: Bool)>(([], false))

    package init(_ descriptor: Int32, onChunk: (@Sendable (ArraySlice<UInt8>) -> Void)? = nil) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                state.withLock { $0.bytes += buffer[0..<count] }
                onChunk?(buffer[0..<count])
            }
            close(descriptor)
            state.withLock { $0.ended = true }
        }
        thread.start()
    }

    /// Everything read so far.
    package var bytes: [UInt8] { state.withLock { $0.bytes } }

    /// Whether the end was reached.
    package var ended: Bool { state.withLock { $0.ended } }

    /// Waits (bounded) for the end, and returns everything read.
    package func collected(timeout: Duration) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while !ended {
            guard ContinuousClock.now < deadline else { throw TestSupportError("output did not end within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return bytes
    }
}

/// Children the tests started, terminated when the test process exits so none outlives the run.
enum ChildProcesses {
    private static let identifiers = Locked<Set<Int32>>([])
    private static let installed = Locked(false)

    static func register(_ identifier: Int32) {
        identifiers.withLock { _ = $0.insert(identifier) }
        installed.withLock { done in
            guard !done else { return }
            done = true
            atexit { ChildProcesses.terminateAll() }
        }
    }

    static func unregister(_ identifier: Int32) {
        identifiers.withLock { _ = $0.remove(identifier) }
    }

    static func terminateAll() {
        for identifier in identifiers.withLock({ $0 }) { kill(identifier, SIGTERM) }
    }
}

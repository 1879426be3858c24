import Foundation
import JSON
import Locking

#if canImport(Glibc)
import Glibc
#endif

/// The built `chaostoolkit-prometheus` executable, running, with its standard streams in the test's hands.
///
/// Standard output and standard error are read on threads of their own while the plugin runs (waiting for the
/// exit first would deadlock once a pipe buffer fills). Every line the plugin writes on standard output is
/// checked to be one JSON-RPC response or batch of responses, and neither stream may hold ``Canary/secret``:
/// ``finish(timeout:)`` fails otherwise, so every end-to-end test proves that nothing but protocol lines
/// reaches standard output and that no secret handed to the plugin comes back out.
package final class PluginProcess: Sendable {
    private let process: Subprocess
    private let output = Locked(Output())
    /// Whether standard input is closed; a lock of its own, so a write blocked on a full pipe never stops the
    /// readers from draining the plugin's output.
    private let inputClosed = Locked(false)

    private let standardOutputReader: OutputCollector
    private let standardErrorReader: OutputCollector

    /// Standard output, cut into lines as it arrives.
    private struct Output {
        var lines: [String] = []
        var partial: [UInt8] = []
    }

    /// The executable: `$CHAOSTOOLKIT_PROMETHEUS_BINARY`, or the one built beside this test bundle.
    package static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["CHAOSTOOLKIT_PROMETHEUS_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test binary sits in `<build>/debug/` or, as a bundle, one or more levels below it.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("chaostoolkit-prometheus")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("chaostoolkit-prometheus")
    }

    /// Starts the plugin with `arguments`, adding `environment` to the test's own; its standard input can be
    /// handed over in non-blocking mode, as some hosts do. With `lowPriority` it runs at the lowest CPU priority
    /// (`nice -n 19`, which keeps the process id): for a test whose plugin works for many seconds, so that the
    /// tests running beside it keep the machine's two cores.
    package init(
        arguments: [String] = [], environment: [String: String] = [:], nonBlockingStandardInput: Bool = false,
        lowPriority: Bool = false
    ) throws {
        let command = (lowPriority ? ["/usr/bin/nice", "-n", "19"] : []) + [Self.executable.path] + arguments
        process = try Subprocess(
            command[0], arguments: Array(command.dropFirst()),
            environment: Subprocess.currentEnvironment.merging(environment) { $1 },
            input: .pipe, output: .pipe, error: .pipe, nonBlockingInput: nonBlockingStandardInput)
        standardOutputReader = OutputCollector(process.standardOutput!) { [output] chunk in
            output.withLock { output in
                output.partial.append(contentsOf: chunk)
                while let newline = output.partial.firstIndex(of: UInt8(ascii: "\n")) {
                    output.lines.append(String(decoding: output.partial[..<newline], as: UTF8.self))
                    output.partial.removeSubrange(...newline)
                }
            }
        }
        standardErrorReader = OutputCollector(process.standardError!)
    }

    /// The plugin's process id.
    package var pid: Int32 { process.pid }

    /// Sends `signal` (SIGTERM, SIGINT) to the plugin.
    package func signal(_ number: Int32) {
        kill(process.pid, number)
    }

    /// Waits (bounded) for the plugin to exit without closing its input, checking every output line as
    /// ``finish(timeout:)`` does.
    package func waitForExit(timeout: Duration = .seconds(30)) async throws -> Finished {
        try await collect(closingInput: false, timeout: timeout)
    }

    /// Writes `line` and a newline to the plugin's standard input.
    package func send(_ line: String) {
        sendRaw(Array(line.utf8) + [UInt8(ascii: "\n")])
    }

    /// Writes `bytes` to the plugin's standard input as they are (nothing once the input is closed).
    package func sendRaw(_ bytes: [UInt8]) {
        inputClosed.withLock { closed in
            guard !closed else { return }
            writeAll(bytes, to: process.standardInput!)
        }
    }

    /// Closes the plugin's standard input: end of input.
    package func closeInput() {
        inputClosed.withLock { closed in
            guard !closed else { return }
            closed = true
            close(process.standardInput!)
        }
    }

    /// The standard-output lines so far.
    package var lines: [String] { output.withLock { $0.lines } }

    /// Everything written on standard error so far.
    package var standardError: String { String(decoding: standardErrorReader.bytes, as: UTF8.self) }

    /// Waits (bounded) until standard output holds `count` lines, and returns them all.
    package func waitForLines(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = self.lines
            let closed = standardOutputReader.ended
            if lines.count >= count { return lines }
            if closed { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestSupportError(
            "expected \(count) lines from the plugin, got \(lines.count) within \(timeout): \(lines)\nstderr: \(standardError)"
        )
    }

    /// The response whose id is `id`, waiting for it (bounded).
    package func response(id: JSONValue, timeout: Duration = .seconds(20)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = lines.lazy.compactMap({ try? JSONValue(parsing: $0) }).first(where: { $0["id"] == id }) {
                return found
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestSupportError("no response with id \(id) within \(timeout); lines: \(lines)\nstderr: \(standardError)")
    }

    /// The outcome of a run: what it wrote and how it exited.
    package struct Finished: Sendable {
        package let lines: [String]
        package let standardError: String
        package let status: Int32

        /// Each standard-output line, parsed.
        package var messages: [JSONValue] { lines.map { try! JSONValue(parsing: $0) } }
    }

    /// Closes standard input and waits (bounded) for the plugin to exit, checking every output line.
    ///
    /// - Throws: when the plugin does not exit in time, or wrote anything on standard output that is not a
    ///   JSON-RPC response line.
    package func finish(timeout: Duration = .seconds(30)) async throws -> Finished {
        try await collect(closingInput: true, timeout: timeout)
    }

    /// `status`, unless it is only the leak checker's own failure: LeakSanitizer's at-exit scan of a busy
    /// multi-threaded process sometimes fails itself ("Tracer caught signal 11", "LeakSanitizer has encountered a
    /// fatal error", google/sanitizers#723), and exits 1 with no report about the program. That is read as 0;
    /// any report (`ERROR: AddressSanitizer`, `ERROR: LeakSanitizer: detected memory leaks`) keeps its status.
    package static func statusLeakCheckerAside(_ status: Int32, standardError: String) -> Int32 {
        guard Sanitizer.current == .address, status == 1,
            standardError.contains("LeakSanitizer has encountered a fatal error"),
            !standardError.contains("ERROR: AddressSanitizer"), !standardError.contains("ERROR: LeakSanitizer")
        else { return status }
        return 0
    }

    private func collect(closingInput: Bool, timeout: Duration) async throws -> Finished {
        if closingInput { closeInput() }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning || !standardOutputReader.ended || !standardErrorReader.ended {
            guard ContinuousClock.now < deadline else {
                process.stop()
                throw TestSupportError(
                    "the plugin did not exit within \(timeout) of end of input; stderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let (lines, partial) = output.withLock { ($0.lines, $0.partial) }
        guard partial.isEmpty else {
            throw TestSupportError(
                "standard output ends with an unterminated line: \(String(decoding: partial, as: UTF8.self))")
        }
        for line in lines {
            if let problem = ProtocolLine.problem(with: line) {
                throw TestSupportError(
                    "standard output carried a line that is not a JSON-RPC response (\(problem)): \(line)")
            }
        }
        let finished = Finished(
            lines: lines, standardError: standardError,
            status: Self.statusLeakCheckerAside(process.exitStatus ?? -1, standardError: standardError))
        let leaks = Canary.leaks(in: finished)
        guard leaks.isEmpty else { throw TestSupportError("the plugin wrote out the canary secret: \(leaks)") }
        return finished
    }

    /// Sends `requests`, one a line, closes the input, and returns the run once the plugin has exited.
    package static func run(
        _ requests: [String], arguments: [String] = [], environment: [String: String] = [:]
    ) async throws -> Finished {
        let plugin = try PluginProcess(arguments: arguments, environment: environment)
        for request in requests { plugin.send(request) }
        return try await plugin.finish()
    }
}

/// What a line on the plugin's standard output must be: one JSON-RPC 2.0 response, or a non-empty array of them.
package enum ProtocolLine {
    /// Why `line` is not a valid response line, or `nil` when it is.
    package static func problem(with line: String) -> String? {
        guard let value = try? JSONValue(parsing: line) else { return "not JSON" }
        if case .array(let responses) = value {
            if responses.isEmpty { return "an empty batch response" }
            return responses.lazy.compactMap(problem(withResponse:)).first
        }
        return problem(withResponse: value)
    }

    private static func problem(withResponse value: JSONValue) -> String? {
        guard let object = value.objectValue else { return "not an object" }
        guard object["jsonrpc"] == "2.0" else { return "no \"jsonrpc\": \"2.0\"" }
        switch object["id"] {
        case .string?, .number?, .null?: break
        default: return "no valid id"
        }
        switch (object["result"], object["error"]) {
        case (_?, nil): break
        case (nil, let error?):
            guard error["code"]?.numberValue?.intValue != nil, error["message"]?.stringValue != nil else {
                return "an error without an integer code and a message"
            }
        default: return "not exactly one of result and error"
        }
        guard Set(object.keys).isSubset(of: ["jsonrpc", "id", "result", "error"]) else { return "unexpected members" }
        return nil
    }
}

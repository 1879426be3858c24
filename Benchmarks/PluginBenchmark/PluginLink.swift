import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The built plugin, running, driven over its standard streams the way a host would: request lines written with
/// `write(2)`, answer lines read with `read(2)` on the measuring thread itself, with no reader thread or polling
/// interval between the plugin and the clock. Standard error is collected on a thread of its own, for messages.
final class PluginLink {
    let process: Subprocess
    private var reader: LineReader
    /// The reader of standard error, once it is read (see ``init(executable:arguments:environment:readingStandardError:)``).
    private var errorOutput: OutputCollector?
    private var inputOpen = true

    /// The plugin's process id.
    var pid: Int32 { process.pid }

    /// Starts `executable` with `arguments`, in this process's environment plus `environment`; its standard error
    /// is read from the start unless `readingStandardError` is false (then from ``readStandardError()`` on).
    init(
        executable: String, arguments: [String], environment: [String: String] = [:], readingStandardError: Bool = true
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError(
                "\(executable) is missing: build it with `swift build -c release` (scripts/benchmark does)")
        }
        process = try Subprocess(
            executable, arguments: arguments,
            environment: environment.isEmpty ? nil : Subprocess.currentEnvironment.merging(environment) { $1 },
            input: .pipe, output: .pipe, error: .pipe, defaultSignals: true)
        reader = LineReader(descriptor: process.standardOutput!)
        if readingStandardError { readStandardError() }
    }

    /// Starts reading the plugin's standard error (nothing, if it is read already).
    func readStandardError() {
        if errorOutput == nil { errorOutput = OutputCollector(process.standardError!) }
    }

    deinit {
        finish()
    }

    /// Writes `bytes` (whole lines) to the plugin's standard input.
    func write(_ bytes: [UInt8]) throws {
        try Self.write(bytes, to: process.standardInput!)
    }

    /// Writes all of `bytes` to `descriptor`, for a writer thread of its own.
    static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
        guard writeAll(bytes, to: descriptor) else {
            throw BenchmarkError("cannot write to the plugin: errno \(errno)")
        }
    }

    /// The next answer line; waits `timeout` seconds at most.
    func readLine(timeout: Double) throws -> [UInt8] {
        try readLine(until: Monotonic.deadline(after: timeout))
    }

    /// The next answer line; waits until `deadline` (a ``Monotonic`` time) at most.
    func readLine(until deadline: UInt64) throws -> [UInt8] {
        do {
            return try reader.readLine(until: deadline)
        } catch {
            throw BenchmarkError("\(error); plugin stderr: \(standardError.suffix(600))")
        }
    }

    /// Writes one request line and reads one answer line.
    func call(_ line: [UInt8], timeout: Double = 30) throws -> [UInt8] {
        try write(line)
        return try readLine(timeout: timeout)
    }

    /// All the plugin wrote on standard error, once it has exited and the pipe is read to its end (2 s at most).
    func standardErrorToTheEnd() -> String {
        let deadline = Monotonic.deadline(after: 2)
        while errorOutput?.ended == false && Monotonic.now() < deadline { usleep(1000) }
        return standardError
    }

    /// What the plugin wrote on standard error so far.
    var standardError: String { String(decoding: errorOutput?.bytes ?? [], as: UTF8.self) }

    /// Closes the plugin's input (end of input: it answers what is in flight and exits) and waits `grace`
    /// seconds at most for it to exit, then stops it.
    func finish(grace: Double = 5) {
        guard inputOpen else { return }
        inputOpen = false
        close(process.standardInput!)
        let deadline = Monotonic.deadline(after: grace)
        while process.isRunning && Monotonic.now() < deadline { usleep(1000) }
        if process.isRunning { process.stop() }
        close(process.standardOutput!)
    }
}

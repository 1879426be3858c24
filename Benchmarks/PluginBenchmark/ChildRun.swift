import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A command run to its end, bounded, with its wall time and both its outputs.
struct ChildRun: Sendable {
    let status: Int32
    let output: String
    let error: String
    /// From just before the spawn to the moment its exit was seen (polled every 0.2 ms).
    let seconds: Double

    /// Runs `path` with `arguments` in `environment` (the driver's own when `nil`), killing it after `timeout`
    /// seconds.
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Double
    ) throws -> ChildRun {
        let started = Monotonic.now()
        let child = try Subprocess(
            path, arguments: arguments, environment: environment, output: .pipe, error: .pipe, defaultSignals: true)
        let output = OutputCollector(child.standardOutput!)
        let error = OutputCollector(child.standardError!)
        let deadline = Monotonic.deadline(after: timeout)
        var status = child.exitStatus
        while status == nil {
            guard Monotonic.now() < deadline else {
                child.stop()
                throw BenchmarkError("\(path) did not finish within \(timeout) s")
            }
            usleep(200)
            status = child.exitStatus
        }
        let seconds = Double(Monotonic.since(started)) / 1e9
        // The outputs end with the process (nothing else holds the pipes); bounded all the same.
        let outputsDeadline = Monotonic.deadline(after: 5)
        while !(output.ended && error.ended) && Monotonic.now() < outputsDeadline { usleep(1000) }
        return ChildRun(
            status: status!, output: String(decoding: output.bytes, as: UTF8.self),
            error: String(decoding: error.bytes, as: UTF8.self), seconds: seconds)
    }

    /// The first line of `path arguments`' standard output (or of its error output, where some tools print their
    /// version), or `nil` when it cannot be run.
    static func firstLine(_ path: String, _ arguments: [String]) -> String? {
        guard let run = try? run(path, arguments, timeout: 30) else { return nil }
        let text = run.output.isEmpty ? run.error : run.output
        return text.split(separator: "\n").first.map(String.init)
    }

    /// The full path of `name` in `$PATH`, as a shell would find it.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

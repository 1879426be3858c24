import Foundation

/// A command-line tool run to its end, for the fixtures: its exit status and both its outputs.
enum Command {
    struct Outcome: Sendable {
        let status: Int32
        let output: String
        let error: String
    }

    /// Runs `path` with `arguments`, waiting `timeout` at most (then it is killed and this throws).
    static func run(_ path: String, _ arguments: [String], timeout: Duration = .seconds(30)) async throws -> Outcome {
        let child = try Subprocess(path, arguments: arguments, output: .pipe, error: .pipe)
        let output = OutputCollector(child.standardOutput!)
        let error = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: timeout)
        return Outcome(
            status: status,
            output: String(decoding: try await output.collected(timeout: timeout), as: UTF8.self),
            error: String(decoding: try await error.collected(timeout: timeout), as: UTF8.self))
    }

    /// Runs `path` with `arguments` and throws, with its standard error, unless it exits with status 0.
    @discardableResult
    static func succeed(_ path: String, _ arguments: [String], timeout: Duration = .seconds(30)) async throws -> String
    {
        let outcome = try await run(path, arguments, timeout: timeout)
        guard outcome.status == 0 else {
            throw TestSupportError(
                "\(path) \(arguments.joined(separator: " ")) failed (status \(outcome.status)): \(outcome.error)")
        }
        return outcome.output
    }
}

/// The `curl` command line: the tests' reference HTTP client, independent of the plugin's own, used to tell when
/// a server is ready and to load data into one.
package enum Curl {
    /// Debian's `curl`.
    package static let binary = "/usr/bin/curl"

    /// What one `curl` run got.
    package struct Answer: Sendable {
        /// curl's exit status: 0 when an HTTP answer arrived (whatever its status), else curl's error code
        /// (35 a failed TLS handshake, 60 an unverifiable certificate, 7 a refused connection, ...).
        package let exitStatus: Int32
        /// The HTTP status, when an answer arrived.
        package let status: Int?
        /// The answer's body.
        package let body: String
        /// curl's own error message, when it failed.
        package let error: String
    }

    /// Runs `curl -sS --max-time <seconds> <arguments>` (the URL among `arguments`) and returns what it got.
    package static func fetch(_ arguments: [String], maxTime: Int = 5) async throws -> Answer {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: install Debian's 'curl' package (scripts/test does)")
        }
        let marker = "\n--http-status--"
        let outcome = try await Command.run(
            binary, ["-sS", "--max-time", String(maxTime), "-w", marker + "%{http_code}"] + arguments,
            timeout: .seconds(maxTime + 10))
        var body = outcome.output
        var status: Int?
        if let range = body.range(of: marker, options: .backwards) {
            status = Int(body[range.upperBound...]).flatMap { $0 == 0 ? nil : $0 }
            body = String(body[..<range.lowerBound])
        }
        return Answer(exitStatus: outcome.status, status: status, body: body, error: outcome.error)
    }
}

import Foundation

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
        let outcome = try await Subprocess.run(
            binary, arguments: ["-sS", "--max-time", String(maxTime), "-w", marker + "%{http_code}"] + arguments,
            timeout: .seconds(maxTime + 10))
        var body = outcome.outputText
        var status: Int?
        if let range = body.range(of: marker, options: .backwards) {
            status = Int(body[range.upperBound...]).flatMap { $0 == 0 ? nil : $0 }
            body = String(body[..<range.lowerBound])
        }
        return Answer(exitStatus: outcome.status, status: status, body: body, error: outcome.errorText)
    }
}

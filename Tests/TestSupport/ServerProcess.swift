import Foundation
import HTTPClient

/// A real server from Debian's packages, started on a free loopback port and stopped with the test process.
package final class ServerProcess: Sendable {
    package let port: UInt16
    private let process: Subprocess
    private let binary: String

    /// `http://127.0.0.1:<port>`
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Subprocess, port: UInt16, binary: String) {
        self.process = process
        self.port = port
        self.binary = binary
    }

    /// Starts `binary` with the arguments `arguments(port)` gives, and waits (30 s at most) until
    /// `GET <readyPath>` answers 200. Tries three ports, since one can be taken between choosing and binding.
    package static func start(
        _ binary: String, package: String, readyPath: String, arguments: @Sendable (UInt16) throws -> [String]
    ) async throws -> ServerProcess {
        let client = HTTPClient()
        return try await start(binary, package: package, arguments: arguments) { port in
            let answer = try? await client.send(
                HTTPRequest(url: "http://127.0.0.1:\(port)" + readyPath, timeout: .seconds(2)))
            return answer?.status == 200
        }
    }

    /// Starts `binary` with the arguments `arguments(port)` gives, and waits (30 s at most) until `isReady(port)`
    /// holds, asked every 100 ms (for servers behind TLS or a password, which a plain GET cannot tell ready).
    /// Tries three ports, since one can be taken between choosing and binding.
    package static func start(
        _ binary: String, package: String, arguments: @Sendable (UInt16) throws -> [String],
        isReady: @Sendable (UInt16) async -> Bool
    ) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: install Debian's '\(package)' package (scripts/test does)")
        }
        var lastError: Error = TestSupportError("\(binary) did not start")
        for _ in 0..<3 {
            let port = try Loopback.freePort()
            let process = try Subprocess(binary, arguments: try arguments(port), defaultSignals: true)
            let server = ServerProcess(process: process, port: port, binary: binary)
            do {
                try await server.waitUntilReady(isReady)
                return server
            } catch {
                server.stop()
                lastError = error
            }
        }
        throw lastError
    }

    private func waitUntilReady(_ isReady: @Sendable (UInt16) async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TestSupportError("\(binary) exited at start (port \(port) taken?)") }
            if await isReady(port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("\(binary) on port \(port) was not ready within 30 s")
    }

    /// Stops the server and waits (bounded) for it to exit.
    package func stop() {
        process.stop()
    }

    /// Debian's `prometheus-pushgateway`, keeping metrics in memory only: Debian's build persists them to a
    /// shared file by default, which would carry one test's pushes into the next gateway.
    package static func pushgateway() async throws -> ServerProcess {
        try await start("/usr/bin/prometheus-pushgateway", package: "prometheus-pushgateway", readyPath: "/-/ready") {
            ["--web.listen-address=127.0.0.1:\($0)", "--persistence.file="]
        }
    }

    /// Debian's `prometheus-node-exporter`, with only the CPU collector (all the tests need).
    package static func nodeExporter() async throws -> ServerProcess {
        try await start("/usr/bin/prometheus-node-exporter", package: "prometheus-node-exporter", readyPath: "/metrics")
        {
            ["--web.listen-address=127.0.0.1:\($0)", "--collector.disable-defaults", "--collector.cpu"]
        }
    }
}

import Foundation
import JSON

/// VictoriaMetrics (Debian's `victoria-metrics`), a Prometheus-compatible backend, on a free loopback port,
/// holding ``knownSeries``: ten minutes of samples, every 15 s, loaded through its Prometheus import API before
/// any test asks it anything.
///
/// The samples end at ``lastSampleTime``, the moment the server was loaded; an instant query should be asked at
/// that time (VictoriaMetrics, like Prometheus, looks back only minutes from the evaluation time). Readiness and
/// loading go through the `curl` command line. Stopped when the test process exits; every wait is bounded.
package final class VictoriaMetricsServer: Sendable {
    /// Debian's VictoriaMetrics.
    package static let binary = "/usr/bin/victoria-metrics"
    /// The metric of ``knownSeries``.
    package static let metric = "vm_test"
    /// The series loaded: the value of label `series`, and the constant value of every sample of it. The
    /// arithmetic mean of all their samples is 3.5, the geometric mean 2, the harmonic mean 8 / 7.
    package static let knownSeries: [(series: String, value: Double)] = [("a", 2), ("b", 8), ("c", 0.5)]
    /// The time between two samples of a series.
    package static let sampleInterval = 15
    /// How many samples each series has: ten minutes' worth, both ends included.
    package static let samplesPerSeries = 41

    /// `http://127.0.0.1:<port>`
    package var baseURL: String { server.baseURL }
    /// The port it listens on, on 127.0.0.1.
    package var port: UInt16 { server.port }
    /// The time of the last sample of each series, in whole Unix seconds.
    package let lastSampleTime: Int
    /// The time of the first sample of each series, ten minutes before the last.
    package var firstSampleTime: Int { lastSampleTime - (Self.samplesPerSeries - 1) * Self.sampleInterval }
    private let server: ServerProcess
    private let directory: String

    private init(server: ServerProcess, directory: String, lastSampleTime: Int) {
        self.server = server
        self.directory = directory
        self.lastSampleTime = lastSampleTime
    }

    /// The server of this test process, started and loaded on first use.
    package static func shared() async throws -> VictoriaMetricsServer {
        try await sharedServer.get()
    }

    private static let sharedServer = SharedFixture { try await start() }

    /// Starts a new server, waits (30 s at most) until `/health` answers 200, loads ``knownSeries`` and waits
    /// (30 s at most) until a query sees all of them.
    package static func start() async throws -> VictoriaMetricsServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chaostoolkit-prometheus-victoria-metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            let server = try await ServerProcess.start(binary, package: "victoria-metrics") { port in
                [
                    "-httpListenAddr=127.0.0.1:\(port)", "-storageDataPath=\(directory)/data-\(port)",
                    "-retentionPeriod=1",
                    // Samples are visible as soon as they are stored, and no answer is served from a cache made
                    // before they were loaded.
                    "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=ERROR",
                ]
            } isReady: { port in
                (try? await Curl.fetch(["http://127.0.0.1:\(port)/health"], maxTime: 2))?.status == 200
            }
            let victoriaMetrics = VictoriaMetricsServer(
                server: server, directory: directory, lastSampleTime: Int(Date().timeIntervalSince1970))
            do {
                try await victoriaMetrics.load()
            } catch {
                server.stop()
                throw error
            }
            return victoriaMetrics
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Imports ``knownSeries`` in the Prometheus text format (millisecond timestamps), flushes them to storage,
    /// and waits until an instant query at ``lastSampleTime`` returns the three series.
    private func load() async throws {
        let lines = Self.knownSeries.flatMap { known in
            (0..<Self.samplesPerSeries).map { index in
                let milliseconds = (firstSampleTime + index * Self.sampleInterval) * 1000
                return "\(Self.metric){series=\"\(known.series)\"} \(known.value) \(milliseconds)\n"
            }
        }
        let file = directory + "/import.txt"
        try lines.joined().write(toFile: file, atomically: false, encoding: .utf8)
        let imported = try await Curl.fetch(
            ["--data-binary", "@" + file, baseURL + "/api/v1/import/prometheus"], maxTime: 10)
        guard imported.status == 204 else {
            throw TestSupportError(
                "VictoriaMetrics refused the test series: \(imported.status.map(String.init) ?? imported.error) \(imported.body)"
            )
        }
        _ = try await Curl.fetch([baseURL + "/internal/force_flush"], maxTime: 10)
        let deadline = ContinuousClock.now + .seconds(30)
        let query = [
            "--get", "--data-urlencode", "query=count(\(Self.metric))", "--data-urlencode", "time=\(lastSampleTime)",
        ]
        while ContinuousClock.now < deadline {
            let answer = try await Curl.fetch(query + [baseURL + "/api/v1/query"], maxTime: 2)
            if let document = try? JSONValue(parsing: Array(answer.body.utf8)),
                document["data"]?["result"]?.arrayValue?.first?["value"]?.arrayValue?.last
                    == .string(String(Self.knownSeries.count))
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSupportError("VictoriaMetrics did not show the \(Self.knownSeries.count) test series within 30 s")
    }

    /// Stops the server and deletes its data.
    package func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

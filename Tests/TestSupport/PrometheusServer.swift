import Foundation
import HTTPClient
import JSON

#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus (Debian's `prometheus`), started on a free loopback port, scraping itself every second.
///
/// Tests share one through ``shared()``; it is stopped when the test process exits. Every wait is bounded.
package final class PrometheusServer: Sendable {
    /// `http://127.0.0.1:<port>`, plus the route prefix when there is one.
    package let baseURL: String
    private let server: ServerProcess
    private let directory: URL

    package var port: UInt16 { server.port }

    /// The Prometheus binary: `$PROMETHEUS_BINARY`, or `prometheus` from Debian's package.
    package static var binary: String {
        ProcessInfo.processInfo.environment["PROMETHEUS_BINARY"] ?? "/usr/bin/prometheus"
    }

    private init(server: ServerProcess, baseURL: String, directory: URL) {
        self.server = server
        self.baseURL = baseURL
        self.directory = directory
    }

    /// A server Prometheus scrapes besides itself.
    package struct ScrapeTarget: Sendable {
        package var job: String
        package var address: String
        /// Keep the labels of the scraped samples, as a Pushgateway needs.
        package var honorLabels: Bool

        package init(job: String, address: String, honorLabels: Bool = false) {
            self.job = job
            self.address = address
            self.honorLabels = honorLabels
        }
    }

    /// Starts a Prometheus and waits until it is ready and has scraped itself once.
    ///
    /// - Parameters:
    ///   - routePrefix: serve under a path (`/prometheus`), as behind a reverse proxy.
    ///   - targets: other servers to scrape every second.
    ///   - rules: the text of a rule file (`groups: ...`), evaluated every second.
    package static func start(
        routePrefix: String? = nil, targets: [ScrapeTarget] = [], rules: String? = nil
    ) async throws -> PrometheusServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chaostoolkit-prometheus-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let prefix = routePrefix ?? ""
        let server = try await ServerProcess.start(binary, package: "prometheus", readyPath: "\(prefix)/-/ready") {
            port in
            var ruleFiles = ""
            if let rules {
                let ruleFile = directory.appendingPathComponent("rules-\(port).yml")
                try rules.write(to: ruleFile, atomically: false, encoding: .utf8)
                ruleFiles = "rule_files: ['\(ruleFile.path)']\n"
            }
            let configuration =
                ruleFiles + """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: prometheus
                        metrics_path: \(prefix)/metrics
                        static_configs:
                          - targets: ['127.0.0.1:\(port)']
                    """
                + targets.map { target in
                    """

                      - job_name: \(target.job)
                        honor_labels: \(target.honorLabels)
                        static_configs:
                          - targets: ['\(target.address)']
                    """
                }.joined()
            let configurationFile = directory.appendingPathComponent("prometheus-\(port).yml")
            try configuration.write(to: configurationFile, atomically: false, encoding: .utf8)
            var arguments = [
                "--config.file=\(configurationFile.path)", "--web.listen-address=127.0.0.1:\(port)",
                "--storage.tsdb.path=\(directory.appendingPathComponent("data-\(port)").path)", "--log.level=warn",
            ]
            if let routePrefix {
                arguments += [
                    "--web.external-url=http://127.0.0.1:\(port)\(routePrefix)", "--web.route-prefix=\(routePrefix)",
                ]
            }
            return arguments
        }
        let prometheus = PrometheusServer(server: server, baseURL: server.baseURL + prefix, directory: directory)
        do {
            try await prometheus.waitForResult("up")
        } catch {
            prometheus.stop()
            throw error
        }
        return prometheus
    }

    /// Stops the server and deletes its data.
    package func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The Prometheus shared by every test of this process, started on first use (see ``SharedServers``).
    package static func shared() async throws -> PrometheusServer {
        try await SharedServers.shared.get().prometheus
    }
}

/// The servers most tests share: a Pushgateway holding ``seriesOfKnownValues``, a node exporter, and a
/// Prometheus scraping them and itself every second. Started once per test process, on first use.
package enum SharedServers {
    /// The servers, started by the first test that asks.
    package static let shared = SharedFixture { try await start() }

    package struct Servers: Sendable {
        package let prometheus: PrometheusServer
        package let pushgateway: ServerProcess
    }

    /// Series pushed to the gateway before Prometheus starts: metric, `series` label, sample value.
    package static let seriesOfKnownValues: [(metric: String, series: String, value: String)] = [
        ("mean_test", "a", "2"), ("mean_test", "b", "8"), ("mean_test", "c", "0.5"),
        ("nan_test", "a", "NaN"), ("nan_test", "b", "4"),
        ("zero_test", "a", "0"), ("zero_test", "b", "5"),
        ("inf_test", "a", "+Inf"), ("inf_test", "b", "1"),
    ]

    /// Alerts the shared Prometheus always has: one firing (critical), one pending for an hour (warning).
    package static let alertingRules = """
        groups:
          - name: chaostoolkit-tests
            rules:
              - alert: ChaosTestAlwaysFiring
                expr: vector(1)
                labels: {severity: critical, service: api}
                annotations: {summary: always firing}
              - alert: ChaosTestLongPending
                expr: vector(1)
                for: 1h
                labels: {severity: warning, service: web}
        """

    private static func start() async throws -> Servers {
        let pushgateway = try await ServerProcess.pushgateway()
        let nodeExporter = try await ServerProcess.nodeExporter()
        let body = seriesOfKnownValues.map { "\($0.metric){series=\"\($0.series)\"} \($0.value)\n" }.joined()
        let pushed = try await HTTPClient().send(
            HTTPRequest(
                url: pushgateway.baseURL + "/metrics/job/known_values",
                method: .put(body: Array(body.utf8), contentType: "text/plain"),
                retry: .init(maximumAttempts: 3)))
        guard pushed.isSuccess else {
            throw TestSupportError("the Pushgateway refused the test series: \(pushed.status)")
        }
        let prometheus = try await PrometheusServer.start(
            targets: [
                .init(job: "pushgateway", address: "127.0.0.1:\(pushgateway.port)", honorLabels: true),
                .init(job: "node", address: "127.0.0.1:\(nodeExporter.port)"),
            ],
            rules: alertingRules)
        // Five scrapes of the known series, and CPU rates: what the tests' windows need.
        try await prometheus.waitForResult(
            #"count(count_over_time(mean_test[1m]) >= 5) == 3 and count(rate(node_cpu_seconds_total{mode="idle"}[1m])) > 0 and count(ALERTS{alertstate="firing"}) > 0"#
        )
        return Servers(prometheus: prometheus, pushgateway: pushgateway)
    }
}

extension PrometheusServer {
    /// Waits (30 s at most) until `query` has a non-empty result.
    package func waitForResult(_ query: String) async throws {
        let client = HTTPClient()
        let deadline = ContinuousClock.now + .seconds(30)
        let url = baseURL + "/api/v1/query?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        while ContinuousClock.now < deadline {
            if let answer = try? await client.send(HTTPRequest(url: url)),
                let document = try? JSONValue(parsing: answer.body),
                document["data"]?["result"]?.arrayValue?.isEmpty == false
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSupportError("no result for \(query) within 30 s")
    }
}

extension SharedServers.Servers {
    /// Sets `metric` to `value` (Prometheus's text form: `"0.5"`, `"NaN"`) in the shared Pushgateway, under a
    /// job of its own, and waits (bounded) until Prometheus has scraped that value.
    package func set(_ metric: String, to value: String) async throws {
        let answer = try await HTTPClient().send(
            HTTPRequest(
                url: pushgateway.baseURL + "/metrics/job/\(metric)",
                method: .put(body: Array("\(metric) \(value)\n".utf8), contentType: "text/plain"),
                retry: .init(maximumAttempts: 3)))  // a PUT replaces: trying again after a broken connection is safe
        guard answer.isSuccess else { throw TestSupportError("the Pushgateway refused \(metric): \(answer.status)") }
        try await prometheus.waitForResult(value == "NaN" ? "\(metric) != \(metric)" : "\(metric) == \(value)")
    }
}

import ChaosToolkit

/// The Prometheus extension: its name, version and probes.
package enum PrometheusExtension {
    /// The name Chaos Toolkit discovery shows.
    package static let name = "chaostoolkit-prometheus"
    /// This plugin's version: the release after the Python original's 0.6.0, which it replaces (the Chaos Toolkit
    /// host adapter, `Hosts/chaostoolkit`, is installed under the original's name with the same version).
    package static let version = "0.7.0"
    /// The Python module of the probes, so `chaosprometheus.probes.query` names `query`.
    package static let probesModule = "chaosprometheus.probes"

    /// How every probe reaches its server, as the discovery document tells it (`protocol.md` has the details).
    static let connectionDoc = """
        Configuration: `prometheus_base_url` (default http://localhost:9090), `prometheus_http_timeout` \
        (seconds, default 30), `prometheus_http_attempts` (default 3), `prometheus_verify_tls`, \
        `prometheus_ca_cert` and `prometheus_client_cert` (path or PEM), `prometheus_username`, \
        `prometheus_headers` (a mapping, such as {"X-Scope-OrgID": "tenant-a"}). Secrets: \
        `prometheus_bearer_token`, or `prometheus_username` and `prometheus_password`; `prometheus_headers`; \
        `prometheus_client_key` (path or PEM); any value may be {"type": "env", "key": "VARIABLE"}.
        """

    /// Every probe, wired to `environment`.
    package static func probes(_ environment: ProbeEnvironment) -> [Activity] {
        [
            .query(environment), .queryInterval(environment), .computeMean(environment),
            .nodesCPUUsageMean(environment),
            .queryValue(environment), .queryValues(environment), .checkThreshold(environment),
            .waitForThreshold(environment), .changeRatio(environment), .alerts(environment), .targets(environment),
        ]
    }

    /// The read-only look-ups of metric names, labels, series, metadata and rules, wired to `environment`: not
    /// Chaos Toolkit activities (an experiment judges a system; these help write its queries), but tools of the
    /// Model Context Protocol.
    package static func explorationProbes(_ environment: ProbeEnvironment) -> [Activity] {
        [
            .metricNames(environment), .labelNames(environment), .labelValues(environment), .series(environment),
            .metricMetadata(environment), .rules(environment),
        ]
    }
}

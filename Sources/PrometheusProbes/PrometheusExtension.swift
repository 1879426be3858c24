import ChaosToolkit

/// The Prometheus extension: its name, version and probes.
public enum PrometheusExtension {
    /// The name Chaos Toolkit discovery shows.
    public static let name = "chaostoolkit-prometheus"
    /// This plugin's version.
    public static let version = "0.1.0"
    /// The Python module of the probes, so `chaosprometheus.probes.query` names `query`.
    public static let probesModule = "chaosprometheus.probes"

    /// Every probe, wired to `environment`.
    public static func probes(_ environment: ProbeEnvironment) -> [Activity] {
        [.query(environment), .queryInterval(environment), .computeMean(environment), .nodesCPUUsageMean(environment)]
    }
}

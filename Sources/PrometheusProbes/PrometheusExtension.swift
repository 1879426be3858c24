import ChaosToolkit

/// The Prometheus extension: its name, version and the activities it offers.
public enum PrometheusExtension {
    /// The name Chaos Toolkit discovery shows.
    public static let name = "chaostoolkit-prometheus"
    /// This plugin's version.
    public static let version = "0.1.0"
    /// The Python module of the probes, so `chaosprometheus.probes.query` names `query`.
    public static let probesModule = "chaosprometheus.probes"

    /// Every activity, wired to `environment`.
    public static func catalogue(_ environment: ProbeEnvironment) -> ActivityCatalogue {
        ActivityCatalogue(
            extensionName: name, version: version, target: "prometheus",
            activities: [
                .query(environment), .queryInterval(environment), .computeMean(environment),
                .nodesCPUUsageMean(environment),
            ])
    }
}

import ChaosToolkit
import JSON

extension Activity {
    /// `query(query, when=None, timeout=None, verify_tls=True)`: an instant query, its answer as it is.
    static func query(_ environment: ProbeEnvironment) -> Activity {
        Activity.passingTextOn(
            ActivityDescriptor(
                kind: .probe, name: "query", module: PrometheusExtension.probesModule,
                doc: """
                    Run an instant query against a Prometheus server and return its response as it is \
                    ({"status": "success", "data": {...}}). `when` is the evaluation time: "now" (the default \
                    when omitted), "5 minutes ago", "in 1h", "now-5m", "yesterday at noon", "10:00", "last monday", \
                    RFC 3339, a date, or epoch seconds. `timeout` is Prometheus's own evaluation timeout, in seconds or as a duration \
                    ("30s"). `verify_tls` false skips certificate verification.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .when, .timeout, .verifyTLS,
                ],
                returnType: "mapping")
        ) { call in
            let settings = try call.settings(in: environment)
            return try await environment.client.performAsIs(
                .instantQuery(
                    try call.arguments.requiredString(.query), at: try call.time(.when, in: environment),
                    timeout: try call.duration(.timeout), settings: settings, verifyTLS: call.verifyTLS))
        }
    }
}

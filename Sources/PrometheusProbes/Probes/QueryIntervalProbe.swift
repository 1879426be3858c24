import ChaosToolkit
import JSON

extension Activity {
    /// `query_interval(query, start, end, step=1, timeout=None, verify_tls=True)`: a range query, its answer
    /// as it is.
    static func queryInterval(_ environment: ProbeEnvironment) -> Activity {
        Activity.passingTextOn(
            ActivityDescriptor(
                kind: .probe, name: "query_interval", module: PrometheusExtension.probesModule,
                doc: """
                    Run a range query against a Prometheus server and return its response as it is \
                    ({"status": "success", "data": {"resultType": "matrix", ...}}). `start` and `end` are \
                    times such as "10 minutes ago", "now", RFC 3339 or epoch seconds; `start` must not be \
                    after `end`. `step` is the resolution, in seconds (default 1) or as a duration ("15s"). \
                    `timeout` is Prometheus's own evaluation timeout. `verify_tls` false skips certificate \
                    verification.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .start, .end,
                    .step, .timeout, .verifyTLS,
                ],
                returnType: "mapping")
        ) { call in
            let settings = try call.settings(in: environment)
            let timeout = try call.duration(.timeout)
            let now = environment.now()
            let start = try call.requiredTime(.start, in: environment, now: now)
            let end = try call.requiredTime(.end, in: environment, now: now)
            let step = try call.rangeStep(start: start, end: end)
            await ActivityProgress.report(
                "asking for the range of \(Int(end.seconds(since: start))) s in steps of \(step.text)")
            let document = try await environment.client.performAsIs(
                .rangeQuery(
                    try call.arguments.requiredString(.query), start: start, end: end, step: step, timeout: timeout,
                    settings: settings, verifyTLS: call.verifyTLS))
            await ActivityProgress.report("Prometheus answered")
            return document
        }
    }
}

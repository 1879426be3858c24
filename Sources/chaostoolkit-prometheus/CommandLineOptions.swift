import JSONRPC
import Logging
import MetricsControl
import PrometheusProbes

/// The plugin's command line and environment.
struct CommandLineOptions {
    var logLevel: LogLevel = .warning
    var defaultBaseURL = PrometheusSettings.builtInBaseURL
    var defaultPushgatewayURL = MetricsControl.builtInPushgatewayURL
    var limits = ServerLimits()
    var maximumResponseSize = 256 << 20

    /// What to do instead of serving, when a flag asks for it.
    enum Action { case serve, showHelp, showVersion }
    var action = Action.serve

    static let usage = """
        usage: chaostoolkit-prometheus [--log-level LEVEL] [--prometheus-base-url URL] [--pushgateway-url URL]
                                       [--max-line-length BYTES] [--max-batch-size N] [--max-concurrent-requests N]
                                       [--max-response-size BYTES] [--shutdown-grace SECONDS]
               chaostoolkit-prometheus --version | --help

        Serves the Chaos Toolkit Prometheus probes as JSON-RPC 2.0 over standard input and output, one message
        a line (see protocol.md). Logs go to standard error.

          --log-level LEVEL          trace, debug, info, warning (default) or error; also
                                     CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL
          --prometheus-base-url URL  the Prometheus used when a call's configuration has no
                                     prometheus_base_url (default http://localhost:9090); also
                                     CHAOSTOOLKIT_PROMETHEUS_BASE_URL
          --pushgateway-url URL      the Pushgateway of the metrics control when configure_control is given
                                     no pushgateway_url (default http://localhost:9091); also
                                     CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL
          --max-line-length BYTES    the longest request line accepted (default 16777216)
          --max-batch-size N         the most requests in one batch (default 1000)
          --max-concurrent-requests N
                                     the most calls running at once; the rest wait (default 64)
          --max-response-size BYTES  the largest answer accepted from a server (default 268435456)
          --shutdown-grace SECONDS   after SIGTERM or SIGINT, how long calls in flight may finish (default 2)
          --version                  print the version and exit
          --help                     print this help and exit

        """

    /// Reads `arguments` (without the program name) over `environment`; flags win over the environment.
    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        if let level = environment["CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL"] {
            guard let parsed = LogLevel(name: level) else {
                throw UsageError("CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL must be trace, debug, info, warning or error, not '\(level)'")
            }
            logLevel = parsed
        }
        if let url = environment["CHAOSTOOLKIT_PROMETHEUS_BASE_URL"], !url.isEmpty { defaultBaseURL = url }
        if let url = environment["CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL"], !url.isEmpty { defaultPushgatewayURL = url }

        var remaining = arguments[...]
        func value(of flag: String) throws(UsageError) -> String {
            guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        func number(of flag: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(of: flag)
            guard let number = Int(text), range.contains(number) else {
                throw UsageError("\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return number
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--log-level":
                let name = try value(of: argument)
                guard let parsed = LogLevel(name: name) else {
                    throw UsageError("--log-level must be trace, debug, info, warning or error, not '\(name)'")
                }
                logLevel = parsed
            case "--prometheus-base-url":
                defaultBaseURL = try value(of: argument)
            case "--pushgateway-url":
                defaultPushgatewayURL = try value(of: argument)
            case "--max-line-length":
                limits.maximumLineLength = try number(of: argument, in: 1024...(1 << 30))
            case "--max-batch-size":
                limits.maximumBatchSize = try number(of: argument, in: 1...1_000_000)
            case "--max-concurrent-requests":
                limits.maximumConcurrentCalls = try number(of: argument, in: 1...10_000)
            case "--max-response-size":
                maximumResponseSize = try number(of: argument, in: 1024...(1 << 40))
            case "--shutdown-grace":
                limits.shutdownGracePeriod = .seconds(try number(of: argument, in: 0...3600))
            case "--version": action = .showVersion
            case "--help", "-h": action = .showHelp
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        do {
            defaultBaseURL = try PrometheusSettings.validatedBaseURL(
                defaultBaseURL, source: "--prometheus-base-url (or CHAOSTOOLKIT_PROMETHEUS_BASE_URL)")
        } catch {
            throw UsageError(error.message)
        }
    }
}

/// A command line the plugin cannot run with.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

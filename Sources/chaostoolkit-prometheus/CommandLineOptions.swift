import Logging
import MetricsControl
import PrometheusProbes

/// The plugin's command line and environment.
struct CommandLineOptions {
    var logLevel: LogLevel = .warning
    var defaultBaseURL = PrometheusSettings.builtInBaseURL
    var defaultPushgatewayURL = MetricsControl.builtInPushgatewayURL
    var maximumLineLength = 16 << 20

    /// What to do instead of serving, when a flag asks for it.
    enum Action { case serve, showHelp, showVersion }
    var action = Action.serve

    static let usage = """
        usage: chaostoolkit-prometheus [--log-level LEVEL] [--prometheus-base-url URL] [--pushgateway-url URL]
                                       [--max-line-length BYTES]
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
          --max-line-length BYTES    the longest request line accepted (default 16777216, at most 1 GiB)
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
                let text = try value(of: argument)
                guard let length = Int(text), (1024...(1 << 30)).contains(length) else {
                    throw UsageError("--max-line-length must be a number of bytes from 1024 to 1073741824, not '\(text)'")
                }
                maximumLineLength = length
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

import HTTPClient
import JSONRPC
import MetricsControl
import PluginLog
import PrometheusProbes

/// The plugin's command line and environment.
struct CommandLineOptions {
    var logLevel: LogLevel = .warning
    var defaultBaseURL = PrometheusSettings.builtInBaseURL
    var defaultPushgatewayURL = MetricsControl.builtInPushgatewayURL
    var limits = ServerLimits()
    var maximumResponseSize = 256 << 20
    var responseMemoryLimit = ResponseMemory.defaultLimit

    /// What to do: serve JSON-RPC (the default), or one of the one-shot commands.
    enum Action {
        case serve, showHelp, showVersion, discover
        /// Check an experiment's activities of this extension without running them: `validate EXPERIMENT.json`.
        case validate(String)
        /// Run one probe and print its result: `call <probe> --arguments JSON ...`.
        case call(OneShotCall)

        var isServe: Bool {
            if case .serve = self { return true }
            return false
        }
    }
    var action = Action.serve
    /// The configuration and secrets of every Model Context Protocol tool call (JSON text, or `@file`), since a
    /// tool call carries only the probe's arguments.
    var toolConfiguration = "{}"
    var toolSecrets = "{}"
    /// The most bytes of JSON in a tool call's result; larger ones are cut (``ToolResultBound``).
    var maximumToolResultBytes = ToolResultBound.defaultMaximumBytes

    /// A probe to run once, with its arguments, configuration and secrets as JSON text (or `@file` to read).
    struct OneShotCall {
        var probe: String
        var arguments = "{}"
        var configuration = "{}"
        var secrets = "{}"
        /// `--arg NAME=VALUE` string arguments, added to (and overriding) those of `arguments`.
        var stringArguments: [(name: String, value: String)] = []
    }

    static let usage = """
        usage: chaostoolkit-prometheus [--log-level LEVEL] [--prometheus-base-url URL] [--pushgateway-url URL]
                                       [--max-line-length BYTES] [--max-batch-size N] [--max-concurrent-requests N]
                                       [--max-response-size BYTES] [--max-response-memory BYTES]
                                       [--shutdown-grace SECONDS] [--max-pending-lines N] [--max-pending-bytes BYTES]
                                       [--configuration JSON] [--secrets JSON] [--max-tool-result-bytes BYTES]
               chaostoolkit-prometheus [--log-level LEVEL] [--prometheus-base-url URL] call PROBE
                                       [--arguments JSON] [--arg NAME=TEXT]... [--configuration JSON]
                                       [--secrets JSON]
               chaostoolkit-prometheus discover
               chaostoolkit-prometheus [--prometheus-base-url URL] validate EXPERIMENT.json
               chaostoolkit-prometheus --version | --help

        Serves the Chaos Toolkit Prometheus probes as JSON-RPC 2.0 over standard input and output, one message
        a line (see protocol.md), and as Model Context Protocol tools to an editor or assistant that opens a
        session with `initialize` on the same streams. Logs go to standard error. When serving, --configuration
        and --secrets (JSON objects, or @FILE) are the configuration and secrets of every tool call, which
        carries only the probe's arguments: {"prometheus_bearer_token": {"type": "env", "key": "TOKEN"}} reads
        a token from the environment.

        `call` runs one probe (query, query_value, check_threshold, ...) and prints its result as JSON on
        standard output, exiting 0; a probe that fails prints why on standard error and exits 1; a bad command
        line or argument exits 64. Each JSON value may be given as @FILE to read it from a file, which keeps
        secrets out of the process list. --arg NAME=TEXT gives a string argument without JSON quoting, such as
        --arg 'query=rate(http_requests_total{code=~"5.."}[5m])'. `discover` prints the catalogue of activities. This is the mode for
        a Chaos Toolkit `process` provider. `validate` checks every activity of this extension in an experiment
        without running any query (names, arguments, times, steps, and the PromQL on the Prometheus it names, when
        reachable) and prints every problem as JSON, exiting 1 when there is one.

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
          --max-response-memory BYTES
                                     the most memory the answers of all calls in flight may hold at
                                     once; an answer that does not fit fails its call with
                                     memory_budget_exceeded (default 1073741824)
          --shutdown-grace SECONDS   after SIGTERM or SIGINT, how long calls in flight may finish (default 2)
          --max-pending-lines N      the most lines read and not yet answered; past it, input is read as
                                     answers leave (default 1024)
          --max-pending-bytes BYTES  the most bytes of such lines (default 67108864)
          --max-tool-result-bytes BYTES
                                     the most JSON in a Model Context Protocol tool result; a larger one
                                     is cut to its leading series, with a note (default 100000)
          --version                  print the version and exit
          --help                     print this help and exit

        """

    /// Reads `arguments` (without the program name) over `environment`; flags win over the environment.
    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        if let level = environment["CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL"] {
            guard let parsed = LogLevel(name: level) else {
                throw UsageError(
                    "CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL must be trace, debug, info, warning or error, not '\(level)'")
            }
            logLevel = parsed
        }
        if let url = environment["CHAOSTOOLKIT_PROMETHEUS_BASE_URL"], !url.isEmpty { defaultBaseURL = url }
        if let url = environment["CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL"], !url.isEmpty {
            defaultPushgatewayURL = url
        }

        var remaining = arguments[...]
        func value(of flag: String) throws(UsageError) -> String {
            guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        func number(of flag: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(of: flag)
            guard let number = Int(text), range.contains(number) else {
                throw UsageError(
                    "\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return number
        }
        func json(of flag: String) throws(UsageError) -> String {
            guard case .call = action else { throw UsageError("\(flag) belongs to 'call PROBE'") }
            return try value(of: flag)
        }

        while let argument = remaining.popFirst() {
            switch argument {
            case "call" where action.isServe:
                guard let probe = remaining.popFirst(), !probe.hasPrefix("-") else {
                    throw UsageError("call needs the name of a probe, such as 'call query_value'")
                }
                action = .call(OneShotCall(probe: probe))
            case "discover" where action.isServe:
                action = .discover
            case "validate" where action.isServe:
                guard let path = remaining.popFirst() else {
                    throw UsageError("validate needs an experiment file, such as 'validate experiment.json'")
                }
                action = .validate(path)
            case "--configuration" where action.isServe, "--secrets" where action.isServe:
                let text = try value(of: argument)
                if argument == "--configuration" { toolConfiguration = text } else { toolSecrets = text }
            case "--arguments", "--configuration", "--secrets":
                let text = try json(of: argument)
                guard case .call(var call) = action else { break }
                switch argument {
                case "--arguments": call.arguments = text
                case "--configuration": call.configuration = text
                default: call.secrets = text
                }
                action = .call(call)
            case "--arg":
                let pair = try json(of: argument)
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw UsageError("--arg takes NAME=TEXT, such as --arg query=up, not '\(pair)'")
                }
                guard case .call(var call) = action else { break }
                call.stringArguments.append((String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
                action = .call(call)
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
            case "--max-response-memory":
                responseMemoryLimit = try number(of: argument, in: (1 << 20)...(1 << 42))
            case "--max-pending-lines":
                limits.maximumPendingLines = try number(of: argument, in: 1...1_000_000)
            case "--max-pending-bytes":
                limits.maximumPendingBytes = try number(of: argument, in: (1 << 20)...(1 << 40))
            case "--max-tool-result-bytes":
                maximumToolResultBytes = try number(of: argument, in: 4096...(1 << 30))
            case "--shutdown-grace":
                limits.shutdownGracePeriod = .seconds(try number(of: argument, in: 0...3600))
            case "--version": action = .showVersion
            case "--help", "-h": action = .showHelp
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        if case .call = action, toolConfiguration != "{}" || toolSecrets != "{}" {
            throw UsageError("the --configuration and --secrets of 'call' come after 'call PROBE'")
        }
        do {
            defaultBaseURL = try PrometheusSettings.validatedBaseURL(
                defaultBaseURL, source: "--prometheus-base-url (or CHAOSTOOLKIT_PROMETHEUS_BASE_URL)")
            defaultPushgatewayURL = try MetricsControl.validatedPushgatewayURL(
                defaultPushgatewayURL, source: "--pushgateway-url (or CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL)")
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

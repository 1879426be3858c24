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
    var maximumResponseSize = HTTPRequest.defaultMaximumResponseSize
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

    static var usage: String {
        """
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

        \(optionHelp)
        """
    }

    /// The defaults, before any flag or environment variable.
    init() {}

    /// Reads `arguments` (without the program name) over `environment`; flags win over the environment.
    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        for option in Self.options {
            guard let variable = option.environment, let text = environment[variable], !text.isEmpty else { continue }
            try option.setting.apply(text, from: variable, to: &self)
        }

        var remaining = arguments[...]
        func value(of flag: String) throws(UsageError) -> String {
            guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
            return value
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
            case _ where Self.options.contains(where: { $0.flag == argument }):
                guard let option = Self.options.first(where: { $0.flag == argument }) else { break }
                try option.setting.apply(try value(of: argument), from: argument, to: &self)
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

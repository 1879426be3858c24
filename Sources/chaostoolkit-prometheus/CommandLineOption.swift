import HTTPClient
import JSONRPC
import PluginLog

/// One option of the command line: the one place its flag, its environment variable, what it sets, the values it
/// takes and its help are written. Parsing, `--help` and the defaults it shows all read ``CommandLineOptions/options``.
struct CommandLineOption {
    let flag: String
    /// What the value is called in `--help`: `BYTES`, `N`, `URL`, ...
    let placeholder: String
    /// The environment variable that sets it too (the flag wins), if any.
    let environment: String?
    /// What it does, for `--help`; the default is added from ``CommandLineOptions``'s own.
    let help: String
    let setting: Setting

    /// What the option sets, and how its text is read.
    enum Setting {
        /// A whole number within a range.
        case count(WritableKeyPath<CommandLineOptions, Int>, ClosedRange<Int>)
        /// A text taken as it is (checked later, as the URLs are).
        case text(WritableKeyPath<CommandLineOptions, String>)
        /// A level of logging.
        case logLevel

        /// Sets `options` from `text`, given by `source` (a flag or an environment variable).
        func apply(_ text: String, from source: String, to options: inout CommandLineOptions) throws(UsageError) {
            switch self {
            case .count(let keyPath, let range):
                guard let number = Int(text), range.contains(number) else {
                    throw UsageError(
                        "\(source) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
                    )
                }
                options[keyPath: keyPath] = number
            case .text(let keyPath):
                options[keyPath: keyPath] = text
            case .logLevel:
                guard let level = LogLevel(name: text) else {
                    throw UsageError("\(source) must be trace, debug, info, warning or error, not '\(text)'")
                }
                options.logLevel = level
            }
        }

        /// The value `options` holds, as `--help` shows it.
        func shown(in options: CommandLineOptions) -> String {
            switch self {
            case .count(let keyPath, _): String(options[keyPath: keyPath])
            case .text(let keyPath): options[keyPath: keyPath]
            case .logLevel: options.logLevel.description
            }
        }
    }
}

extension CommandLineOptions {
    /// The options of serving, in the order `--help` lists them.
    static var options: [CommandLineOption] {
        [
            CommandLineOption(
                flag: "--log-level", placeholder: "LEVEL", environment: "CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL",
                help: "trace, debug, info, warning or error", setting: .logLevel),
            CommandLineOption(
                flag: "--prometheus-base-url", placeholder: "URL", environment: "CHAOSTOOLKIT_PROMETHEUS_BASE_URL",
                help: "the Prometheus used when a call's configuration has no prometheus_base_url",
                setting: .text(\.defaultBaseURL)),
            CommandLineOption(
                flag: "--pushgateway-url", placeholder: "URL", environment: "CHAOSTOOLKIT_PROMETHEUS_PUSHGATEWAY_URL",
                help: "the Pushgateway of the metrics control when configure_control is given no pushgateway_url",
                setting: .text(\.defaultPushgatewayURL)),
            CommandLineOption(
                flag: "--max-line-length", placeholder: "BYTES", environment: nil,
                help: "the longest request line accepted", setting: .count(\.limits.maximumLineLength, 1024...(1 << 30))
            ),
            CommandLineOption(
                flag: "--max-batch-size", placeholder: "N", environment: nil, help: "the most requests in one batch",
                setting: .count(\.limits.maximumBatchSize, 1...1_000_000)),
            CommandLineOption(
                flag: "--max-concurrent-requests", placeholder: "N", environment: nil,
                help: "the most calls running at once; the rest wait",
                setting: .count(\.limits.maximumConcurrentCalls, 1...10_000)),
            CommandLineOption(
                flag: "--max-response-size", placeholder: "BYTES", environment: nil,
                help: "the largest answer accepted from a server",
                setting: .count(\.maximumResponseSize, 1024...(1 << 40))),
            CommandLineOption(
                flag: "--max-response-memory", placeholder: "BYTES", environment: nil,
                help:
                    "the most memory the answers of all calls in flight may hold at once; an answer that does not fit "
                    + "fails its call with memory_budget_exceeded",
                setting: .count(\.responseMemoryLimit, (1 << 20)...(1 << 42))),
            CommandLineOption(
                flag: "--shutdown-grace", placeholder: "SECONDS", environment: nil,
                help: "after SIGTERM or SIGINT, how long calls in flight may finish",
                setting: .count(\.shutdownGraceSeconds, 0...3600)),
            CommandLineOption(
                flag: "--max-pending-lines", placeholder: "N", environment: nil,
                help: "the most lines read and not yet answered; past it, input is read as answers leave",
                setting: .count(\.limits.maximumPendingLines, 1...1_000_000)),
            CommandLineOption(
                flag: "--max-pending-bytes", placeholder: "BYTES", environment: nil,
                help: "the most bytes of such lines",
                setting: .count(\.limits.maximumPendingBytes, (1 << 20)...(1 << 40))),
            CommandLineOption(
                flag: "--max-tool-result-bytes", placeholder: "BYTES", environment: nil,
                help:
                    "the most JSON in a Model Context Protocol tool result; a larger one is cut to its leading series, "
                    + "with a note",
                setting: .count(\.maximumToolResultBytes, 4096...(1 << 30))),
        ]
    }

    /// The grace period after a signal, in whole seconds, as `--shutdown-grace` sets it.
    var shutdownGraceSeconds: Int {
        get { Int(limits.shutdownGracePeriod.components.seconds) }
        set { limits.shutdownGracePeriod = .seconds(newValue) }
    }

    /// The options part of `--help`: each option with its help, its environment variable and its default, the
    /// help starting in one column and wrapped to the width of the rest of the text.
    static var optionHelp: String {
        let defaults = CommandLineOptions()
        let helpColumn = 29
        let width = 106
        var lines: [String] = []
        func add(_ name: String, _ help: String) {
            var line = "  " + name
            if line.count + 1 > helpColumn {
                lines.append(line)
                line = ""
            }
            line += String(repeating: " ", count: helpColumn - line.count)
            var first = true
            for word in help.split(separator: " ") {
                if !first, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = String(repeating: " ", count: helpColumn)
                    first = true
                }
                line += (first ? "" : " ") + word
                first = false
            }
            lines.append(line)
        }
        for option in options {
            var help = option.help + " (default \(option.setting.shown(in: defaults)))"
            if let variable = option.environment { help += "; also \(variable)" }
            add(option.flag + " " + option.placeholder, help)
        }
        add("--version", "print the version and exit")
        add("--help", "print this help and exit")
        return lines.joined(separator: "\n")
    }
}

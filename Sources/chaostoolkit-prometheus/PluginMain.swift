#if canImport(Glibc)
import Glibc
#endif
import ChaosToolkit
import Foundation
import HTTPClient
import JSONRPC
import Logging
import MetricsControl
import PrometheusProbes

/// Wires standard input and output, the JSON-RPC server and the Prometheus probes together.
@main
struct PluginMain {
    static func main() async {
        // A host that goes away must not kill the plugin with SIGPIPE: the failed write is handled instead.
        signal(SIGPIPE, SIG_IGN)

        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("chaostoolkit-prometheus: \(error.message)\n\n\(CommandLineOptions.usage)".utf8))
            exit(64)
        }
        switch options.action {
        case .showVersion:
            FileHandle.standardOutput.write(Data("chaostoolkit-prometheus \(PrometheusExtension.version)\n".utf8))
            exit(0)
        case .showHelp:
            FileHandle.standardOutput.write(Data(CommandLineOptions.usage.utf8))
            exit(0)
        case .serve:
            break
        }

        let logger = Logger(label: "chaostoolkit-prometheus", level: options.logLevel)
        let http = HTTPClient(logger: logger.withLabel("http"))
        let environment = ProbeEnvironment(
            client: PrometheusClient(http: http, logger: logger.withLabel("prometheus")),
            defaultBaseURL: options.defaultBaseURL,
            logger: logger)
        let catalogue = ActivityCatalogue(
            extensionName: PrometheusExtension.name, version: PrometheusExtension.version, target: "prometheus",
            activities: PrometheusExtension.probes(environment)
                + MetricsControl(
                    http: http, defaultPushgatewayURL: options.defaultPushgatewayURL, logger: logger.withLabel("metrics")
                ).activities)
        let server = Server(
            methods: ActivityMethods.table(for: catalogue, logger: logger),
            maximumLineLength: options.maximumLineLength,
            logger: logger.withLabel("jsonrpc"))
        let output = LineWriter(fileDescriptor: STDOUT_FILENO) {
            logger.warning("standard output is closed: the host has gone, exiting")
            exit(0)
        }
        logger.info("serving \(PrometheusExtension.name) \(PrometheusExtension.version)")
        await server.run(
            input: InputReader.lines(of: STDIN_FILENO, maximumLineLength: options.maximumLineLength, logger: logger),
            output: output)
        logger.info("end of input: every request answered, exiting")
        exit(0)
    }
}

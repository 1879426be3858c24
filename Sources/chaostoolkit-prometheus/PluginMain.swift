import CBuildInfo
import ChaosToolkit
import Dispatch
import EventLoop
import HTTPClient
import JSON
import JSONRPC
import MetricsControl
import ModelContextProtocol
import PluginLog
import PrometheusProbes

#if canImport(Glibc)
import Glibc
#endif

/// Wires standard input and output, the JSON-RPC server and the Prometheus probes together.
@main
struct PluginMain {
    static func main() async {
        // A host that goes away must not kill the plugin with SIGPIPE: the failed write is handled instead.
        signal(SIGPIPE, SIG_IGN)
        _ = StandardStream.closedAtLaunch

        let variables = ProcessEnvironment.variables()
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: variables)
        } catch {
            StandardStream.error.write("chaostoolkit-prometheus: \(error.message)\n\n\(CommandLineOptions.usage)")
            exit(64)
        }
        switch options.action {
        case .showVersion:
            exit(StandardStream.output.write(versionText) ? 0 : OneShot.Status.outputClosed.rawValue)
        case .showHelp:
            exit(StandardStream.output.write(CommandLineOptions.usage) ? 0 : OneShot.Status.outputClosed.rawValue)
        case .serve, .discover, .call, .validate:
            break
        }

        let logger = Logger(label: "chaostoolkit-prometheus", level: options.logLevel)
        let loop: EventLoop
        do {
            loop = try EventLoop(name: "io loop")
        } catch {
            StandardStream.error.write("chaostoolkit-prometheus: cannot start: \(error)\n")
            exit(OneShot.Status.cannotStart.rawValue)
        }
        let http = HTTPClient(
            logger: logger.withLabel("http"), responseMemory: ResponseMemory(limit: options.responseMemoryLimit),
            loop: loop)
        let environment = ProbeEnvironment(
            client: PrometheusClient(
                http: http, maximumResponseSize: options.maximumResponseSize, logger: logger.withLabel("prometheus")),
            defaultBaseURL: options.defaultBaseURL,
            logger: logger)
        let catalogue = ActivityCatalogue(
            extensionName: PrometheusExtension.name, version: PrometheusExtension.version, target: "prometheus",
            activities: PrometheusExtension.probes(environment)
                + MetricsControl(
                    http: http, defaultPushgatewayURL: options.defaultPushgatewayURL,
                    logger: logger.withLabel("metrics")
                ).activities)
        switch options.action {
        case .discover:
            exit(OneShot.discover(catalogue).rawValue)
        case .call(let call):
            exit(await OneShot.call(call, catalogue: catalogue, environment: variables).rawValue)
        case .validate(let path):
            exit(
                await OneShot.validate(
                    path, catalogue: catalogue, validation: ProbeValidation(environment: environment),
                    environment: variables
                ).rawValue)
        default:
            break
        }
        let toolSettings: (configuration: JSONObject, secrets: JSONObject)
        do {
            toolSettings = (
                try OneShot.object(options.toolConfiguration, flag: "--configuration"),
                try OneShot.object(options.toolSecrets, flag: "--secrets")
            )
        } catch {
            StandardStream.error.write("chaostoolkit-prometheus: \(error.message)\n")
            exit(OneShot.Status.usage.rawValue)
        }
        var methods = ActivityMethods.table(for: catalogue, environment: variables, logger: logger)
        let validation = ProbeValidation(environment: environment)
        methods.register("validate") { params in
            guard let experiment = params?["experiment"]?.objectValue else {
                throw JSONRPCError.invalidParams(
                    "'validate' takes {\"experiment\": <the experiment, as a JSON object>}")
            }
            return await ExperimentValidation.report(
                of: experiment, catalogue: catalogue, validation: validation, environment: variables)
        }
        ToolServer(
            name: PrometheusExtension.name, version: PrometheusExtension.version, instructions: ToolTexts.instructions,
            tools: ActivityTools.tools(
                for: catalogue.activities + PrometheusExtension.explorationProbes(environment),
                configuration: toolSettings.configuration, secrets: toolSettings.secrets,
                environment: variables, resultBound: ToolResultBound(maximumBytes: options.maximumToolResultBytes),
                logger: logger.withLabel("mcp")),
            logger: logger.withLabel("mcp")
        ).register(in: &methods)
        let server = Server(
            methods: methods,
            limits: options.limits,
            logger: logger.withLabel("jsonrpc"),
            executor: loop,
            cancellationMethods: [.languageServerProtocol, ToolServer.cancellation])
        let outputClosed: @Sendable () -> Void = {
            logger.warning("standard output is closed: the host has gone, exiting")
            exit(0)
        }
        guard StandardStream.output.wasOpenAtLaunch else {
            outputClosed()
            exit(0)
        }
        let output = LineWriter(fileDescriptor: STDOUT_FILENO, loop: loop, onClosed: outputClosed)
        let signals = shutDownOnSignals(server)
        logger.info("serving \(PrometheusExtension.name) \(PrometheusExtension.version)")
        let budget = InputBudget(
            maximumLines: options.limits.maximumPendingLines, maximumBytes: options.limits.maximumPendingBytes)
        let status = await withTaskExecutorPreference(loop) {
            await server.run(output: output, budget: budget) { lines in
                InputReader.read(
                    STDIN_FILENO, on: loop, maximumLineLength: options.limits.maximumLineLength, budget: budget,
                    logger: logger, into: lines)
            }
        }
        withExtendedLifetime(signals) {}
        logger.info("every request answered, exiting with status \(status)")
        exit(status)
    }

    /// `--version`: the version; the commit it was built from, when `scripts/install` built it from a checkout; and
    /// the libcurl it runs with.
    static var versionText: String {
        let commit = String(cString: chaostoolkit_prometheus_build_commit())
        return "chaostoolkit-prometheus \(PrometheusExtension.version)"
            + (commit.isEmpty ? "" : " (commit \(commit))") + "\n" + HTTPClient.libcurlVersion
    }

    /// SIGTERM and SIGINT start an orderly shutdown instead of killing the process mid-answer.
    ///
    /// Nonisolated on purpose: a handler formed inside `main` would belong to the main actor, and libdispatch
    /// runs it on a queue of its own, which Swift's isolation check stops with a trap.
    ///
    /// A SIGINT the parent ignored stays ignored, as POSIX has it for a program started in the background (a shell's
    /// `&`, a host that keeps Ctrl-C for itself): only SIGTERM then shuts the plugin down.
    nonisolated private static func shutDownOnSignals(_ server: Server) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].filter { $0 == SIGTERM || !isIgnored($0) }.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.shutDown() }
            source.resume()
            return source
        }
    }

    /// Whether the process started with `number` ignored.
    nonisolated private static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
            == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}

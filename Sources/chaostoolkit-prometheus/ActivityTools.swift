import ChaosToolkit
import JSON
import JSONRPC
import ModelContextProtocol
import PluginLog

/// Maps the catalogue's probes onto Model Context Protocol tools: the only place that knows both.
///
/// Each probe (those of the Chaos Toolkit catalogue, and the look-ups of metric names, labels, series, metadata
/// and rules) is a tool of the same name, with its arguments' JSON Schemas (``ArgumentType/schema``) and a
/// description for a reader who has never seen the Chaos Toolkit (``ToolTexts``). A tool call carries only the
/// probe's arguments: the configuration and secrets (which Prometheus, which credentials) are the process's, from
/// `--configuration` and `--secrets`, so that no secret passes through a model. The control hooks are left out:
/// they keep the state of one experiment run between hooks, which an assistant has no use for.
///
/// A probe's result is the tool's structured content: an object (Prometheus's document) as it is, any other
/// value wrapped as `{"result": value}`, as the protocol wants an object; cut to ``ToolResultBound`` when
/// larger. A `FailedActivity` and a bad argument are tool failures (`isError: true`, with the reason in its
/// data), so that a model reads why and can try again, as revision 2025-11-25 asks for input errors. The probes
/// that read whole range results run off the event loop, as their JSON-RPC methods do
/// (``ActivityMethods/computeOverRanges``), and so does cutting a result.
enum ActivityTools {
    static func tools(
        for activities: [Activity], configuration: JSONObject, secrets: JSONObject,
        environment: [String: String], resultBound: ToolResultBound, logger: Logger
    ) -> [Tool] {
        activities.filter { $0.descriptor.kind == .probe }.map { activity in
            let descriptor = activity.descriptor
            let texts = ToolTexts.of(descriptor.name)
            let call: @Sendable (JSONObject, ToolCallContext) async throws -> ToolOutcome = { arguments, context in
                await run(
                    activity, arguments: arguments, configuration: configuration, secrets: secrets,
                    environment: environment, progress: context.progress, resultBound: resultBound, logger: logger)
            }
            return Tool(
                name: descriptor.name, title: texts.title, description: texts.description,
                inputSchema: inputSchema(of: descriptor), outputSchema: outputSchema(of: descriptor),
                annotations: .readsRemoteServer, call: call)
        }
    }

    /// An object schema of the activity's arguments: each argument's type, its default, and which are required.
    static func inputSchema(of descriptor: ActivityDescriptor) -> JSONValue {
        var properties = JSONObject()
        for argument in descriptor.arguments {
            var property = argument.type.schema.objectValue ?? [:]
            if let description = ToolTexts.describe(argument.name, of: descriptor.name) {
                property["description"] = .string(description)
            }
            if let defaultValue = argument.defaultValue, defaultValue != .null { property["default"] = defaultValue }
            properties[argument.name] = .object(property)
        }
        let required = descriptor.arguments.filter { $0.defaultValue == nil }.map { JSONValue.string($0.name) }
        var schema: JSONObject = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    /// The schema of the tool's structured content, from what the probe returns.
    static func outputSchema(of descriptor: ActivityDescriptor) -> JSONValue {
        if descriptor.returnType == "mapping" { return prometheusDocument }
        let result: JSONValue =
            switch descriptor.name {
            case "check_threshold": ["type": ["boolean", "object"]]  // an object with `detail`
            case "wait_for_threshold": ["type": ["number", "array"], "items": ["type": "object"]]
            case "metric_names", "label_names", "label_values": ["type": "array", "items": ["type": "string"]]
            default:
                switch descriptor.returnType {
                case "number": ["type": "number"]
                case "boolean": ["type": "boolean"]
                case "list": ["type": "array", "items": ["type": "object"]]
                default: [:]
                }
            }
        return ["type": "object", "properties": ["result": result], "required": ["result"]]
    }

    /// Prometheus's answer to a query, as `query` and `query_interval` pass it on.
    private static let prometheusDocument: JSONValue = [
        "type": "object",
        "properties": [
            "status": ["type": "string"],
            "data": [
                "type": "object",
                "properties": [
                    "resultType": ["type": "string"],
                    "result": ["type": ["array", "object", "string", "number"], "items": [:]],
                ],
            ],
            "warnings": ["type": "array", "items": ["type": "string"]],
        ],
        "required": ["status", "data"],
    ]

    private static func run(
        _ activity: Activity, arguments: JSONObject, configuration: JSONObject, secrets: JSONObject,
        environment: [String: String], progress: ProgressNotifier?, resultBound: ToolResultBound, logger: Logger
    ) async -> ToolOutcome {
        let name = activity.descriptor.name
        do {
            let reporter = progress.map { notifier in ActivityProgress { message in await notifier.report(message) } }
            let value = try await ActivityProgress.$current.withValue(reporter) {
                try await ActivityMethods.onItsExecutor(name) {
                    try await activity.run(
                        arguments: arguments, configuration: configuration, secrets: secrets, environment: environment)
                }
            }
            // Wrapped by what the probe declares, not by what one value looks like: check_threshold's detail is
            // an object, and its schema says {"result": ...}.
            let structured: JSONOutput =
                activity.descriptor.returnType == "mapping" ? value : .object([("result", value)])
            var (bounded, note): (JSONOutput, String?) = (structured, nil)
            if let size = resultBound.excess(of: structured) {
                // Cutting reads the whole result: off the event loop, as the probes that read ranges are.
                (bounded, note) = await withTaskExecutorPreference(globalConcurrentExecutor) {
                    resultBound.apply(to: structured, size: size)
                }
            }
            if let note { logger.info("tool '\(name)': \(note)") }
            return .result(bounded)
        } catch let error as ActivityArgumentError {
            return .failure(message: error.message, data: ["type": "ActivityArgumentError", "activity": .string(name)])
        } catch let failure as FailedActivity {
            logger.info("tool '\(name)' failed (\(failure.reason)): \(failure.message)")
            return .failure(message: failure.message, data: failure.errorData(activity: name))
        } catch is CancellationError {
            return .failure(message: "the call was cancelled", data: ["type": "Cancelled", "activity": .string(name)])
        } catch {
            // Not an error of the activity model, so nothing has filtered the call's secrets out of its text: only
            // its type is shown.
            logger.error("tool '\(name)' failed unexpectedly: \(type(of: error))")
            return .failure(
                message: "\(name) failed unexpectedly (\(type(of: error)))", data: ["activity": .string(name)])
        }
    }
}

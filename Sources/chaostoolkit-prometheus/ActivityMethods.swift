import ChaosToolkit
import JSON
import JSONRPC
import PluginLog

/// Maps a catalogue of Chaos Toolkit activities onto JSON-RPC methods: the only place that knows both.
///
/// Each activity answers to its name (`query`) and its qualified name (`chaosprometheus.probes.query`);
/// `discover` answers with the catalogue. `params` is `{"arguments": {...}, "configuration": {...},
/// "secrets": {...}}`, every member optional; environment references in configuration and secrets resolve
/// from `environment`, the plugin's own.
///
/// Calls run where the server starts them (on the event loop), except the activities in ``computeOverRanges``:
/// they read whole range results (megabytes of samples) into trees or statistics, which would hold up every other
/// call's I/O for as long, so they run on Swift's global executor instead and come back to the loop only through
/// their transfers and their answers.
enum ActivityMethods {
    /// The activities that run off the event loop (see the type's comment).
    static let computeOverRanges: Set<String> = [
        "compute_mean", "nodes_cpu_usage_mean", "query_interval", "query_values",
    ]

    static func table(for catalogue: ActivityCatalogue, environment: [String: String], logger: Logger) -> MethodTable {
        var table = MethodTable()
        table.register("discover") { params in
            switch params {
            case nil, .object(JSONObject())?, .array([])?: return catalogue.discoveryDocument
            default: throw JSONRPCError.invalidParams("'discover' takes no params")
            }
        }
        for activity in catalogue.activities {
            let handler: MethodTable.Handler = { params in
                try await onItsExecutor(activity.descriptor.name) {
                    try await call(activity, params: params, environment: environment, logger: logger)
                }
            }
            table.registerOutput(activity.descriptor.name, handler)
            table.registerOutput(activity.descriptor.qualifiedName, handler)
        }
        return table
    }

    /// Runs `operation`, a call of the activity `name`, where that activity belongs: on Swift's global executor
    /// for ``computeOverRanges``, else where the caller runs (the event loop).
    static func onItsExecutor<Value: Sendable>(
        _ name: String, _ operation: @Sendable () async throws -> Value
    ) async throws -> Value {
        guard computeOverRanges.contains(name) else { return try await operation() }
        return try await withTaskExecutorPreference(globalConcurrentExecutor) { try await operation() }
    }

    private static let members = ["arguments", "configuration", "secrets"]

    private static func call(
        _ activity: Activity, params: JSONValue?, environment: [String: String], logger: Logger
    ) async throws -> JSONOutput {
        let name = activity.descriptor.name
        let object: JSONObject
        switch params {
        case nil: object = [:]
        case .object(let given)?: object = given
        case let other?:
            throw JSONRPCError.invalidParams(
                "params of activity '\(name)' must be an object {\"arguments\": {...}, \"configuration\": {...}, \"secrets\": {...}}, not \(other.typeDescription)"
            )
        }
        if let unknown = object.keys.first(where: { !members.contains($0) }) {
            throw JSONRPCError.invalidParams(
                "unknown member '\(unknown)' in params of activity '\(name)': the members are 'arguments', 'configuration' and 'secrets'"
            )
        }
        var parts: [String: JSONObject] = [:]
        for member in members {
            switch object[member] {
            case nil, .null?: parts[member] = [:]
            case .object(let value)?: parts[member] = value
            case let other?:
                throw JSONRPCError.invalidParams(
                    "'\(member)' in params of activity '\(name)' must be an object, not \(other.typeDescription)")
            }
        }
        do {
            return try await activity.run(
                arguments: parts["arguments", default: [:]], configuration: parts["configuration", default: [:]],
                secrets: parts["secrets", default: [:]],
                environment: environment)
        } catch let error as ActivityArgumentError {
            throw JSONRPCError.invalidParams(error.message, data: ["activity": .string(name)])
        } catch let failure as FailedActivity {
            logger.info("activity '\(name)' failed (\(failure.reason)): \(failure.message)")
            throw JSONRPCError(
                code: .serverError, message: failure.message, data: .object(failure.errorData(activity: name)))
        }
    }
}

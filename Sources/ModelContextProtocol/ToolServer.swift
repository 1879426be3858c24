import JSON
import JSONRPC
import Locking
import PluginLog

/// The Model Context Protocol's methods for a set of tools, added to a JSON-RPC method table beside any others.
///
/// A client opens a session with `initialize` (revisions 2024-11-05 to 2025-11-25, ``ProtocolRevision``); the
/// other methods answer with or without it, so a server that also speaks a plain protocol keeps it unchanged:
/// - `initialize`: the revision (the client's when supported, else the latest), the `tools` capability, the
///   server's name and version and its instructions;
/// - `notifications/initialized`: accepted; `ping`: `{}` at any time;
/// - `server/discover` (the stateless revision 2026-07-28) is not among them: the JSON-RPC server answers it
///   "method not found" at once, which makes clients fall back to `initialize`;
/// - `tools/list`: every tool, all on one page; `title`, `outputSchema` and `annotations` only for the
///   revisions that define them;
/// - `tools/call`: the tool's result as `structuredContent` and the same JSON as text, or a failure as a result
///   with `isError: true`, its message as text and its data as a second text (JSON); an unknown tool or params that are not `{"name", "arguments"}` are JSON-RPC errors
///   (`-32602`);
/// - `logging/setLevel`: the least level of the call's log lines sent as `notifications/message` (``LogMessages``).
///
/// Cancellation is the JSON-RPC server's: give it ``cancellation``.
package final class ToolServer: Sendable {
    /// The server's name and version, as `initialize` answers them.
    package let name: String
    package let version: String
    /// Guidance for the client's model, as `initialize` answers it.
    package let instructions: String?
    private let tools: [Tool]
    private let toolsByName: [String: Tool]
    private let logger: Logger
    /// The revision `initialize` agreed on; `nil` before it (the latest revision's shapes are answered then).
    private let revision = Locked<ProtocolRevision?>(nil)
    /// The least level of the log lines sent to the client (``LogMessages``), as `logging/setLevel` set it.
    private let logMinimum = Locked(LogMessages.defaultMinimum)

    /// `notifications/cancelled {"requestId": ...}`: cancels a call in flight, which then gets no answer.
    package static let cancellation = CancellationMethod(
        method: "notifications/cancelled", idMember: "requestId", answersCancelledRequest: false)

    /// The methods every client may call, whatever else the table holds.
    package static let methods = [
        "initialize", "notifications/initialized", "ping", "tools/list", "tools/call", "logging/setLevel",
    ]

    /// A server of `tools`; their names must differ.
    package init(name: String, version: String, instructions: String?, tools: [Tool], logger: Logger) {
        self.name = name
        self.version = version
        self.instructions = instructions
        self.tools = tools
        self.toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    /// Adds the protocol's methods (``methods``) to `table`.
    package func register(in table: inout MethodTable) {
        table.register("initialize") { [self] params in try initialize(params) }
        table.register("notifications/initialized") { _ in .null }
        table.register("ping") { _ in .object([:]) }
        table.register("tools/list") { [self] _ in listing() }
        table.registerOutput("tools/call") { [self] params in try await call(params) }
        table.register("logging/setLevel") { [self] params in try setLogLevel(params) }
    }

    private var currentRevision: ProtocolRevision {
        revision.withLock { $0 } ?? .latest
    }

    private func initialize(_ params: JSONValue?) throws -> JSONValue {
        guard case .string(let requested)? = params?["protocolVersion"] else {
            throw JSONRPCError.invalidParams(
                "initialize takes {\"protocolVersion\": \"2025-11-25\", \"capabilities\": {...}, \"clientInfo\": {...}}"
            )
        }
        let agreed = ProtocolRevision.negotiated(for: requested)
        revision.withLock { $0 = agreed }
        let client = params?["clientInfo"]?["name"]?.stringValue ?? "a client"
        logger.info(
            "Model Context Protocol session with \(client): revision \(agreed.rawValue) (asked for \(requested))")
        var result: JSONObject = [
            "protocolVersion": .string(agreed.rawValue),
            "capabilities": ["tools": ["listChanged": false], "logging": [:]],
            "serverInfo": ["name": .string(name), "version": .string(version)],
        ]
        if let instructions { result["instructions"] = .string(instructions) }
        return .object(result)
    }

    private func listing() -> JSONValue {
        let revision = currentRevision
        return ["tools": .array(tools.map { describe($0, for: revision) })]
    }

    private func describe(_ tool: Tool, for revision: ProtocolRevision) -> JSONValue {
        var entry: JSONObject = [
            "name": .string(tool.name), "description": .string(tool.description), "inputSchema": tool.inputSchema,
        ]
        if revision.hasStructuredContent {
            entry["title"] = .string(tool.title)
            if let outputSchema = tool.outputSchema { entry["outputSchema"] = outputSchema }
        }
        if revision.hasToolAnnotations {
            var annotations = tool.annotations.jsonValue.objectValue ?? [:]
            if revision.hasStructuredContent { annotations["title"] = .string(tool.title) }
            entry["annotations"] = .object(annotations)
        }
        return .object(entry)
    }

    private func call(_ params: JSONValue?) async throws -> JSONOutput {
        guard case .string(let name)? = params?["name"] else {
            throw JSONRPCError.invalidParams("tools/call takes {\"name\": <a tool's name>, \"arguments\": {...}}")
        }
        guard let tool = toolsByName[name] else {
            throw JSONRPCError.invalidParams(
                "no tool named '\(name)'; the tools are \(tools.map(\.name).joined(separator: ", "))",
                data: ["tool": .string(name)])
        }
        let arguments: JSONObject
        switch params?["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let given)?: arguments = given
        case let other?:
            throw JSONRPCError.invalidParams(
                "the arguments of tool '\(name)' must be an object, not \(other.typeDescription)")
        }
        let observer = LineObserver(minimum: logMinimum.withLock { $0 })
        let outcome: ToolOutcome
        do {
            outcome = try await Logger.$lineObserver.withValue(observer) {
                try await tool.call(arguments, ToolCallContext(progress: ProgressNotifier.forRequest(params)))
            }
        } catch {
            // A cancelled call gets nothing more written for it, log lines included.
            if !Task.isCancelled { await LogMessages.send(observer) }
            throw error
        }
        if !Task.isCancelled { await LogMessages.send(observer) }
        return Self.result(of: outcome, for: currentRevision)
    }

    private func setLogLevel(_ params: JSONValue?) throws -> JSONValue {
        guard let name = params?["level"]?.stringValue, let minimum = LogMessages.minimum(named: name) else {
            throw JSONRPCError.invalidParams(
                "logging/setLevel takes {\"level\": <one of \(LogMessages.levels.joined(separator: ", "))>}")
        }
        logMinimum.withLock { $0 = minimum }
        return .object([:])
    }

    /// A `tools/call` result: the structured result with the same JSON as text, or a failure flagged `isError`.
    static func result(of outcome: ToolOutcome, for revision: ProtocolRevision) -> JSONOutput {
        switch outcome {
        case .result(let structured):
            let content: JSONValue = [["type": "text", "text": .string(structured.serializedString())]]
            var members: [(key: String, value: JSONOutput)] = [
                ("content", .value(content)), ("isError", .value(false)),
            ]
            if revision.hasStructuredContent { members.append(("structuredContent", structured)) }
            return .object(members)
        case .failure(let message, let data):
            // The data as a second text, not as structuredContent: clients check structured content against the
            // tool's outputSchema even on errors (the TypeScript SDK does), which failure data does not fit.
            var content: [JSONValue] = [["type": "text", "text": .string(message)]]
            if let data {
                content.append(["type": "text", "text": .string(JSONValue.object(data).serializedString())])
            }
            return .value(["content": .array(content), "isError": true])
        }
    }
}

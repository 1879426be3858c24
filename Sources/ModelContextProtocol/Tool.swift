import JSON

/// A tool as the Model Context Protocol lists and calls it: its name, what it is for, the JSON Schemas of its
/// arguments and of its result, and what runs it.
package struct Tool: Sendable {
    /// The name a client calls it by: 1 to 128 of `A-Z a-z 0-9 _ - .`.
    package let name: String
    /// A short human-readable name.
    package let title: String
    /// What the tool does, when to use it and what it returns, for a reader (or a model) who knows nothing else.
    package let description: String
    /// The JSON Schema of its arguments: an object schema.
    package let inputSchema: JSONValue
    /// The JSON Schema of its ``ToolOutcome/result(_:)`` objects, when they have a fixed shape.
    package let outputSchema: JSONValue?
    /// What a client may assume about it.
    package let annotations: ToolAnnotations
    /// Runs the tool with the arguments of one call.
    package let call: @Sendable (_ arguments: JSONObject, _ context: ToolCallContext) async throws -> ToolOutcome

    /// A tool of its own.
    package init(
        name: String, title: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue?,
        annotations: ToolAnnotations,
        call: @escaping @Sendable (_ arguments: JSONObject, _ context: ToolCallContext) async throws -> ToolOutcome
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.call = call
    }
}

/// Hints about a tool's behaviour, as the specification defines them (from revision 2025-03-26).
package struct ToolAnnotations: Sendable, Equatable {
    /// It changes nothing in its environment.
    package var readOnly: Bool
    /// It may change or delete things (meaningful only when not read-only).
    package var destructive: Bool
    /// Calling it again with the same arguments has no further effect.
    package var idempotent: Bool
    /// It reaches entities outside the client and server, such as a remote server.
    package var openWorld: Bool

    /// Hints of their own.
    package init(readOnly: Bool, destructive: Bool, idempotent: Bool, openWorld: Bool) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }

    /// A tool that only reads from a remote server: every query of Prometheus.
    package static let readsRemoteServer = ToolAnnotations(
        readOnly: true, destructive: false, idempotent: true, openWorld: true)

    var jsonValue: JSONValue {
        [
            "readOnlyHint": .bool(readOnly), "destructiveHint": .bool(destructive), "idempotentHint": .bool(idempotent),
            "openWorldHint": .bool(openWorld),
        ]
    }
}

/// How one tool call ended, short of a protocol error (which a tool throws as a `JSONRPCError`).
package enum ToolOutcome: Sendable, Equatable {
    /// The result: an object, or JSON text of one passed on as it is (a bare value is the tool's to wrap, as
    /// the specification wants an object).
    case result(JSONOutput)
    /// The tool ran and failed: `message` for the reader, `data` (an object) for a program. The client gets a
    /// result with `isError: true`, the message as its first text and the data as JSON in a second, so that a
    /// model can read why and try again.
    case failure(message: String, data: JSONObject?)
}

/// What a tool may use while it runs: progress notifications, when the client asked for them.
package struct ToolCallContext: Sendable {
    /// Sends `notifications/progress` for this call; `nil` when the call carries no progress token.
    package let progress: ProgressNotifier?

    /// A context of its own.
    package init(progress: ProgressNotifier?) {
        self.progress = progress
    }
}

import JSON

/// The methods a server answers, by name.
///
/// The JSON-RPC layer knows nothing of what a method does: a handler takes the request's `params` and returns
/// the `result`, or throws a ``JSONRPCError`` (any other error is answered as an internal error, and
/// `CancellationError` as a cancelled request).
package struct MethodTable: Sendable {
    /// Serves one method: `params` as received (absent, object or array), the result to send back, which may hold
    /// a document's text passed on as it is.
    package typealias Handler = @Sendable (_ params: JSONValue?) async throws -> JSONOutput

    private var handlers: [String: Handler] = [:]

    package init() {}

    /// Adds `name`, whose result is a value; names beginning `rpc.` are reserved by the specification, and a name
    /// is registered once.
    package mutating func register(
        _ name: String, _ handler: @escaping @Sendable (_ params: JSONValue?) async throws -> JSONValue
    ) {
        registerOutput(name) { params in .value(try await handler(params)) }
    }

    /// Adds `name`, whose result may pass a document's text on as it is. A name of its own, not an overload: a
    /// trailing closure would otherwise fit both.
    package mutating func registerOutput(_ name: String, _ handler: @escaping Handler) {
        precondition(!name.hasPrefix("rpc."), "method names beginning 'rpc.' are reserved")
        precondition(handlers[name] == nil, "method '\(name)' is registered twice")
        handlers[name] = handler
    }

    /// The handler for `name`, if there is one.
    package func handler(for name: String) -> Handler? {
        handlers[name]
    }

    /// Every method name, sorted.
    package var names: [String] { handlers.keys.sorted() }
}

import JSON

/// The methods a server answers, by name.
///
/// The JSON-RPC layer knows nothing of what a method does: a handler takes the request's `params` and returns
/// the `result`, or throws a ``JSONRPCError`` (any other error is answered as an internal error, and
/// `CancellationError` as a cancelled request).
public struct MethodTable: Sendable {
    /// Serves one method: `params` as received (absent, object or array), the result to send back.
    public typealias Handler = @Sendable (_ params: JSONValue?) async throws -> JSONValue

    private var handlers: [String: Handler] = [:]

    public init() {}

    /// Adds `name`; names beginning `rpc.` are reserved by the specification, and a name is registered once.
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        precondition(!name.hasPrefix("rpc."), "method names beginning 'rpc.' are reserved")
        precondition(handlers[name] == nil, "method '\(name)' is registered twice")
        handlers[name] = handler
    }

    /// The handler for `name`, if there is one.
    public func handler(for name: String) -> Handler? {
        handlers[name]
    }

    /// Every method name, sorted.
    public var names: [String] { handlers.keys.sorted() }
}

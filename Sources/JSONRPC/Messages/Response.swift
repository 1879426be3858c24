import JSON

/// A JSON-RPC 2.0 response: a result or an error, for the request with the same id.
public struct Response: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case result(JSONValue)
        case error(JSONRPCError)
    }

    /// The id of the request answered, or null when it could not be read.
    public let id: RequestID
    public let outcome: Outcome

    public init(id: RequestID, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    public static func result(_ value: JSONValue, id: RequestID) -> Response {
        Response(id: id, outcome: .result(value))
    }

    public static func error(_ error: JSONRPCError, id: RequestID) -> Response {
        Response(id: id, outcome: .error(error))
    }

    /// The response as written on the wire: `jsonrpc`, `id` (null included) and exactly one of `result`
    /// (null included) and `error`.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "id": id.jsonValue]
        switch outcome {
        case .result(let value): object["result"] = value
        case .error(let error): object["error"] = error.jsonValue
        }
        return .object(object)
    }
}

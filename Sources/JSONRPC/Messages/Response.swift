import JSON

/// A JSON-RPC 2.0 response: a result or an error, for the request with the same id.
package struct Response: Sendable, Equatable {
    package enum Outcome: Sendable, Equatable {
        /// A result, which may hold a document's text passed on as it is.
        case result(JSONOutput)
        case error(JSONRPCError)
    }

    /// The id of the request answered, or null when it could not be read.
    package let id: RequestID
    package let outcome: Outcome

    package init(id: RequestID, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    package static func result(_ value: JSONValue, id: RequestID) -> Response {
        Response(id: id, outcome: .result(.value(value)))
    }

    package static func error(_ error: JSONRPCError, id: RequestID) -> Response {
        Response(id: id, outcome: .error(error))
    }

    /// The response as written on the wire: `jsonrpc`, `id` (null included) and exactly one of `result`
    /// (null included) and `error`.
    package var output: JSONOutput {
        let answer: (key: String, value: JSONOutput) =
            switch outcome {
            case .result(let result): ("result", result)
            case .error(let error): ("error", .value(error.jsonValue))
            }
        return .object([("jsonrpc", .value("2.0")), ("id", .value(id.jsonValue)), answer])
    }

    /// The wire form as a value (its texts parsed).
    package var jsonValue: JSONValue { output.value }
}

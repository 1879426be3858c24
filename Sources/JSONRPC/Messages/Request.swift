import JSON

/// A valid JSON-RPC 2.0 request or notification.
package struct Request: Sendable, Equatable {
    /// The id to answer with, or `nil` for a notification, which is never answered.
    package let id: RequestID?
    /// The method to call.
    package let method: String
    /// The parameters: absent, an object (by name) or an array (by position).
    package let params: JSONValue?

    package init(id: RequestID?, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Reads a request from one JSON value, checking every rule of the specification (section 4).
    ///
    /// The id is recovered first, so that a request with a valid id but, say, no method is still answered
    /// with its own id. The error's id is `nil` when the value is not an object or its id is itself invalid,
    /// and such errors are answered with `"id": null` even though no id was given.
    package static func decode(_ value: JSONValue) -> Result<Request, InvalidRequest> {
        guard case .object(let object) = value else {
            return .failure(
                InvalidRequest(
                    id: .null, error: .invalidRequest("a request must be an object, not \(value.typeDescription)")))
        }
        var id: RequestID?
        if let idValue = object["id"] {
            guard let valid = RequestID(idValue) else {
                return .failure(
                    InvalidRequest(
                        id: .null,
                        error: .invalidRequest(
                            "'id' must be a string, a number or null, not \(idValue.typeDescription)")))
            }
            id = valid
        }
        let answerID = id ?? .null
        guard object["jsonrpc"] == .string("2.0") else {
            return .failure(InvalidRequest(id: answerID, error: .invalidRequest("'jsonrpc' must be exactly \"2.0\"")))
        }
        guard case .string(let method)? = object["method"] else {
            let found = object["method"].map { "not \($0.typeDescription)" } ?? "and it is missing"
            return .failure(InvalidRequest(id: answerID, error: .invalidRequest("'method' must be a string, \(found)")))
        }
        let params = object["params"]
        switch params {
        case nil, .object?, .array?: break
        case let other?:
            return .failure(
                InvalidRequest(
                    id: answerID,
                    error: .invalidRequest("'params' must be an object or an array, not \(other.typeDescription)")))
        }
        if let unexpected = object.keys.first(where: { !["jsonrpc", "id", "method", "params"].contains($0) }) {
            return .failure(InvalidRequest(id: answerID, error: .invalidRequest("unexpected member '\(unexpected)'")))
        }
        return .success(Request(id: id, method: method, params: params))
    }
}

/// A message that is not a valid request, with the id to answer it with.
package struct InvalidRequest: Error, Sendable, Equatable {
    package let id: RequestID
    package let error: JSONRPCError
}

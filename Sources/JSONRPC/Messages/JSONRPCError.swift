import JSON

/// A JSON-RPC error object: what a request that could not be served is answered with.
///
/// `message` is one sentence for a person; `data` carries structured detail for a program.
package struct JSONRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error codes this server uses: the specification's reserved codes, plus -32000 for a method that ran
    /// and failed, and the Language Server Protocol's -32800 for a cancelled request.
    package struct Code: RawRepresentable, Sendable, Hashable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }

        /// The line is not valid JSON.
        package static let parseError = Code(rawValue: -32700)
        /// The JSON is not a valid request object.
        package static let invalidRequest = Code(rawValue: -32600)
        /// No method has that name.
        package static let methodNotFound = Code(rawValue: -32601)
        /// The method exists but its parameters are wrong.
        package static let invalidParams = Code(rawValue: -32602)
        /// The server failed in a way it did not foresee.
        package static let internalError = Code(rawValue: -32603)
        /// The method ran and failed (for this plugin: a Chaos Toolkit `FailedActivity`).
        package static let serverError = Code(rawValue: -32000)
        /// The request was cancelled before it completed.
        package static let requestCancelled = Code(rawValue: -32800)
    }

    package let code: Code
    package let message: String
    package let data: JSONValue?

    package init(code: Code, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    package var description: String { "\(code.rawValue): \(message)" }

    /// The error object as written in a response.
    package var jsonValue: JSONValue {
        var object: JSONObject = ["code": .number(JSONNumber(code.rawValue)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    package static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .parseError, message: "Parse error: \(detail)")
    }

    package static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .invalidRequest, message: "Invalid Request: \(detail)")
    }

    package static func methodNotFound(_ method: String, available: [String]) -> JSONRPCError {
        JSONRPCError(
            code: .methodNotFound, message: "Method not found: '\(method)'",
            data: ["method": .string(method), "available": .array(available.map { .string($0) })])
    }

    /// Invalid parameters; `message` is said as it is, since it names the parameter at fault.
    package static func invalidParams(_ message: String, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: .invalidParams, message: message, data: data)
    }

    package static func internalError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .internalError, message: "Internal error: \(detail)")
    }

    package static let requestCancelled = JSONRPCError(code: .requestCancelled, message: "Request cancelled")

    /// A request cancelled because the server is shutting down (SIGTERM, SIGINT) before it finished.
    package static let shuttingDown = JSONRPCError(
        code: .requestCancelled, message: "Request cancelled: the plugin is shutting down")
}

import JSON

/// A JSON-RPC error object: what a request that could not be served is answered with.
///
/// `message` is one sentence for a person; `data` carries structured detail for a program.
public struct JSONRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error codes this server uses: the specification's reserved codes, plus -32000 for a method that ran
    /// and failed, and the Language Server Protocol's -32800 for a cancelled request.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The line is not valid JSON.
        public static let parseError = Code(rawValue: -32700)
        /// The JSON is not a valid request object.
        public static let invalidRequest = Code(rawValue: -32600)
        /// No method has that name.
        public static let methodNotFound = Code(rawValue: -32601)
        /// The method exists but its parameters are wrong.
        public static let invalidParams = Code(rawValue: -32602)
        /// The server failed in a way it did not foresee.
        public static let internalError = Code(rawValue: -32603)
        /// The method ran and failed (for this plugin: a Chaos Toolkit `FailedActivity`).
        public static let serverError = Code(rawValue: -32000)
        /// The request was cancelled before it completed.
        public static let requestCancelled = Code(rawValue: -32800)
    }

    public let code: Code
    public let message: String
    public let data: JSONValue?

    public init(code: Code, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error object as written in a response.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["code": .number(JSONNumber(code.rawValue)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    public static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .parseError, message: "Parse error: \(detail)")
    }

    public static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .invalidRequest, message: "Invalid Request: \(detail)")
    }

    public static func methodNotFound(_ method: String, available: [String]) -> JSONRPCError {
        JSONRPCError(
            code: .methodNotFound, message: "Method not found: '\(method)'",
            data: ["method": .string(method), "available": .array(available.map { .string($0) })])
    }

    /// Invalid parameters; `message` is said as it is, since it names the parameter at fault.
    public static func invalidParams(_ message: String, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: .invalidParams, message: message, data: data)
    }

    public static func internalError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: .internalError, message: "Internal error: \(detail)")
    }

    public static let requestCancelled = JSONRPCError(code: .requestCancelled, message: "Request cancelled")

    /// A request cancelled because the server is shutting down (SIGTERM, SIGINT) before it finished.
    public static let shuttingDown = JSONRPCError(
        code: .requestCancelled, message: "Request cancelled: the plugin is shutting down")
}

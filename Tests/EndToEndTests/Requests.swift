import JSON

/// Request lines for the end-to-end tests.
enum Requests {
    /// A probe call as one JSON-RPC line.
    static func call(
        _ method: String, id: JSONValue, arguments: JSONObject, configuration: JSONObject? = nil
    ) -> String {
        var params: JSONObject = ["arguments": .object(arguments)]
        if let configuration { params["configuration"] = .object(configuration) }
        return JSONValue.object(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)])
            .serializedString()
    }
}

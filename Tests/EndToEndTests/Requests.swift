import JSON

/// Request lines for the end-to-end tests.
enum Requests {
    /// A probe call as one JSON-RPC line, with the experiment's `configuration` and the activity's `secrets`
    /// (a flat mapping) when given.
    static func call(
        _ method: String, id: JSONValue, arguments: JSONObject, configuration: JSONObject? = nil,
        secrets: JSONObject? = nil
    ) -> String {
        var params: JSONObject = ["arguments": .object(arguments)]
        if let configuration { params["configuration"] = .object(configuration) }
        if let secrets { params["secrets"] = .object(secrets) }
        return JSONValue.object(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)])
            .serializedString()
    }
}

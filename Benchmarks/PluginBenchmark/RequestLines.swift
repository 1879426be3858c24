import JSON

/// The JSON-RPC request lines the benchmark writes to the plugin, each ending in a newline.
enum RequestLines {
    /// `query` of `up` (the plugin's default base URL applies).
    static func queryUp(id: Int) -> [UInt8] {
        Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"query","params":{"arguments":{"query":"up"}}}"#.utf8) + [0x0A]
    }

    /// `query_interval` of `query` from `start` to `end` (epoch seconds) every `step` seconds.
    static func queryInterval(id: Int, query: String, start: Int, end: Int, step: Double) -> [UInt8] {
        let request: JSONValue = [
            "jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": "query_interval",
            "params": [
                "arguments": [
                    "query": .string(query), "start": .string(String(start)), "end": .string(String(end)),
                    "step": step == step.rounded() ? .number(JSONNumber(Int(step))) : JSONValue(step),
                ]
            ],
        ]
        return request.serialized() + [0x0A]
    }

    /// `count` `query up` lines with ids `firstID` onwards, as one block of bytes to write at once.
    static func queryUpBurst(count: Int, firstID: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in firstID..<(firstID + count) { bytes += queryUp(id: id) }
        return bytes
    }
}

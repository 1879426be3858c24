import JSON

/// Notifications a method's handler sends to the peer while it serves a request, such as progress.
///
/// A server runs its calls with its writer bound to them (a task-local value), so a notification goes through
/// the one writer of the output: it is a whole line of its own, and it comes out before the answer of the request
/// whose handler sent it, since the handler waits for it to be written.
package enum PeerNotification {
    @TaskLocal static var writer: LineWriter?

    /// Writes the notification `method` with `params` to the peer of the call being served. Returns `false` when
    /// nothing was written: outside a server's call, or once the output is closed.
    @discardableResult
    package static func send(_ method: String, params: JSONValue) async -> Bool {
        guard let writer else { return false }
        let notification: JSONValue = ["jsonrpc": "2.0", "method": .string(method), "params": params]
        return await writer.send(line: [notification.serialized()])
    }
}

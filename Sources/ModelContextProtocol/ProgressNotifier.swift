import JSON
import JSONRPC
import Locking

/// Sends `notifications/progress` for the call whose request carried `_meta.progressToken`.
///
/// Each report counts one step: `progress` is 1, 2, 3, ... (the specification wants it to increase), with no
/// `total`, since a wait or a query does not know its number of steps, and a `message` saying what happened.
/// Reports are written before the call's answer, never after it.
package final class ProgressNotifier: Sendable {
    private let token: JSONValue
    private let steps = Locked(0)

    /// A notifier for the call whose progress token is `token`, a string or an integer.
    package init(token: JSONValue) {
        self.token = token
    }

    /// The notifier for a request's `params`, or `nil` when they carry no valid progress token.
    package static func forRequest(_ params: JSONValue?) -> ProgressNotifier? {
        guard let token = params?["_meta"]?["progressToken"] else { return nil }
        switch token {
        case .string: return ProgressNotifier(token: token)
        case .number(let number) where number.intValue != nil: return ProgressNotifier(token: token)
        default: return nil
        }
    }

    /// Reports one more step, described by `message`.
    package func report(_ message: String) async {
        guard !Task.isCancelled else { return }  // a cancelled call gets nothing more written for it
        let step = steps.withLock { count -> Int in
            count += 1
            return count
        }
        await PeerNotification.send(
            "notifications/progress",
            params: ["progressToken": token, "progress": .number(JSONNumber(step)), "message": .string(message)])
    }
}

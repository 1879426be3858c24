import JSON
import JSONRPC
import PluginLog

/// The Model Context Protocol's logging (revisions 2024-11-05 to 2025-11-25): the client picks a level with
/// `logging/setLevel`, and the lines a tool call logs at or above it reach the client as `notifications/message`
/// `{"level", "logger", "data"}`, after the call's secrets are filtered out of them (``Logger/lineFilter``) and
/// before the call's answer.
///
/// The protocol's eight syslog levels map onto the plugin's: `debug`; `info` and `notice`; `warning`; `error` and
/// above. The plugin's `trace` lines are never sent.
enum LogMessages {
    /// The protocol's levels, least severe first.
    static let levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]

    /// The level before any `logging/setLevel`: what the plugin itself writes by default.
    static let defaultMinimum = LogLevel.warning

    /// The plugin's least level that `name` asks for, or `nil` for a name that is not a level.
    static func minimum(named name: String) -> LogLevel? {
        switch name {
        case "debug": .debug
        case "info", "notice": .info
        case "warning": .warning
        case "error", "critical", "alert", "emergency": .error
        default: nil
        }
    }

    /// Sends what `observer` collected as `notifications/message`, and a warning for lines it dropped.
    static func send(_ observer: LineObserver) async {
        let (lines, dropped) = observer.take()
        for line in lines {
            guard !Task.isCancelled else { return }  // a cancelled call gets nothing more written for it
            await PeerNotification.send(
                "notifications/message",
                params: [
                    "level": .string(name(of: line.level)), "logger": .string(line.label),
                    "data": .string(line.message),
                ])
        }
        if dropped > 0, !Task.isCancelled {
            await PeerNotification.send(
                "notifications/message",
                params: [
                    "level": "warning", "logger": "mcp",
                    "data": .string("\(dropped) more log lines of this call were left out"),
                ])
        }
    }

    private static func name(of level: LogLevel) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error, .off: "error"
        }
    }
}

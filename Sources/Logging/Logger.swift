#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking

/// Writes log lines to standard error, never standard output, which carries protocol messages only.
///
/// A logger is a value: copy it freely, hand it to any thread. Logging never waits for standard error: lines go
/// to a bounded queue that a thread of their own writes out (``LogSink``), whole, so lines from concurrent
/// requests never interleave.
///
/// ```swift
/// let logger = Logger(label: "prometheus", level: .debug)
/// logger.debug("querying \(url)")
/// ```
public struct Logger: Sendable {
    /// The component that writes, shown in every line.
    public let label: String
    /// Lines below this level are not written (nor is their message built).
    public let level: LogLevel
    private let sink: LogSink

    /// A logger for `label` writing lines at `level` and above to `sink`.
    public init(label: String, level: LogLevel, sink: LogSink = .standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// A logger for another component, with the same level and destination.
    public func withLabel(_ label: String) -> Logger {
        Logger(label: label, level: level, sink: sink)
    }

    /// A logger that writes nothing.
    public static let disabled = Logger(label: "", level: .off)

    /// Whether a line at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level && level != .off
    }

    /// What every line logged within a task (and the tasks it starts) passes through before it is written: set
    /// by whoever knows what must never be shown in that task's lines, such as the secrets of one call.
    @TaskLocal public static var lineFilter: LineFilter?

    /// Writes `message` at `level`, through the task's ``lineFilter``; the message is built only when the line is
    /// written.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard isEnabled(level) else { return }
        let filtered = Self.lineFilter.map { $0.apply(message()) } ?? message()
        sink.write("\(level) [\(label)] \(Self.oneLine(filtered))\n")
    }

    /// `message` on one line: line breaks, escape sequences and other control characters become `\u{..}`, so
    /// that no text a host or a server supplied (a time argument, a server's error) can forge a log line or reach
    /// a terminal as a command.
    public static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return message }
        var line = ""
        for scalar in message.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                line += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    public func trace(_ message: @autoclosure () -> String) { log(.trace, message()) }
    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
}

/// A rewriting of log lines, such as the redaction of a call's secrets (see ``Logger/lineFilter``).
///
/// A class rather than a bare closure: a task-local optional closure crashed `swift_task_localValuePush` in
/// optimized builds of Swift 6.3.
public final class LineFilter: Sendable {
    /// The rewriting.
    public let apply: @Sendable (String) -> String

    public init(_ apply: @escaping @Sendable (String) -> String) {
        self.apply = apply
    }
}

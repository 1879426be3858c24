import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
package struct Logger: Sendable {
    /// The component that writes, shown in every line.
    package let label: String
    /// Lines below this level are not written (nor is their message built).
    package let level: LogLevel
    private let sink: LogSink

    /// A logger for `label` writing lines at `level` and above to `sink`.
    package init(label: String, level: LogLevel, sink: LogSink = .standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// A logger for another component, with the same level and destination.
    package func withLabel(_ label: String) -> Logger {
        Logger(label: label, level: level, sink: sink)
    }

    /// A logger that writes nothing.
    package static let disabled = Logger(label: "", level: .off)

    /// Whether a line at `level` would be written.
    package func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level && level != .off
    }

    /// What every line logged within a task (and the tasks it starts) passes through before it is written: set
    /// by whoever knows what must never be shown in that task's lines, such as the secrets of one call.
    @TaskLocal package static var lineFilter: LineFilter?

    /// Who else reads the lines logged within a task (and the tasks it starts), whatever the logger's own level:
    /// a peer that asked for them, such as an editor's Model Context Protocol session. It gets each line at or
    /// above its own level, after the ``lineFilter``.
    @TaskLocal package static var lineObserver: LineObserver?

    /// Writes `message` at `level`, through the task's ``lineFilter``; the message is built only when the line is
    /// written.
    package func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        let observer = Self.lineObserver.flatMap { $0.wants(level) ? $0 : nil }
        let written = isEnabled(level)
        guard written || observer != nil else { return }
        let filtered = Self.oneLine(Self.lineFilter.map { $0.apply(message()) } ?? message())
        if written { sink.write("\(level) [\(label)] \(filtered)\n") }
        observer?.observe(LogLine(level: level, label: label, message: filtered))
    }

    /// `message` on one line: line breaks, escape sequences and other control characters become `\u{..}`, so
    /// that no text a host or a server supplied (a time argument, a server's error) can forge a log line or reach
    /// a terminal as a command.
    package static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return message
        }
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

    package func trace(_ message: @autoclosure () -> String) { log(.trace, message()) }
    package func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    package func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    package func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    package func error(_ message: @autoclosure () -> String) { log(.error, message()) }
}

/// A rewriting of log lines, such as the redaction of a call's secrets (see ``Logger/lineFilter``).
///
/// A class rather than a bare closure: a task-local optional closure crashed `swift_task_localValuePush` in
/// optimized builds of Swift 6.3.
package final class LineFilter: Sendable {
    /// The rewriting.
    package let apply: @Sendable (String) -> String

    package init(_ apply: @escaping @Sendable (String) -> String) {
        self.apply = apply
    }
}

/// One log line, as a ``LineObserver`` gets it: filtered, on one line.
package struct LogLine: Sendable, Equatable {
    package let level: LogLevel
    package let label: String
    package let message: String

    package init(level: LogLevel, label: String, message: String) {
        self.level = level
        self.label = label
        self.message = message
    }
}

/// Collects the lines logged within a task at or above ``minimum`` (see ``Logger/lineObserver``), at most
/// ``capacity`` of them: past it, lines are counted, not kept. Whoever bound it takes them with ``take()``.
package final class LineObserver: Sendable {
    /// The least level collected.
    package let minimum: LogLevel
    /// The most lines kept until the next ``take()``.
    package let capacity: Int
    private let state = Locked<(lines: [LogLine], dropped: Int)>(([], 0))

    package init(minimum: LogLevel, capacity: Int = 1000) {
        self.minimum = minimum
        self.capacity = capacity
    }

    func wants(_ level: LogLevel) -> Bool { level >= minimum && level != .off }

    func observe(_ line: LogLine) {
        state.withLock { state in
            if state.lines.count < capacity { state.lines.append(line) } else { state.dropped += 1 }
        }
    }

    /// The lines collected since the last call, and how many were dropped for want of room.
    package func take() -> (lines: [LogLine], dropped: Int) {
        state.withLock { state in
            defer { state = ([], 0) }
            return state
        }
    }
}

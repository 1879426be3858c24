import ChaosToolkit
import Foundation
import JSON

/// The argument types and readings the Prometheus probes share.
extension ArgumentType {
    /// Seconds as a number, or a Prometheus duration string (`"30s"`); shown as `number` in discovery.
    static let seconds = ArgumentType(
        name: "number", expectation: "a number of seconds or a duration string such as \"30s\""
    ) { $0.numberValue != nil || $0.stringValue != nil }

    /// A range query's step: the original declares an integer; a duration string (`"15s"`) is accepted too.
    static let step = ArgumentType(
        name: "integer", expectation: "a number of seconds or a duration string such as \"15s\""
    ) { $0.numberValue != nil || $0.stringValue != nil }
}

extension ActivityArgument {
    static let query = ActivityArgument.required("query", .string)
    static let timeout = ActivityArgument.optional("timeout", .seconds, default: nil)
    static let verifyTLS = ActivityArgument.optional("verify_tls", .boolean, default: true)
}

extension ActivityCall {
    /// The instant a time argument names, read with the environment's clock and zone.
    func time(_ name: String, in environment: ProbeEnvironment) throws(FailedActivity) -> Date? {
        guard let text = arguments.string(name) else { return nil }
        do {
            return try TimeExpression.parse(text, now: environment.now(), timeZone: environment.timeZone)
        } catch {
            throw FailedActivity(
                error.description, reason: .invalidTime, detail: ["argument": .string(name), "value": .string(text)])
        }
    }

    /// A positive length of time given as seconds or a duration string, or `nil` when not given.
    func duration(_ name: String) throws(FailedActivity) -> PrometheusDuration? {
        let value = arguments[name]
        if value == .null { return nil }
        guard let duration = PrometheusDuration(value) else {
            throw FailedActivity(
                "argument '\(name)' must be a positive number of seconds or a duration such as \"30s\", not \(value.serializedString())",
                reason: .invalidArgument, detail: ["argument": .string(name)])
        }
        return duration
    }

    /// Whether to verify the server's certificate.
    var verifyTLS: Bool { arguments.bool("verify_tls") ?? true }
}

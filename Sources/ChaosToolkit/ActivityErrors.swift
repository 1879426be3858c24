import JSON

/// The arguments of a call do not fit the activity's signature; nothing was run.
///
/// The message uses the Chaos Toolkit's own words, such as
/// `required argument 'query' is missing from activity 'query'`.
public struct ActivityArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// An activity ran and failed: the Chaos Toolkit's `FailedActivity` (`ActivityFailed`).
///
/// `message` is for the person running the experiment; `reason` is a short class a program can branch on,
/// and `detail` any structured facts that help (an HTTP status, the server's error type).
public struct FailedActivity: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short, stable class of failure, such as `unreachable` or `timeout`; each extension declares its own.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let message: String
    public let reason: Reason
    public let detail: JSONObject

    public init(_ message: String, reason: Reason, detail: JSONObject = [:]) {
        self.message = message
        self.reason = reason
        self.detail = detail
    }

    public var description: String { message }
}

extension FailedActivity.Reason {
    /// An argument has the right type but a value the activity cannot use (a step of 0, start after end).
    public static let invalidArgument = Self(rawValue: "invalid_argument")
}

extension FailedActivity {
    /// This failure with `redaction` applied to its message and every text of its detail.
    public func redacting(_ redaction: Redaction) -> FailedActivity {
        guard !redaction.isEmpty else { return self }
        return FailedActivity(
            redaction.apply(message), reason: reason,
            detail: JSONObject(detail.map { ($0.key, redaction.apply(to: $0.value)) }))
    }
}

extension FailedActivity {
    /// What a host gets as the failure's data: `type` ("FailedActivity"), the `activity`, the `reason`, then the
    /// members of ``detail``.
    public func errorData(activity: String) -> JSONObject {
        var data: JSONObject = [
            "type": "FailedActivity", "activity": .string(activity), "reason": .string(reason.rawValue),
        ]
        for (key, value) in detail { data[key] = value }
        return data
    }
}

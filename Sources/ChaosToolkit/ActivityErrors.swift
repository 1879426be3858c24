import JSON

/// The arguments of a call do not fit the activity's signature; nothing was run.
///
/// The message uses the Chaos Toolkit's own words, such as
/// `required argument 'query' is missing from activity 'query'`.
package struct ActivityArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// An activity ran and failed: the Chaos Toolkit's `FailedActivity` (`ActivityFailed`).
///
/// `message` is for the person running the experiment; `reason` is a short class a program can branch on,
/// and `detail` any structured facts that help (an HTTP status, the server's error type).
package struct FailedActivity: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short, stable class of failure, such as `unreachable` or `timeout`; each extension declares its own.
    package struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }
    }

    package let message: String
    package let reason: Reason
    package let detail: JSONObject

    package init(_ message: String, reason: Reason, detail: JSONObject = [:]) {
        self.message = message
        self.reason = reason
        self.detail = detail
    }

    package var description: String { message }
}

extension FailedActivity.Reason {
    /// An argument has the right type but a value the activity cannot use (a step of 0, start after end).
    package static let invalidArgument = Self(rawValue: "invalid_argument")
}

extension FailedActivity {
    /// This failure with `redaction` applied to its message and every text of its detail.
    package func redacting(_ redaction: Redaction) -> FailedActivity {
        guard !redaction.isEmpty else { return self }
        return FailedActivity(
            redaction.apply(message), reason: reason,
            detail: JSONObject(detail.map { ($0.key, redaction.apply(to: $0.value)) }))
    }
}

extension FailedActivity {
    /// What a host gets as the failure's data: `type` ("FailedActivity"), the `activity`, the `reason`, then the
    /// members of ``detail``.
    package func errorData(activity: String) -> JSONObject {
        var data: JSONObject = [
            "type": "FailedActivity", "activity": .string(activity), "reason": .string(reason.rawValue),
        ]
        for (key, value) in detail { data[key] = value }
        return data
    }
}

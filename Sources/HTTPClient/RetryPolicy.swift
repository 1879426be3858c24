import CivilCalendar

/// How ``HTTPClient`` tries a request again after a transient failure.
///
/// Transient means the server may well answer the next time: the connection was refused or broke
/// (``HTTPError/Kind/couldNotConnect``, ``HTTPError/Kind/transport``), or it answered 429, 502, 503 or 504.
/// Anything else, a 4xx such as 400 in particular, is final. Every attempt fits within the request's one
/// `timeout`: an attempt gets what is left of it, and no wait is started that would end past it.
///
/// Between attempts the client waits `Retry-After` when a 429 or 503 gives it (seconds or an HTTP date),
/// otherwise a backoff that doubles from ``firstDelay`` up to ``longestDelay``, each wait jittered to between
/// half and all of it, so that many callers failing together do not come back together.
package struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; at least 1.
    package var maximumAttempts: Int
    /// The backoff before the second attempt.
    package var firstDelay: Duration
    /// The longest backoff.
    package var longestDelay: Duration

    package init(maximumAttempts: Int, firstDelay: Duration = .milliseconds(200), longestDelay: Duration = .seconds(5))
    {
        self.maximumAttempts = max(1, maximumAttempts)
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
    }

    /// A single attempt.
    package static let once = RetryPolicy(maximumAttempts: 1)

    /// Statuses worth another attempt.
    static let transientStatuses: Set<Int> = [429, 502, 503, 504]

    /// A refused or broken connection, or a TLS session ended before any answer (a reset looks the same).
    static func isTransient(_ error: HTTPError) -> Bool {
        [.couldNotConnect, .transport, .tlsAlert].contains(error.kind)
    }

    /// The jittered backoff after attempt number `attempt` (1 for the first).
    package func backoff(after attempt: Int) -> Duration {
        let doubled = firstDelay * (1 << min(attempt - 1, 20))
        let capped = min(doubled, longestDelay)
        return capped * Double.random(in: 0.5...1.0)
    }

    /// The wait a `Retry-After` header asks for, read at `now` (seconds since 1970): delay-seconds or an HTTP date.
    package static func retryAfter(_ value: String?, now: Double = UnixTime.now.secondsSince1970) -> Duration? {
        guard var value = value?[...] else { return nil }
        while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        guard !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        guard
            let date = HTTPDate.secondsSince1970(
                String(value), currentYear: HTTPDate.year(ofSecondsSince1970: Int(now)))
        else { return nil }
        return .milliseconds(Int64(max(0, Double(date) - now) * 1000))
    }
}

import ChaosToolkit

/// What a server said, made fit for a one-line message.
/// A server's text as a message may quote it: on one line, without control characters (a `\n` would forge a log
/// line, an escape sequence would reach a terminal), and short. Only the first ``inspected`` bytes are looked at,
/// so a body of hundreds of megabytes costs no more than a small one.
package enum Shortened {
    package static let limit = 500
    package static let inspected = 64 << 10

    /// The body as text, `(empty body)` when there is none, with the call's redaction (``Redaction/current``)
    /// applied before anything is cut.
    package static func text(_ body: [UInt8]) -> String {
        let text = line(body[...], total: body.count)
        return text.isEmpty ? "(empty body)" : text
    }

    /// A text from a server's document (Prometheus's `error` and `errorType`).
    package static func text(_ string: String) -> String {
        line(ArraySlice(string.utf8.prefix(inspected)), total: string.utf8.count)
    }

    /// Secrets redacted, white space and control characters folded to single spaces, cut at ``limit`` characters,
    /// saying how long the whole was when it was cut. Redaction comes first: a secret cut in half, or split by
    /// folding, would no longer be recognised.
    private static func line(_ bytes: ArraySlice<UInt8>, total: Int) -> String {
        var folded = ""
        var pendingSpace = false
        var characters = 0
        let text = Redaction.current.apply(String(decoding: bytes.prefix(inspected), as: UTF8.self))
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                pendingSpace = !folded.isEmpty
                continue
            }
            if characters >= limit { return folded + "… (\(total) bytes in all)" }
            if pendingSpace {
                folded.append(" ")
                characters += 1
                pendingSpace = false
            }
            folded.unicodeScalars.append(scalar)
            characters += 1
        }
        return total > bytes.count || bytes.count > inspected ? folded + "… (\(total) bytes in all)" : folded
    }
}

/// A revision of the Model Context Protocol that opens a session with `initialize`.
///
/// The stateless revision 2026-07-28 (`server/discover`, a protocol version in every request's `_meta`) is not
/// among them: `server/discover` is answered at once with "method not found", which makes clients fall back to
/// `initialize` (protocol.md says why).
// swift-format-ignore: AlwaysUseLowerCamelCase
// Named as the revisions are dated.
package enum ProtocolRevision: String, CaseIterable, Sendable, Comparable {
    case v2024_11_05 = "2024-11-05"
    case v2025_03_26 = "2025-03-26"
    case v2025_06_18 = "2025-06-18"
    case v2025_11_25 = "2025-11-25"

    /// The newest revision supported, answered to a client that asks for one this server does not know.
    package static let latest = ProtocolRevision.v2025_11_25

    /// The revision to answer a client that asks for `requested`: that one when supported, else the latest, as
    /// the specification has it (the client then decides whether it can go on).
    package static func negotiated(for requested: String) -> ProtocolRevision {
        ProtocolRevision(rawValue: requested) ?? latest
    }

    /// Whether tools carry `annotations` (from 2025-03-26).
    var hasToolAnnotations: Bool { self >= .v2025_03_26 }

    /// Whether tools carry `title` and `outputSchema`, and results `structuredContent` (from 2025-06-18).
    var hasStructuredContent: Bool { self >= .v2025_06_18 }

    package static func < (lhs: ProtocolRevision, rhs: ProtocolRevision) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

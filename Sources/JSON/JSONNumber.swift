/// A JSON number, kept as the exact text of the JSON grammar.
///
/// Keeping the text rather than a `Double` means integers beyond 2^53 and Prometheus timestamps survive a
/// round trip unchanged, and the reader decides how to interpret them (``intValue``, ``doubleValue``).
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, always valid JSON number syntax.
    package let text: String

    /// Wraps text already known to follow the JSON number grammar (the parser's output).
    init(validatedText: String) {
        self.text = validatedText
    }

    /// The number written as `text`, kept exactly, or `nil` when `text` does not follow the JSON number grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    package init?(exactly text: String) {
        let valid = Array(text.utf8).withUnsafeBufferPointer { bytes in
            (try? JSONGrammar.numberEnd(in: bytes, from: 0).get()) == bytes.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// The number for an integer.
    package init(_ value: Int) {
        self.text = String(value)
    }

    /// The number for a finite double, in the shortest text that reads back as the same double; `nil` for NaN and
    /// ±infinity, which JSON has no number for (``JSONValue/init(_:)`` writes them as `null`, the one rule
    /// protocol.md states).
    package init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// The value as a `Double` (large values lose precision; out-of-range values are infinite).
    package var doubleValue: Double {
        Double(text) ?? .nan
    }

    /// The value as an `Int` when it is a whole number within `Int`'s range (`2`, `2.0`, `2e0`), else `nil`.
    package var intValue: Int? {
        if let exact = Int(text) { return exact }
        let double = doubleValue
        guard double.isFinite, double == double.rounded(), abs(double) < 9.0e15 else { return nil }
        return Int(double)
    }

    package var description: String { text }

    /// Numbers are equal when they have the same value, so `1`, `1.0` and `1e0` are one number.
    package static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || lhs.canonical == rhs.canonical
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(canonical)
    }

    private var canonical: String {
        if let integer = Int(text) { return String(integer) }
        let double = doubleValue
        if double.isFinite, double == double.rounded(), abs(double) < 9.0e15 { return String(Int(double)) }
        return "\(double)"
    }
}

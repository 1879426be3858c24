/// What is written where a JSON value goes: a value, a document's checked text passed on as it is, or an object or
/// an array of those.
///
/// A server's answer of megabytes reaches a response line as its ``JSONText``, never parsed into a tree and
/// written again; ``JSONValue`` stays a plain value, which every reader can match on. An output is only written
/// (or, where something must look inside, parsed back with ``value``).
///
/// ```swift
/// let answer = JSONOutput.object([("jsonrpc", .value("2.0")), ("id", .value(1)), ("result", .text(document))])
/// answer.serializedChunks() // the document's bytes a chunk of their own
/// ```
///
/// Not `indirect`: the recursion goes through arrays already, and an indirect enum keeps its box's pointer with the
/// case in spare bits, where LeakSanitizer cannot see it; an answer still being written when the host went away was
/// reported as a leak.
package enum JSONOutput: Sendable, Equatable {
    case value(JSONValue)
    case text(JSONText)
    case object([(key: String, value: JSONOutput)])
    case array([JSONOutput])

    /// The value this output writes, its texts parsed (each time: keep it when it is needed more than once).
    package var value: JSONValue {
        switch self {
        case .value(let value): value
        case .text(let text): text.value
        case .object(let members): .object(JSONObject(members.map { ($0.key, $0.value.value) }))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// Whether both write the same value (their texts parsed: for tests and checks, not for a hot path).
    package static func == (left: JSONOutput, right: JSONOutput) -> Bool {
        switch (left, right) {
        case (.value(let left), .value(let right)): left == right
        case (.text(let left), .text(let right)) where left == right: true
        default: left.value == right.value
        }
    }

    /// The compact UTF-8 JSON text of this output: no insignificant white space, so never a raw newline.
    package func serialized() -> [UInt8] {
        var writer = ChunkWriter(largeText: .max)
        write(into: &writer)
        return writer.current
    }

    /// The compact JSON text of this output as a `String`.
    package func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// The compact JSON text of this output in non-empty pieces that, joined, are ``serialized()``: each text of
    /// `largeText` bytes or more is a piece of its own, shared rather than copied, so a document of megabytes passed
    /// on as it is never gets copied into a line.
    package func serializedChunks(largeText: Int = 64 << 10) -> [[UInt8]] {
        var writer = ChunkWriter(largeText: largeText)
        writer.current.reserveCapacity(256)
        write(into: &writer)
        if !writer.current.isEmpty || writer.chunks.isEmpty { writer.chunks.append(writer.current) }
        return writer.chunks
    }

    /// Pieces of text, a large text kept apart.
    private struct ChunkWriter {
        let largeText: Int
        var chunks: [[UInt8]] = []
        var current: [UInt8] = []
    }

    private func write(into writer: inout ChunkWriter) {
        switch self {
        case .value(let value):
            value.write(to: &writer.current)
        case .text(let text) where text.bytes.count >= writer.largeText:
            if !writer.current.isEmpty { writer.chunks.append(writer.current) }
            writer.chunks.append(text.bytes)
            writer.current = []
        case .text(let text):
            writer.current.append(contentsOf: text.bytes)
        case .object(let members):
            writer.current.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { writer.current.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, to: &writer.current)
                writer.current.append(UInt8(ascii: ":"))
                member.value.write(into: &writer)
            }
            writer.current.append(UInt8(ascii: "}"))
        case .array(let elements):
            writer.current.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.current.append(UInt8(ascii: ",")) }
                element.write(into: &writer)
            }
            writer.current.append(UInt8(ascii: "]"))
        }
    }
}

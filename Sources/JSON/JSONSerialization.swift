extension JSONValue {
    /// The compact UTF-8 JSON text of this value: no insignificant white space, so never a raw newline.
    ///
    /// Strings escape only what JSON requires (`"`, `\`, control characters); `/` and non-ASCII text are
    /// written as they are.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        write(to: &output)
        return output
    }

    /// The compact JSON text of this value in non-empty pieces that, joined, are ``serialized()``: each
    /// ``text(_:)`` of `largeText` bytes or more is a piece of its own, shared rather than copied, so a document of megabytes
    /// passed on as it is never gets copied into a line.
    public func serializedChunks(largeText: Int = 64 << 10) -> [[UInt8]] {
        var writer = ChunkWriter(largeText: largeText)
        writer.current.reserveCapacity(256)
        write(into: &writer)
        if !writer.current.isEmpty || writer.chunks.isEmpty { writer.chunks.append(writer.current) }
        return writer.chunks
    }

    /// The compact JSON text of this value as a `String`.
    public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// Appends the compact JSON text of this value to `output`.
    public func write(to output: inout [UInt8]) {
        var writer = ChunkWriter(largeText: .max)
        swap(&writer.current, &output)
        write(into: &writer)
        swap(&writer.current, &output)
    }

    /// The one writer of every value: pieces of text, a large ``text(_:)`` kept apart.
    private struct ChunkWriter {
        let largeText: Int
        var chunks: [[UInt8]] = []
        var current: [UInt8] = []

        init(largeText: Int) {
            self.largeText = largeText
        }
    }

    private func write(into writer: inout ChunkWriter) {
        switch self {
        case .null: writer.current.append(contentsOf: "null".utf8)
        case .bool(let flag): writer.current.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writer.current.append(contentsOf: number.text.utf8)
        case .string(let string): JSONValue.writeString(string, to: &writer.current)
        case .array(let elements):
            writer.current.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.current.append(UInt8(ascii: ",")) }
                element.write(into: &writer)
            }
            writer.current.append(UInt8(ascii: "]"))
        case .object(let object):
            writer.current.append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { writer.current.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, to: &writer.current)
                writer.current.append(UInt8(ascii: ":"))
                member.value.write(into: &writer)
            }
            writer.current.append(UInt8(ascii: "}"))
        case .text(let text) where text.bytes.count >= writer.largeText:
            if !writer.current.isEmpty { writer.chunks.append(writer.current) }
            writer.chunks.append(text.bytes)
            writer.current = []
        case .text(let text):
            writer.current.append(contentsOf: text.bytes)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `string` as a quoted JSON string.
    public static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

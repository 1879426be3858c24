import JSON

/// Cuts a tool's result to what an assistant can take in, and says so.
///
/// A model's context is small: a range query of every `up` series over a day is megabytes, and assistants refuse
/// or truncate tool answers of some tens of thousands of tokens blindly. A result whose JSON passes the bound keeps
/// as many of its leading series (Prometheus's `data.result`, or the `result` list of a wrapped value) as fit; when
/// not even one whole series fits, the first keeps as many leading samples as fit. The result stays valid JSON of
/// the same shape, with a member `truncated` added: how much was kept, and a note on how to ask for less. The
/// bound covers the result's JSON; members beside the list (Prometheus's `warnings`) are kept whole, and a result
/// with no list to cut is left whole.
///
/// Prometheus's document, passed on as text (``JSONText``), is cut as text: its elements are found by scanning
/// the compact text, never by building a tree of a document that may be hundreds of megabytes.
struct ToolResultBound {
    /// The most bytes of JSON a tool result may take.
    let maximumBytes: Int

    /// 100,000 bytes, about 25,000 tokens: the size of answer that assistants take in whole.
    static let defaultMaximumBytes = 100_000

    /// Room kept for the `truncated` member, whose note is short.
    private static let noteRoom = 700

    /// The bytes of `result`'s JSON, when they are more than the bound; `nil` when it fits.
    func excess(of result: JSONOutput) -> Int? {
        let size = Self.size(of: result)
        return size > maximumBytes ? size : nil
    }

    /// `result`, of `size` bytes of JSON (``excess(of:)``), cut to the bound; with the note that goes with the cut.
    /// A value is cut as its compact text, the way Prometheus's document passed on as text is.
    func apply(to result: JSONOutput, size: Int) -> (result: JSONOutput, note: String?) {
        let bytes: [UInt8] = if case .text(let text) = result { text.bytes } else { result.serialized() }
        return cutText(bytes, size: size) ?? (result, nil)
    }

    /// The bytes of `result`'s JSON; a large text is counted without being copied.
    private static func size(of result: JSONOutput) -> Int {
        result.serializedChunks().reduce(0) { $0 + $1.count }
    }

    private func cutText(_ bytes: [UInt8], size: Int) -> (result: JSONOutput, note: String?)? {
        guard let open = CompactJSONScanner.arrayOpening(member: "result", in: bytes[...]),
            let list = CompactJSONScanner.elements(ofArrayAt: open, in: bytes[...]), bytes.last == UInt8(ascii: "}")
        else { return nil }
        let head = bytes[...open]  // up to and with the list's `[`
        let tail = bytes[list.close..<(bytes.count - 1)]  // from the list's `]`, without the document's last `}`
        var room = maximumBytes - Self.noteRoom - head.count - tail.count - 1
        var kept: [ArraySlice<UInt8>] = []
        for element in list.ranges {
            let cost = element.count + (kept.isEmpty ? 0 : 1)
            guard cost <= room else { break }
            kept.append(bytes[element])
            room -= cost
        }
        var samples: (kept: Int, total: Int)?
        if kept.isEmpty, let first = list.ranges.first {
            let series = bytes[first]
            if let valuesOpen = CompactJSONScanner.arrayOpening(member: "values", in: series),
                let values = CompactJSONScanner.elements(ofArrayAt: valuesOpen, in: series)
            {
                var cut = Array(series[...valuesOpen])
                let closing = series[values.close...]
                var count = 0
                for value in values.ranges {
                    let cost = value.count + (count == 0 ? 0 : 1)
                    guard cut.count + cost + closing.count <= room else { break }
                    if count > 0 { cut.append(UInt8(ascii: ",")) }
                    cut += series[value]
                    count += 1
                }
                cut += closing
                if cut.count <= room {  // else even its labels alone pass the bound: no series is kept
                    kept = [cut[...]]
                    samples = (count, values.ranges.count)
                }
            }
        }
        let (note, truncated) = Self.note(
            kept: kept.count, of: list.ranges.count, samples: samples, size: size, bound: maximumBytes)
        var output = Array(head)
        output.reserveCapacity(maximumBytes)
        for (index, element) in kept.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += element
        }
        output += tail
        output += Array(",\"truncated\":".utf8) + JSONValue.object(truncated).serialized() + [UInt8(ascii: "}")]
        guard let text = try? JSONText(validating: output) else { return nil }
        return (.text(text), note)
    }

    /// The note, and the `truncated` member that carries it.
    private static func note(
        kept: Int, of total: Int, samples: (kept: Int, total: Int)?, size: Int, bound: Int
    ) -> (String, JSONObject) {
        var note = "The result was cut to \(kept) of \(total) series"
        if let samples { note += ", the first of them to \(samples.kept) of \(samples.total) samples" }
        note +=
            " (\(size) bytes of JSON, more than the \(bound) a tool result may take here). "
            + "Ask for less: select fewer series with label matchers (up{job=\"api\"}), aggregate them "
            + "(sum by (job) (...), topk(5, ...)), or for a range use a shorter range or a larger step."
        var truncated: JSONObject = [
            "keptSeries": .number(JSONNumber(kept)), "totalSeries": .number(JSONNumber(total)),
            "bytes": .number(JSONNumber(size)), "note": .string(note),
        ]
        if let samples {
            truncated["keptSamples"] = .number(JSONNumber(samples.kept))
            truncated["totalSamples"] = .number(JSONNumber(samples.total))
        }
        return (note, truncated)
    }
}

/// Finds values in compact, valid JSON text without parsing it: a quote inside a string is always escaped
/// there, so a member name followed by `:[` can only be the member itself, and strings are skipped by their quotes.
enum CompactJSONScanner {
    /// The index of the `[` that opens the first array-valued member `name`, or `nil`.
    static func arrayOpening(member name: String, in bytes: ArraySlice<UInt8>) -> Int? {
        let pattern = Array("\"\(name)\":[".utf8)
        return bytes.firstRange(of: pattern).map { $0.upperBound - 1 }
    }

    /// The ranges of the elements of the array whose `[` is at `open`, and the index of its `]`; `nil` when the
    /// text is not what it should be.
    static func elements(ofArrayAt open: Int, in bytes: ArraySlice<UInt8>) -> (ranges: [Range<Int>], close: Int)? {
        var position = open + 1
        guard position < bytes.endIndex else { return nil }
        if bytes[position] == UInt8(ascii: "]") { return ([], position) }
        var ranges: [Range<Int>] = []
        while position < bytes.endIndex {
            let end = valueEnd(in: bytes, from: position)
            guard end < bytes.endIndex, end > position else { return nil }
            ranges.append(position..<end)
            switch bytes[end] {
            case UInt8(ascii: ","): position = end + 1
            case UInt8(ascii: "]"): return (ranges, end)
            default: return nil
            }
        }
        return nil
    }

    /// Where the value that starts at `start` ends: the index just after it.
    private static func valueEnd(in bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        var position = start
        var depth = 0
        var inString = false
        while position < bytes.endIndex {
            let byte = bytes[position]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    position += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return position + 1 }
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return position }  // the end of the enclosing array: a scalar ended here
                    depth -= 1
                    if depth == 0 { return position + 1 }
                case UInt8(ascii: ","):
                    if depth == 0 { return position }
                default: break
                }
            }
            position += 1
        }
        return bytes.endIndex
    }
}

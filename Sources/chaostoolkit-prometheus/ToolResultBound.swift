import JSON

/// Cuts a tool's result to what an assistant can take in, and says so.
///
/// A model's context is small: a range query of every `up` series over a day is megabytes, and assistants refuse
/// or truncate tool answers of some tens of thousands of tokens blindly. A result whose JSON passes the bound keeps
/// as many of its leading series (Prometheus's `data.result`, or the `result` list of a wrapped value) as fit; when
/// not even one whole series fits, the first keeps as many leading samples as fit. The result stays valid JSON of
/// the same shape, with a member `truncated` added: how much was kept, and a note on how to ask for less. A result
/// with no list to cut is left whole.
struct ToolResultBound {
    /// The most bytes of JSON a tool result may take.
    let maximumBytes: Int

    /// 100,000 bytes, about 25,000 tokens: the size of answer that assistants take in whole.
    static let defaultMaximumBytes = 100_000

    /// `result` as it is when it fits, else cut; with the note that goes with the cut.
    func apply(to result: JSONValue) -> (result: JSONValue, note: String?) {
        let size = result.serialized().count
        guard size > maximumBytes, var object = result.parsed.objectValue else { return (result, nil) }
        let path = object["data"]?["result"]?.arrayValue != nil ? ["data", "result"] : ["result"]
        guard let series = Self.value(at: path, in: object)?.arrayValue, !series.isEmpty else { return (result, nil) }

        // Room for the note member, whose text is short.
        let budget = maximumBytes - 600
        func fits(_ candidate: [JSONValue]) -> Bool {
            JSONValue.object(Self.setting(.array(candidate), at: path, in: object)).serialized().count <= budget
        }
        var kept = Self.longestPrefix(of: series, fitting: fits)
        var samples: (kept: Int, total: Int)?
        if kept.isEmpty, var first = series[0].objectValue, let values = first["values"]?.arrayValue {
            let fittingValues = Self.longestPrefix(of: values) { candidate in
                first["values"] = .array(candidate)
                return fits([.object(first)])
            }
            first["values"] = .array(fittingValues)
            kept = [.object(first)]
            samples = (fittingValues.count, values.count)
        }
        var note = "The result was cut to \(kept.count) of \(series.count) series"
        if let samples { note += ", the first of them to \(samples.kept) of \(samples.total) samples" }
        note += " (\(size) bytes of JSON, more than the \(maximumBytes) a tool result may take here). "
            + "Ask for less: select fewer series with label matchers (up{job=\"api\"}), aggregate them "
            + "(sum by (job) (...), topk(5, ...)), or for a range use a shorter range or a larger step."
        object = Self.setting(.array(kept), at: path, in: object)
        var truncated: JSONObject = [
            "keptSeries": .number(JSONNumber(kept.count)), "totalSeries": .number(JSONNumber(series.count)),
            "bytes": .number(JSONNumber(size)), "note": .string(note),
        ]
        if let samples {
            truncated["keptSamples"] = .number(JSONNumber(samples.kept))
            truncated["totalSamples"] = .number(JSONNumber(samples.total))
        }
        object["truncated"] = .object(truncated)
        return (.object(object), note)
    }

    /// The longest leading part of `elements` for which `fits` holds (`fits` holds for shorter parts too).
    private static func longestPrefix(of elements: [JSONValue], fitting fits: ([JSONValue]) -> Bool) -> [JSONValue] {
        var low = 0, high = elements.count  // fits(elements[..<low]) holds; past `high` it does not
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(Array(elements[..<middle])) { low = middle } else { high = middle - 1 }
        }
        return Array(elements[..<low])
    }

    private static func value(at path: [String], in object: JSONObject) -> JSONValue? {
        var current: JSONValue = .object(object)
        for key in path {
            guard let next = current.parsed.objectValue?[key] else { return nil }
            current = next
        }
        return current.parsed
    }

    private static func setting(_ value: JSONValue, at path: [String], in object: JSONObject) -> JSONObject {
        var copy = object
        guard let key = path.first else { return copy }
        copy[key] = path.count == 1
            ? value : .object(setting(value, at: Array(path.dropFirst()), in: copy[key]?.parsed.objectValue ?? [:]))
        return copy
    }
}

import ActivityHTTP
import ChaosToolkit
import JSON

/// One series of an instant query's answer: its labels and its value at the evaluation time.
package struct Sample: Sendable {
    /// The series' labels (`{}` for a scalar or an aggregate without labels).
    package let labels: JSONObject
    /// The value as Prometheus wrote it: `"0.25"`, `"NaN"`, `"+Inf"`.
    package let text: String
    /// The value read from ``text``.
    package let value: Double

    /// The value as a JSON number, exactly as Prometheus wrote it when it is one; `nil` for NaN and ±Inf,
    /// which JSON cannot carry.
    package var number: JSONNumber? {
        guard value.isFinite else { return nil }
        return JSONNumber(exactly: text) ?? JSONNumber(value)
    }

    /// `{"labels": {...}, "value": <number or null>}`, how the probes give a series.
    var json: JSONValue {
        ["labels": .object(labels), "value": number.map(JSONValue.number) ?? .null]
    }

    /// `up{job="api", instance="a:9100"}` (`{}` when there are no labels), for messages.
    var seriesName: String { Self.seriesName(labels) }

    static func seriesName(_ labels: JSONObject) -> String {
        let name = labels["__name__"]?.stringValue ?? ""
        let others = labels.filter { $0.key != "__name__" }
            .map { "\($0.key)=\(JSONValue.string($0.value.stringValue ?? "").serializedString())" }
        return others.isEmpty && !name.isEmpty ? name : name + "{" + others.joined(separator: ", ") + "}"
    }
}

extension Sample {
    /// The samples of an instant query's answer: each series of a vector, or the one value of a scalar.
    ///
    /// - Throws: ``FailedActivity`` (`bad_response`) when the answer is a range vector or a string, which hold
    ///   no single value per series, or is not shaped as the Prometheus API documents.
    static func samples(of document: JSONValue, query: String) throws(FailedActivity) -> [Sample] {
        let data = document["data"]
        switch data?["resultType"]?.stringValue {
        case "vector":
            guard let series = data?["result"]?.arrayValue else { throw malformed(query, document) }
            var samples: [Sample] = []
            samples.reserveCapacity(series.count)
            for entry in series {
                guard let labels = entry["metric"]?.objectValue, let point = entry["value"] else {
                    throw malformed(query, document)
                }
                samples.append(try sample(labels: labels, point: point, query: query))
            }
            return samples
        case "scalar":
            guard let point = data?["result"] else { throw malformed(query, document) }
            return [try sample(labels: [:], point: point, query: query)]
        case "matrix":
            throw FailedActivity(
                "the query '\(query)' returns a range vector (several samples per series), not one value per series: select an instant vector (drop the [range]), or aggregate it, such as max_over_time(...)",
                reason: .invalidArgument, detail: ["argument": "query"])
        case let other:
            throw FailedActivity(
                "the query '\(query)' returns \(other.map { "a \($0)" } ?? "no result type"), not numbers",
                reason: .invalidArgument, detail: ["argument": "query"])
        }
    }

    /// A `[timestamp, "value"]` point of `labels`.
    static func sample(labels: JSONObject, point: JSONValue, query: String) throws(FailedActivity) -> Sample {
        guard let text = point.arrayValue?.last?.stringValue, let value = SampleValue.parse(text) else {
            throw FailedActivity(
                "the query '\(query)' returned a sample that is not a number: \(point.serializedString())",
                reason: .badResponse)
        }
        return Sample(labels: labels, text: text, value: value)
    }

    private static func malformed(_ query: String, _ document: JSONValue) -> FailedActivity {
        FailedActivity(
            "the answer to '\(query)' is not shaped as the Prometheus API documents: \(Shortened.text(Array(document.serializedString().utf8)))",
            reason: .badResponse)
    }
}

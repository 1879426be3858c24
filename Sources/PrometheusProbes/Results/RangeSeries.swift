import ChaosToolkit
import JSON

/// One series of a range query's answer: its labels and its points.
struct RangeSeries: Sendable {
    let labels: JSONObject
    /// `[timestamp, value]`, the value a JSON number as Prometheus wrote it, or `null` for NaN and ±Inf.
    let points: [JSONValue]

    /// `{"labels": {...}, "values": [[timestamp, number], ...]}`, how `query_values` gives a series.
    var json: JSONValue { ["labels": .object(labels), "values": .array(points)] }

    /// The series of a range query's answer, their values made numbers.
    static func series(of document: JSONValue, query: String) throws(FailedActivity) -> [RangeSeries] {
        var all: [RangeSeries] = []
        for entry in try matrix(of: document, query: query) {
            let labels = entry["metric"]?.objectValue ?? [:]
            var points: [JSONValue] = []
            for point in entry["values"]?.arrayValue ?? [] {
                let sample = try Sample.sample(labels: labels, point: point, query: query)
                points.append([point.arrayValue?.first ?? .null, sample.number.map(JSONValue.number) ?? .null])
            }
            all.append(RangeSeries(labels: labels, points: points))
        }
        return all
    }

    /// The series of a range query's answer (`data.result` of a `matrix`), or the failure saying it is not one.
    static func matrix(of document: JSONValue, query: String) throws(FailedActivity) -> [JSONValue] {
        guard document["data"]?["resultType"] == "matrix", let result = document["data"]?["result"]?.arrayValue else {
            throw FailedActivity("the range query of '\(query)' did not answer with a matrix", reason: .badResponse)
        }
        return result
    }
}

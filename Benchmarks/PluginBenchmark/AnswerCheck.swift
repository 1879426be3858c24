import JSON

/// Checks, after the clock has stopped, that the plugin's answers are what was asked: one valid JSON-RPC success
/// response per request id, each with Prometheus's `"status": "success"` document. A benchmark of wrong answers
/// would measure nothing.
enum AnswerCheck {
    /// Checks `lines` answer exactly the ids `expected`, each with a successful result; returns the parsed results.
    @discardableResult
    static func verify(_ lines: [[UInt8]], ids expected: Range<Int>) throws -> [JSONValue] {
        guard lines.count == expected.count else {
            throw BenchmarkError("expected \(expected.count) answers, read \(lines.count)")
        }
        var seen = Set<Int>()
        var results: [JSONValue] = []
        for line in lines {
            let answer: JSONValue
            do {
                answer = try JSONValue(parsing: line)
            } catch {
                throw BenchmarkError(
                    "an answer line is not JSON (\(error)): \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            if let failure = answer["error"] {
                throw BenchmarkError("the plugin answered an error: \(failure.description.prefix(400))")
            }
            guard let id = answer["id"]?.numberValue?.intValue, expected.contains(id), seen.insert(id).inserted else {
                throw BenchmarkError(
                    "an answer with an unexpected or repeated id: \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            guard let result = answer["result"], result["status"] == "success" else {
                throw BenchmarkError(
                    "an answer without a successful result: \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            results.append(result)
        }
        return results
    }
}

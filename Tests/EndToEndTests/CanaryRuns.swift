import JSON
import TestSupport
import Testing

/// Calls through the plugin for the tests of real endpoints (TLS, passwords, tokens, gateways, proxies,
/// compatible backends): one call per plugin, logging at its most verbose, so that the check of every run
/// (``Canary/secret``, the password and token those endpoints take, never written out) is at its strictest.
enum CanaryRuns {
    /// Sends `request` to a new plugin started with `--log-level trace` and `environment` (added to the test's
    /// own), expects it to exit cleanly (``PluginProcess`` fails a run that wrote out ``Canary/secret``), and
    /// returns its response.
    static func response(
        to request: String, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let run = try await PluginProcess.run([request], arguments: ["--log-level", "trace"], environment: environment)
        #expect(run.status == 0, "standard error: \(run.standardError)", sourceLocation: sourceLocation)
        return try #require(
            run.messages.first, "no response; standard error: \(run.standardError)", sourceLocation: sourceLocation)
    }

    /// Expects `response` to be Prometheus's answer to `vector(1)`: a successful instant vector of one sample, 1.
    static func expectVectorOfOne(_ response: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let result = response["result"] else {
            Issue.record("expected Prometheus's answer, got \(response)", sourceLocation: sourceLocation)
            return
        }
        #expect(result["status"] == "success", "\(response)", sourceLocation: sourceLocation)
        #expect(result["data"]?["resultType"] == "vector", "\(response)", sourceLocation: sourceLocation)
        let samples = result["data"]?["result"]?.arrayValue
        #expect(
            samples?.count == 1 && samples?.first?["value"]?.arrayValue?.last == "1", "\(response)",
            sourceLocation: sourceLocation)
    }

    /// Expects `response` to be a `FailedActivity` (`-32000`) whose `data.reason` is `reason`, and returns its error.
    @discardableResult
    static func expectFailure(
        _ response: JSONValue, reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSONValue? {
        let error = response["error"]
        #expect(error?["code"] == -32000, "\(response)", sourceLocation: sourceLocation)
        #expect(error?["data"]?["type"] == "FailedActivity", "\(response)", sourceLocation: sourceLocation)
        #expect(error?["data"]?["reason"] == .string(reason), "\(response)", sourceLocation: sourceLocation)
        return error
    }
}

extension JSONObject {
    /// This object with the members of `other` added, replacing members of the same name.
    func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in other { merged[key] = value }
        return merged
    }
}

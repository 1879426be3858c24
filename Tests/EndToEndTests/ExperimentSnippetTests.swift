import Foundation
import JSON
import TestSupport
import Testing

/// One Chaos Toolkit activity shown in the documentation (a ```` ```json experiment ```` block).
struct ExperimentSnippet: CustomTestStringConvertible, Sendable {
    let file: String
    let line: Int
    let text: String

    var testDescription: String { "\(file) line \(line)" }

    /// Every ```` ```json experiment ```` block of protocol.md and README.md.
    static let all: [ExperimentSnippet] = ["protocol.md", "README.md"].flatMap { file -> [ExperimentSnippet] in
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../\(file)")
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        var snippets: [ExperimentSnippet] = []
        var index = 0
        while index < lines.count {
            if lines[index] == "```json experiment" {
                let start = index + 1
                var end = start
                while end < lines.count, lines[end] != "```" { end += 1 }
                snippets.append(
                    ExperimentSnippet(file: file, line: start, text: lines[start..<end].joined(separator: "\n")))
                index = end
            }
            index += 1
        }
        return snippets
    }
}

/// The activities the documentation shows are ones the plugin runs as written: each `python` provider's
/// arguments fit its method's signature, and each `process` provider calls a probe that exists.
@Suite("The experiment snippets of the documentation")
struct ExperimentSnippetTests {
    @Test func everyProbeThatJudgesHasASnippetInBothDocuments() {
        for file in ["protocol.md", "README.md"] {
            let text = ExperimentSnippet.all.filter { $0.file == file }.map(\.text).joined()
            for probe in [
                "query_value", "query_values", "check_threshold", "wait_for_threshold", "change_ratio", "alerts",
                "targets",
            ] {
                #expect(text.contains("\"\(probe)\""), "\(file) shows no snippet of \(probe)")
            }
        }
    }

    @Test(arguments: ExperimentSnippet.all)
    func runsAsWritten(_ snippet: ExperimentSnippet) async throws {
        let activity = try JSONValue(parsing: Array(snippet.text.utf8))
        let provider = try #require(activity["provider"])
        #expect(activity["type"] == "probe" && activity["tolerance"] != nil)
        switch provider["type"]?.stringValue {
        case "python":
            let method = try #require(provider["func"]?.stringValue)
            #expect(provider["module"] == "chaosprometheus.probes")
            let prometheus = try await PrometheusServer.shared()
            let request = JSONValue.object([
                "jsonrpc": "2.0", "id": 1, "method": .string(method),
                "params": [
                    "arguments": provider["arguments"] ?? [:],
                    "configuration": ["prometheus_base_url": .string(prometheus.baseURL)],
                ],
            ]).serializedString()
            let plugin = try PluginProcess()
            plugin.send(request)
            // Arguments that do not fit are answered at once; a probe still running (a wait) has taken them.
            if (try? await plugin.response(id: 1, timeout: .seconds(5))) == nil {
                plugin.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#)
            }
            let run = try await plugin.finish()
            // It ran: a result; cancelled while still waiting; or no data yet where a snippet looks further back
            // (10 minutes) than the test's Prometheus has lived. Any other failure means the snippet is wrong.
            let answer = try #require(run.messages.first, "\(run.standardError)")
            #expect(
                answer["result"] != nil || answer["error"]?["code"] == -32800
                    || answer["error"]?["data"]?["reason"] == "no_data",
                "\(run.lines)")
        case "process":
            let arguments = provider["arguments"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(provider["path"] == "chaostoolkit-prometheus")
            #expect(arguments.first == "call")
            let discovered = try await PluginProcess.run([#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#])
            let names =
                discovered.messages.first?["result"]?["activities"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                ?? []
            #expect(arguments.count > 1 && names.contains(arguments[1]), "\(arguments)")
        default:
            Issue.record("a snippet with a provider the plugin does not serve: \(provider)")
        }
    }
}

import Foundation
import JSON
import TestSupport
import Testing

/// One example of protocol.md: the lines a person pastes, and the answers documented for them.
struct DocumentedExample: CustomTestStringConvertible, Sendable {
    let requests: [String]
    let responses: [String]
    let line: Int
    /// The server the example is written for, named in its info string (```` ```json request tls ````);
    /// `nil` for the plugin's usual Prometheus.
    let endpoint: String?

    var testDescription: String { "protocol.md line \(line): \(requests.first ?? "")" }

    /// The examples for the usual Prometheus, Pushgateway and node exporter.
    static var usual: [DocumentedExample] { all.filter { $0.endpoint == nil } }

    /// Every ```` ```json request ```` block of protocol.md with the ```` ```json response ```` block after it.
    static let all: [DocumentedExample] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../protocol.md")
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        var examples: [DocumentedExample] = []
        var pendingRequests: (lines: [String], line: Int, endpoint: String?)?
        var index = 0
        func block(from start: Int) -> [String] {
            var body: [String] = []
            var cursor = start + 1
            while cursor < lines.count, lines[cursor] != "```" {
                body.append(lines[cursor])
                cursor += 1
            }
            index = cursor
            return body
        }
        while index < lines.count {
            if lines[index].hasPrefix("```json request") {
                let start = index
                let endpoint = lines[index].dropFirst("```json request".count).trimmingCharacters(in: .whitespaces)
                pendingRequests = (block(from: index), start + 1, endpoint.isEmpty ? nil : endpoint)
            } else if lines[index] == "```json response", let requests = pendingRequests {
                examples.append(
                    DocumentedExample(
                        requests: requests.lines, responses: block(from: index), line: requests.line,
                        endpoint: requests.endpoint))
                pendingRequests = nil
            }
            index += 1
        }
        return examples
    }()
}

@Suite("The examples of protocol.md, pasted into the plugin")
struct ProtocolDocumentTests {
    @Test func theDocumentHasExamplesForEveryErrorCode() {
        let documented = DocumentedExample.usual.flatMap(\.responses).joined()
        #expect(DocumentedExample.usual.count >= 12)
        for code in ["-32700", "-32600", "-32601", "-32602", "-32000"] {
            #expect(documented.contains("\"code\":\(code)"), "no example answers \(code)")
        }
    }

    @Test(arguments: DocumentedExample.usual)
    func answersAsDocumented(_ example: DocumentedExample) async throws {
        let servers = try await SharedServers.shared.get()
        let plugin = try PluginProcess(arguments: [
            "--prometheus-base-url", servers.prometheus.baseURL, "--pushgateway-url", servers.pushgateway.baseURL,
        ])
        // As a person pastes them: one line at a time, waiting for the answer of each request with an id.
        for line in example.requests {
            plugin.send(line)
            switch (try? JSONValue(parsing: line))?["id"] {
            case let id? where id.stringValue != nil || id.numberValue != nil: _ = try await plugin.response(id: id)
            default: break  // no id, or one the plugin cannot answer with (it answers null)
            }
        }
        let run = try await plugin.finish()
        #expect(run.status == 0, "standard error: \(run.standardError)")
        let expected = try example.responses.map { try JSONValue(parsing: $0) }
        #expect(
            JSONPattern.linesMatch(run.messages, expected),
            "got:\n\(run.lines.joined(separator: "\n"))\nexpected:\n\(example.responses.joined(separator: "\n"))")
    }
}

@Suite("Documented patterns")
struct JSONPatternTests {
    @Test func anEllipsisStandsForAnyValueOrTheRestOfAString() throws {
        #expect(JSONPattern.matches(["a": [1, "x"]], ["a": "…"]))
        #expect(JSONPattern.matches("failed: refused after 3 ms", "failed: refused…"))
        #expect(!JSONPattern.matches("failed: timeout", "failed: refused…"))
        #expect(!JSONPattern.matches(["a": 1, "b": 2], ["a": "…"]))
        #expect(!JSONPattern.matches([1, 2], ["…"]))
        #expect(JSONPattern.linesMatch([["id": 2], ["id": 1]], [["id": 1], ["id": 2]]))
        #expect(!JSONPattern.linesMatch([["id": 1], ["id": 1]], [["id": 1], ["id": 2]]))
    }
}

import Foundation
import JSON
import TestSupport

/// The official Python MCP SDK as the plugin's client: `Hosts/mcp/mcp_check.py`, run in `.build/mcp-venv`
/// (which `scripts/install-dependencies` makes), starting the plugin itself as an editor does.
enum MCPClient {
    /// The report of `scenario` (see the script), run against the built plugin started with `arguments`.
    static func run(
        _ scenario: String, pluginArguments arguments: [String], environment extra: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> (report: JSONValue, log: String) {
        let python = ChaosCommand.root.appendingPathComponent(".build/mcp-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing: scripts/install-dependencies makes .build/mcp-venv")
        }
        let script = ChaosCommand.root.appendingPathComponent("Hosts/mcp/mcp_check.py").path
        let child = try Subprocess(
            python, arguments: [script, scenario, PluginProcess.executable.path] + arguments,
            environment: Subprocess.currentEnvironment.merging(extra) { $1 }, output: .pipe, error: .pipe,
            defaultSignals: true)
        let output = OutputCollector(child.standardOutput!)
        let errors = OutputCollector(child.standardError!)
        let status = try await child.waitForExit(timeout: timeout)
        let printed = String(decoding: try await output.collected(timeout: .seconds(10)), as: UTF8.self)
        let log = String(decoding: try await errors.collected(timeout: .seconds(10)), as: UTF8.self)
        guard status == 0, let last = printed.split(separator: "\n").last,
            let report = try? JSONValue(parsing: String(last))
        else {
            throw TestSupportError("mcp_check.py \(scenario) exited \(status); its output:\n\(printed)\n\(log)")
        }
        return (report, printed + log)
    }
}

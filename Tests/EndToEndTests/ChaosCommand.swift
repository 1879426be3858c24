import Foundation
import JSON
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `chaos` command (chaostoolkit from PyPI) of one of the Python environments that
/// `scripts/install-dependencies` makes, run on an experiment to its end.
///
/// Every run has the built plugin on its `PATH` and in `CHAOSTOOLKIT_PROMETHEUS_PLUGIN`, so both the one-shot
/// `process` providers and the host adapter's `python` providers reach it, and its own log file (chaos writes
/// `chaostoolkit.log` into the working directory otherwise).
struct ChaosCommand: Sendable {
    /// Which `chaosprometheus` package the environment holds.
    enum Extension: String, Sendable, CustomStringConvertible {
        /// This project's host adapter (`Hosts/chaostoolkit`), in `.build/chaostoolkit-venv`.
        case adapter = "chaostoolkit-venv"
        /// The Python original, chaostoolkit-prometheus 0.6.0, in `.build/chaosprometheus-original-venv`.
        case original = "chaosprometheus-original-venv"

        var description: String { self == .adapter ? "the host adapter" : "the Python original" }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL

    let extensionPackage: Extension

    init(_ extensionPackage: Extension = .adapter) {
        self.extensionPackage = extensionPackage
    }

    /// The environment's folder.
    var environmentFolder: URL { Self.root.appendingPathComponent(".build/\(extensionPackage.rawValue)") }

    /// A program of the environment (`chaos`, `python`).
    func program(_ name: String) throws -> String {
        let path = environmentFolder.appendingPathComponent("bin/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: scripts/install-dependencies makes \(environmentFolder.path)")
        }
        return path
    }

    /// The environment a run gets: the test's own, with the plugin on the PATH and named for the adapter.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = Subprocess.currentEnvironment
        let plugin = PluginProcess.executable
        environment["PATH"] = plugin.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["CHAOSTOOLKIT_PROMETHEUS_PLUGIN"] = plugin.path
        return environment.merging(extra) { $1 }
    }

    /// What one run left behind.
    struct Run: Sendable {
        /// chaos's exit status.
        let status: Int32
        /// The journal, parsed.
        let journal: JSONValue
        /// chaos's log file (every level) and its console output.
        let log: String

        /// The run's status in the journal: `completed`, `failed`, `aborted` or `interrupted`.
        var journalStatus: String? { journal["status"]?.stringValue }
        /// Whether the hypothesis held before the method, and after it.
        var steadyStateMetBefore: Bool? { journal["steady_states"]?["before"]?["steady_state_met"]?.flag }
        var steadyStateMetAfter: Bool? { journal["steady_states"]?["after"]?["steady_state_met"]?.flag }

        /// Every activity run of the journal (steady states, method, rollbacks), by activity name, in order.
        var activityRuns: [(name: String, run: JSONValue)] {
            let states = journal["steady_states"]
            let groups = [
                states?["before"]?["probes"], journal["run"], journal["rollbacks"], states?["after"]?["probes"],
            ]
            return groups.compactMap { $0?.arrayValue }.joined().compactMap { run in
                run["activity"]?["name"]?.stringValue.map { ($0, run) }
            }
        }
    }

    /// Runs `chaos run` on `experiment` with `variables` (`--var`), waiting `timeout` at most.
    ///
    /// `whileRunning`, when given, is called once chaos has started, with chaos itself and its log file: chaos
    /// then leads a process group of its own (started through `setsid`), so the test can signal the group as a
    /// terminal's Ctrl-C does.
    func run(
        _ experiment: URL, variables: [String: String] = [:], environment extra: [String: String] = [:],
        timeout: Duration = .seconds(120),
        whileRunning: (@Sendable (Subprocess, URL) async throws -> Void)? = nil
    ) async throws -> Run {
        let chaos = try program("chaos")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("journal.json")
        let logFile = folder.appendingPathComponent("chaostoolkit.log")
        let arguments =
            ["--no-version-check", "--log-file", logFile.path, "run", "--journal-path", journal.path]
            + variables.sorted { $0.key < $1.key }.flatMap { ["--var", "\($0.key)=\($0.value)"] } + [experiment.path]
        let (path, commandLine) = whileRunning == nil ? (chaos, arguments) : ("/usr/bin/setsid", [chaos] + arguments)
        var started: (@Sendable (Subprocess) async throws -> Void)?
        if let whileRunning { started = { child in try await whileRunning(child, logFile) } }
        let finished = try await Subprocess.run(
            path, arguments: commandLine, environment: Self.environment(extra), timeout: timeout, defaultSignals: true,
            whileRunning: started)
        let log =
            ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "") + finished.outputText + finished.errorText
        guard let data = FileManager.default.contents(atPath: journal.path),
            let document = try? JSONValue(parsing: Array(data))
        else {
            throw TestSupportError("chaos run (\(extensionPackage)) wrote no journal; its output:\n\(log)")
        }
        return Run(status: finished.status, journal: document, log: log)
    }

    /// Writes `experiment` to a file of its own for ``run(_:variables:environment:timeout:whileRunning:)``; the
    /// caller removes it.
    static func write(_ experiment: JSONValue) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString).json")
        try Data(experiment.serializedString().utf8).write(to: file)
        return file
    }

    /// `examples/<name>.json`, parsed.
    static func example(_ name: String) throws -> JSONValue {
        let url = root.appendingPathComponent("examples/\(name).json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestSupportError("\(url.path) is missing")
        }
        return try JSONValue(parsing: Array(data))
    }
}

extension JSONValue {
    /// The boolean, when this is one.
    var flag: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}

import Foundation

/// `scripts/benchmark --profile`: instead of timing, runs the plugin under `valgrind --tool=callgrind`, which
/// counts instructions repeatably on a noisy machine, three times: answering one `query` of `up` (start-up, figure
/// 5), answering ``BenchmarkSettings/profileQueries`` of them one at a time (figures 1–3), and answering a few
/// large range results (6, 7). Each run starts the plugin anew, so the start-up profile is the baseline the other
/// two are read against. The script annotates the files it leaves.
enum CallgrindProfiles {
    static func run(directory: String, baseURL: String, rangeStart: Int, settings: BenchmarkSettings) throws {
        guard let valgrind = ChildRun.which("valgrind") else {
            throw BenchmarkError(
                "valgrind is missing: install Debian's 'valgrind' package (scripts/benchmark --profile does)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let runs = min(settings.largeRuns, 3)
        // For the script: how many calls each profile holds.
        try "\(settings.profileQueries) \(runs)\n".write(
            toFile: "\(directory)/counts", atomically: true, encoding: .utf8)
        try profile("startup", valgrind: valgrind, directory: directory, baseURL: baseURL, settings: settings) {
            plugin in
            try AnswerCheck.verify([try plugin.call(RequestLines.queryUp(id: 1), timeout: 60)], ids: 1..<2)
        }
        try profile("sequential", valgrind: valgrind, directory: directory, baseURL: baseURL, settings: settings) {
            plugin in
            var answers: [[UInt8]] = []
            for id in 1...settings.profileQueries {
                answers.append(try plugin.call(RequestLines.queryUp(id: id), timeout: 60))
            }
            try AnswerCheck.verify(answers, ids: 1..<(settings.profileQueries + 1))
        }
        try profile("large", valgrind: valgrind, directory: directory, baseURL: baseURL, settings: settings) { plugin in
            var answers: [[UInt8]] = []
            for id in 1...runs {
                let line = RequestLines.queryInterval(
                    id: id, query: settings.rangeQuery, start: rangeStart, end: rangeStart + settings.rangeSeconds,
                    step: settings.rangeStep)
                answers.append(try plugin.call(line, timeout: 120))
            }
            try AnswerCheck.verify(answers, ids: 1..<(runs + 1))
            Progress.say("large answers: \(answers.map { Formatting.megabytes($0.count) }.joined(separator: ", "))")
        }
    }

    /// Runs the plugin under callgrind, hands it to `work`, then ends its input and waits (60 s at most) for
    /// callgrind to write `callgrind.<name>.out`.
    private static func profile(
        _ name: String, valgrind: String, directory: String, baseURL: String, settings: BenchmarkSettings,
        work: (PluginLink) throws -> Void
    ) throws {
        let output = "\(directory)/callgrind.\(name).out"
        try? FileManager.default.removeItem(atPath: output)
        Progress.say("profiling the \(name) path under callgrind")
        let plugin = try PluginLink(
            executable: valgrind,
            arguments: [
                "-q", "--tool=callgrind", "--callgrind-out-file=\(output)", settings.plugin, "--prometheus-base-url",
                baseURL,
            ],
            environment: settings.valgrindPreload.map { ["LD_PRELOAD": $0] } ?? [:])
        try work(plugin)
        plugin.finish(grace: 60)
        guard FileManager.default.fileExists(atPath: output) else {
            throw BenchmarkError("callgrind wrote no \(output); stderr: \(plugin.standardError.suffix(600))")
        }
        Progress.say("wrote \(output)")
    }
}

/// The plugin's half of figure (5): from spawning the process (a `query up` line waiting in its input) to reading
/// its first answer line, over a fresh connection to Prometheus. The first start only warms the page cache and
/// is not counted.
enum ColdStartMeasurement {
    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Samples {
        let line = RequestLines.queryUp(id: 1)
        var samples = Samples()
        for attempt in 0...settings.coldStarts {
            let start = Monotonic.now()
            let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
            try plugin.write(line)
            let answer = try plugin.readLine(timeout: 10)
            let elapsed = Monotonic.since(start)
            plugin.finish()
            try AnswerCheck.verify([answer], ids: 1..<2)
            if attempt > 0 { samples.append(elapsed) }
        }
        return samples
    }
}

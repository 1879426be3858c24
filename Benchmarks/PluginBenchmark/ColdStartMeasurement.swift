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

/// The reference of figure (5): `curl --version` run to its end, as often as the plugin starts, the first not
/// counted. It loads libcurl and its libraries as the plugin does, so the difference is the plugin's own start.
enum CurlStartMeasurement {
    static func run(settings: BenchmarkSettings) throws -> Samples {
        guard let curl = ChildRun.which("curl") else { throw BenchmarkError("curl is not on the PATH") }
        var samples = Samples()
        for attempt in 0...settings.coldStarts {
            let run = try ChildRun.run(curl, ["--version"], timeout: 10)
            guard run.status == 0 else { throw BenchmarkError("curl --version exited \(run.status)") }
            if attempt > 0 { samples.append(UInt64(run.seconds * 1e9)) }
        }
        return samples
    }
}

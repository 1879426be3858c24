import Foundation
import JSON

/// Figures (4) and (9) and Python's half of (5): `chaosprometheus.probes.query` called in-process in a loop by a
/// small Python script (Python only where Python is what is measured), in the original's virtual environment that
/// `scripts/benchmark` makes for (4) and in the host adapter's (`Hosts/chaostoolkit`, which calls the plugin) for
/// (9), the same loop for both; and `python -c "import chaosprometheus.probes"` run to its end.
enum PythonMeasurement {
    /// Times `query("up")` per call after a warm-up and prints the samples as JSON. logzero, which the original logs
    /// through, is set to INFO as the Chaos Toolkit's console is, so its per-call debug line is not written out; the
    /// host adapter has no logzero (its logger, the standard library's, stays at WARNING, as no handler is set up).
    static let script = #"""
        import json, logging, sys, time
        from chaosprometheus import probes
        try:
            import logzero
            logzero.loglevel(logging.INFO)
        except ImportError:
            pass
        base, calls, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        configuration = {"prometheus_base_url": base}
        for _ in range(warmup):
            answer = probes.query("up", configuration=configuration)
        assert answer["status"] == "success", answer
        samples = []
        for _ in range(calls):
            start = time.perf_counter_ns()
            answer = probes.query("up", configuration=configuration)
            samples.append(time.perf_counter_ns() - start)
        assert answer["status"] == "success", answer
        print(json.dumps({"samples_ns": samples}))
        """#

    /// (4), or (9) when `plugin` is given: per call of `chaosprometheus.probes.query`. `plugin` is the executable
    /// the host adapter starts (`CHAOSTOOLKIT_PROMETHEUS_PLUGIN`); its start, on the first warm-up call, is not
    /// counted.
    static func calls(
        python: String, baseURL: String, settings: BenchmarkSettings, plugin: String? = nil
    ) throws -> Samples {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chaosprometheus-benchmark-\(getpid()).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var environment = ProcessInfo.processInfo.environment
        if let plugin { environment["CHAOSTOOLKIT_PROMETHEUS_PLUGIN"] = plugin }
        let arguments = [file.path, baseURL, String(settings.pythonCalls), String(settings.pythonWarmup)]
        let run = try ChildRun.run(python, arguments, environment: environment, timeout: 120)
        guard run.status == 0, let last = run.output.split(separator: "\n").last,
            let samples = try? JSONValue(parsing: String(last))["samples_ns"]?.arrayValue
        else {
            throw BenchmarkError("the Python loop failed (status \(run.status)): \(run.error.suffix(600))")
        }
        return Samples(samples.compactMap { $0.numberValue?.intValue }.map { UInt64($0) })
    }

    /// Python's (5): wall time of `python -c "import chaosprometheus.probes"`; a first run (compiling bytecode,
    /// warming the page cache) is not counted.
    static func imports(python: String, settings: BenchmarkSettings) throws -> Samples {
        var samples = Samples()
        for attempt in 0...settings.pythonImports {
            let run = try ChildRun.run(python, ["-c", "import chaosprometheus.probes"], timeout: 60)
            guard run.status == 0 else { throw BenchmarkError("the import failed: \(run.error.suffix(600))") }
            if attempt > 0 { samples.append(UInt64(run.seconds * 1e9)) }
        }
        return samples
    }
}

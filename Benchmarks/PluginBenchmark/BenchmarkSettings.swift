import Foundation

/// How much the benchmark measures and what it runs, read from the environment.
///
/// Every count has a `BENCHMARK_*` variable; `BENCHMARK_QUICK=1` lowers the defaults for a run of a few
/// seconds of measuring (a smoke test of the driver, not figures to quote).
struct BenchmarkSettings: Sendable {
    /// Requests sent before timing starts, for each kept-alive client (`BENCHMARK_WARMUP`).
    var warmup: Int
    /// Timed requests of (1) and of (2) each (`BENCHMARK_REQUESTS`).
    var requests: Int
    /// Rounds (1) and (2) alternate in, so both see the same state of a noisy machine (`BENCHMARK_ROUNDS`).
    var rounds: Int
    /// Requests written at once for (3) (`BENCHMARK_BURST`).
    var burst: Int
    /// Timed calls of the Python original, and as many through the host adapter (`BENCHMARK_PYTHON_CALLS`).
    var pythonCalls: Int
    /// Untimed calls before (4) and (9): the warm-up, at most 50 (Python's calls are slower than the plugin's).
    var pythonWarmup: Int { min(warmup, 50) }
    /// Timed `import chaosprometheus.probes` runs (`BENCHMARK_PYTHON_IMPORTS`).
    var pythonImports: Int
    /// Timed plugin starts (`BENCHMARK_COLD_STARTS`).
    var coldStarts: Int
    /// Timed large range results, through the plugin and raw each (`BENCHMARK_LARGE_RUNS`).
    var largeRuns: Int
    /// Requests written at once to the plugin in front of the slow stub (`BENCHMARK_SLOW_REQUESTS`).
    var slowRequests: Int
    /// How long the stub waits before each answer, in milliseconds (`BENCHMARK_SLOW_DELAY_MS`).
    var slowDelayMilliseconds: Int
    /// `query` calls written at once to a plugin whose standard error is not read (`BENCHMARK_UNREAD_ERROR_REQUESTS`).
    var unreadErrorRequests: Int
    /// The range query of (6) (`BENCHMARK_RANGE_QUERY`).
    var rangeQuery: String
    /// The range's length in seconds from Prometheus's first scrape (`BENCHMARK_RANGE_SECONDS`); at most 300, so
    /// that Prometheus's 5-minute lookback fills every step even before that much history exists.
    var rangeSeconds: Int
    /// The range's step in seconds (`BENCHMARK_RANGE_STEP`): 0.2 s gives ~1,200 points a series, several MB in all.
    var rangeStep: Double
    /// The plugin executable (`BENCHMARK_PLUGIN`, else `chaostoolkit-prometheus` beside this driver).
    var plugin: String
    /// The Python of a virtual environment with `chaostoolkit-prometheus` installed (`BENCHMARK_PYTHON`); without
    /// it the Python figures are reported as not measured.
    var python: String?
    /// The Python of a virtual environment with the host adapter (`Hosts/chaostoolkit`) installed
    /// (`BENCHMARK_ADAPTER_PYTHON`; `scripts/benchmark` gives `.build/chaostoolkit-venv`'s); without it (9) is
    /// reported as not measured.
    var adapterPython: String?
    /// Where to write callgrind profiles of the plugin instead of measuring (`BENCHMARK_PROFILE_DIR`, set by
    /// `scripts/benchmark --profile`).
    var profileDirectory: String?
    /// A library to preload into the plugin under valgrind (`BENCHMARK_VALGRIND_PRELOAD`): the script's build of
    /// `Benchmarks/valgrind-sigsuspend.c`, without which valgrind 3.19 crashes as the plugin's main thread ends.
    var valgrindPreload: String?
    /// Sequential `query up` calls in the profile of the small-query path (`BENCHMARK_PROFILE_QUERIES`).
    var profileQueries: Int
    /// The whole run's bound in seconds, after which the driver stops its servers and exits (`BENCHMARK_TIME_LIMIT`).
    var timeLimit: Int

    /// The settings the environment gives.
    static func fromEnvironment() -> BenchmarkSettings {
        let environment = ProcessInfo.processInfo.environment
        let quick = environment["BENCHMARK_QUICK"].map { $0 != "0" && !$0.isEmpty } ?? false
        func integer(_ name: String, _ normal: Int, quick quickValue: Int) -> Int {
            environment[name].flatMap { Int($0) }.map { max($0, 1) } ?? (quick ? quickValue : normal)
        }
        let driver = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let besideDriver = driver.deletingLastPathComponent().appendingPathComponent("chaostoolkit-prometheus").path
        return BenchmarkSettings(
            warmup: integer("BENCHMARK_WARMUP", 200, quick: 20),
            requests: integer("BENCHMARK_REQUESTS", 2000, quick: 200),
            rounds: integer("BENCHMARK_ROUNDS", 10, quick: 2),
            burst: integer("BENCHMARK_BURST", 2000, quick: 200),
            pythonCalls: integer("BENCHMARK_PYTHON_CALLS", 300, quick: 30),
            pythonImports: integer("BENCHMARK_PYTHON_IMPORTS", 10, quick: 3),
            coldStarts: integer("BENCHMARK_COLD_STARTS", 20, quick: 5),
            largeRuns: integer("BENCHMARK_LARGE_RUNS", 5, quick: 2),
            slowRequests: integer("BENCHMARK_SLOW_REQUESTS", 64, quick: 64),
            slowDelayMilliseconds: integer("BENCHMARK_SLOW_DELAY_MS", 100, quick: 100),
            unreadErrorRequests: integer("BENCHMARK_UNREAD_ERROR_REQUESTS", 10_000, quick: 10_000),
            rangeQuery: environment["BENCHMARK_RANGE_QUERY"] ?? #"{__name__=~"prometheus_.*"}"#,
            rangeSeconds: min(integer("BENCHMARK_RANGE_SECONDS", 240, quick: 240), 300),
            rangeStep: environment["BENCHMARK_RANGE_STEP"].flatMap { Double($0) }.map { max($0, 0.001) } ?? 0.2,
            plugin: environment["BENCHMARK_PLUGIN"] ?? besideDriver,
            python: environment["BENCHMARK_PYTHON"].flatMap { $0.isEmpty ? nil : $0 },
            adapterPython: environment["BENCHMARK_ADAPTER_PYTHON"].flatMap { $0.isEmpty ? nil : $0 },
            profileDirectory: environment["BENCHMARK_PROFILE_DIR"].flatMap { $0.isEmpty ? nil : $0 },
            valgrindPreload: environment["BENCHMARK_VALGRIND_PRELOAD"].flatMap { $0.isEmpty ? nil : $0 },
            profileQueries: integer("BENCHMARK_PROFILE_QUERIES", 200, quick: 50),
            timeLimit: integer("BENCHMARK_TIME_LIMIT", 240, quick: 120))
    }
}

import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The benchmark of issue 5: starts a real Prometheus on a free loopback port, measures the plugin beside a raw
/// libcurl client, the Python original and the host adapter (the plugin called from Python) in one run, and prints
/// the figures with the issue's targets as a Markdown report on standard output (progress on standard error).
///
/// With `BENCHMARK_PROFILE_DIR` set it profiles the plugin under callgrind instead (``CallgrindProfiles``).
/// Exits 0 when every figure was measured (met or not), 1 when a measurement failed, 3 past the time limit.
/// Run it through `scripts/benchmark`, which builds the plugin and this driver in release mode and makes the
/// Python virtual environment.
@main
struct PluginBenchmark {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == TransportFloor.argument { TransportFloor.serve() }
        let settings = BenchmarkSettings.fromEnvironment()
        Watchdog.start(seconds: settings.timeLimit)
        Progress.say(
            "plugin \(settings.plugin); python \(settings.python ?? "not given: its figures are skipped"); "
                + "the host adapter's python \(settings.adapterPython ?? "not given: its figure is skipped")")

        Progress.say("starting Prometheus (scraping itself every second) on a free loopback port")
        let prometheus: PrometheusServer
        do {
            prometheus = try await PrometheusServer.start()
        } catch {
            Progress.say("cannot start Prometheus: \(error)")
            exit(1)
        }
        // The range of (6) starts after the first scrape, which `start` waited for.
        let rangeStart = Int(Date().timeIntervalSince1970.rounded(.up))
        let baseURL = prometheus.baseURL
        Progress.say("Prometheus at \(baseURL)")

        if let directory = settings.profileDirectory {
            var profiles = Figures()
            _ = profiles.measure("callgrind profiles") {
                try CallgrindProfiles.run(
                    directory: directory, baseURL: baseURL, rangeStart: rangeStart, settings: settings)
            }
            prometheus.stop()
            exit(profiles.failures.isEmpty ? 0 : 1)
        }

        var figures = Figures()
        figures.roundTrips = figures.measure("(1) the limit and (2) the plugin, one in flight") {
            try RoundTripMeasurement.run(baseURL: baseURL, settings: settings)
        }
        figures.burst = figures.measure("(3) the plugin, requests written at once") {
            try BurstMeasurement.run(baseURL: baseURL, settings: settings)
        }
        figures.slowServer = figures.measure("(8) requests at once in front of a slow server") {
            try SlowServerMeasurement.run(settings: settings)
        }
        figures.unreadStandardError = figures.measure("(10) query calls with standard error unread") {
            try UnreadStandardErrorMeasurement.run(baseURL: baseURL, settings: settings)
        }
        figures.coldStart = figures.measure("(5) the plugin's cold start") {
            try ColdStartMeasurement.run(baseURL: baseURL, settings: settings)
        }
        figures.curlStart = figures.measure("(5) curl --version") {
            try CurlStartMeasurement.run(settings: settings)
        }
        figures.executable = figures.measure("(11) the executable") {
            try ExecutableMeasurement.run(settings: settings)
        }
        figures.idleMemory = figures.measure("(7) the plugin's idle memory") {
            try IdleMemoryMeasurement.run(baseURL: baseURL, settings: settings)
        }
        figures.largeResult = figures.measure("(6) a large range result, and (7) the peak memory") {
            try LargeResultMeasurement.run(baseURL: baseURL, rangeStart: rangeStart, settings: settings)
        }
        // (9) right after (4), the same loop, so both see about the same moments of the machine.
        if let python = settings.python {
            figures.python = figures.measure("(4) the Python original in-process") {
                try PythonMeasurement.calls(python: python, baseURL: baseURL, settings: settings)
            }
        }
        if let adapter = settings.adapterPython {
            figures.adapter = figures.measure("(9) the host adapter in-process, through the plugin") {
                try PythonMeasurement.calls(
                    python: adapter, baseURL: baseURL, settings: settings, plugin: settings.plugin)
            }
        }
        if let python = settings.python {
            figures.pythonImport = figures.measure("(5) Python's import") {
                try PythonMeasurement.imports(python: python, settings: settings)
            }
        }
        prometheus.stop()

        let report = Report(
            figures: figures, settings: settings,
            machine: Machine.describe(python: settings.python, adapterPython: settings.adapterPython))
        FileHandle.standardOutput.write(Data(report.markdown.utf8))
        exit(figures.failures.isEmpty ? 0 : 1)
    }
}

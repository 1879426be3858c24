import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Figure (7), idle: the plugin's resident memory (`VmRSS`) half a second after it starts, and again once it has
/// answered one `query up` and sat idle for a moment.
enum IdleMemoryMeasurement {
    /// The plugin's memory at the two moments.
    struct Outcome: Sendable {
        let afterStart: ResidentMemory
        let afterOneQuery: ResidentMemory

        /// The larger `VmRSS` of the two, which the target is judged on.
        var idle: Int { max(afterStart.current, afterOneQuery.current) }
    }

    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Outcome {
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
        defer { plugin.finish() }
        usleep(500_000)
        let afterStart = try ResidentMemory.of(plugin.pid)
        try AnswerCheck.verify([try plugin.call(RequestLines.queryUp(id: 1), timeout: 10)], ids: 1..<2)
        usleep(200_000)
        let afterOneQuery = try ResidentMemory.of(plugin.pid)
        return Outcome(afterStart: afterStart, afterOneQuery: afterOneQuery)
    }
}

import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What the benchmark ran on, for the report: figures from another machine are not comparable.
struct Machine: Sendable {
    let cpu: String
    let cores: Int
    let memory: String
    let kernel: String
    let swift: String
    let prometheus: String
    let curl: String
    let python: String
    let adapterPython: String

    /// Describes this machine and the tools the run uses (`python` is the original's virtual environment's,
    /// `adapterPython` the host adapter's).
    static func describe(python: String?, adapterPython: String?) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        func field(_ name: String, in text: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(name) }?.split(separator: ":", maxSplits: 1).last
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let memory =
            field("MemTotal", in: meminfo)?.split(separator: " ").first.flatMap { Double($0) }
            .map { String(format: "%.1f GiB", $0 / 1_048_576) } ?? "unknown"
        let environment = ProcessInfo.processInfo.environment
        let swift =
            environment["BENCHMARK_SWIFT_VERSION"]
            ?? ChildRun.which("swift").flatMap { ChildRun.firstLine($0, ["--version"]) } ?? "unknown"
        return Machine(
            cpu: field("model name", in: cpuinfo) ?? "unknown",
            cores: sysconf(Int32(_SC_NPROCESSORS_ONLN)),
            memory: memory,
            kernel: ChildRun.firstLine("/bin/uname", ["-srm"]) ?? "unknown",
            swift: swift,
            prometheus: ChildRun.firstLine(PrometheusServer.binary, ["--version"]) ?? "unknown",
            curl: KeptAliveFetcher.libraryVersion,
            python: python.flatMap { ChildRun.firstLine($0, ["--version"]) } ?? "not measured",
            adapterPython: adapterPython.flatMap { ChildRun.firstLine($0, ["--version"]) } ?? "not measured")
    }

    /// The machine as a Markdown list.
    var markdown: String {
        """
        - CPU: \(cpu), \(cores) cores online, \(memory) of memory
        - kernel: \(kernel)
        - Swift: \(swift)
        - Prometheus: \(prometheus)
        - libcurl: \(curl)
        - Python (the original's virtual environment): \(python)
        - Python (the host adapter's virtual environment): \(adapterPython)
        """
    }
}

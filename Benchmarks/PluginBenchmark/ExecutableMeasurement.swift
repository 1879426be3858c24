#if canImport(Glibc)
import Glibc
#endif

/// Figure (11): the executable as the README builds it: its size on disk, and the libraries it names for the
/// dynamic linker (`readelf -d`, its `NEEDED` entries; their own dependencies are libcurl's, not the plugin's).
enum ExecutableMeasurement {
    struct Outcome: Sendable {
        let bytes: Int
        let libraries: [String]
    }

    /// The libraries the plugin may link dynamically: libcurl, and the C and C++ runtimes.
    static let allowed: Set<String> = [
        "libcurl.so.4", "libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "libstdc++.so.6", "libgcc_s.so.1",
    ]

    static func run(settings: BenchmarkSettings) throws -> Outcome {
        var status = stat()
        guard stat(settings.plugin, &status) == 0 else { throw BenchmarkError("cannot stat \(settings.plugin)") }
        guard let readelf = ChildRun.which("readelf") else { throw BenchmarkError("readelf is not on the PATH") }
        let run = try ChildRun.run(readelf, ["-d", settings.plugin], timeout: 30)
        guard run.status == 0 else { throw BenchmarkError("readelf -d exited \(run.status): \(run.error)") }
        let libraries = run.output.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line in
            line.split(separator: "[").last?.split(separator: "]").first.map(String.init)
        }
        return Outcome(bytes: Int(status.st_size), libraries: libraries)
    }
}

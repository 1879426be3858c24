import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The whole run's bound: past it the driver says so and exits, and the children it started (Prometheus, plugins,
/// Python) are terminated by TestSupport's exit handler, so a hung measurement can never stall the benchmark.
enum Watchdog {
    static func start(seconds: Int) {
        Thread {
            sleep(UInt32(seconds))
            FileHandle.standardError.write(
                Data("benchmark: still running after \(seconds) s (BENCHMARK_TIME_LIMIT); stopping\n".utf8))
            exit(3)
        }.start()
    }
}

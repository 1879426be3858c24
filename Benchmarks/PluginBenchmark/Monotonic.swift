#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds, read straight from `CLOCK_MONOTONIC`, so that taking the time costs the driver
/// next to nothing beside what it measures.
enum Monotonic {
    /// Nanoseconds since an arbitrary fixed point.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Nanoseconds since `start`.
    static func since(_ start: UInt64) -> UInt64 {
        now() - start
    }

    /// The moment `seconds` from now.
    static func deadline(after seconds: Double) -> UInt64 {
        now() + UInt64(seconds * 1e9)
    }
}

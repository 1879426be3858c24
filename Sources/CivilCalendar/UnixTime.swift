#if canImport(Glibc)
import Glibc
#endif

/// An instant, as seconds since 1970-01-01T00:00:00Z: the way Prometheus's HTTP API writes times.
package struct UnixTime: Comparable, Hashable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z, negative before it.
    package var secondsSince1970: Double

    package init(secondsSince1970: Double) {
        self.secondsSince1970 = secondsSince1970
    }

    /// The system clock's time now.
    package static var now: UnixTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UnixTime(secondsSince1970: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
    }

    /// The instant `seconds` later (earlier when negative).
    package func adding(seconds: Double) -> UnixTime {
        UnixTime(secondsSince1970: secondsSince1970 + seconds)
    }

    /// The seconds from `other` to this instant.
    package func seconds(since other: UnixTime) -> Double {
        secondsSince1970 - other.secondsSince1970
    }

    package static func < (lhs: UnixTime, rhs: UnixTime) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }
}

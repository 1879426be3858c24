#if canImport(Glibc)
import Glibc
#endif

/// The fast tests (`scripts/test-fast`) need no server and no other process; under it
/// (`CHAOSTOOLKIT_FAST_TESTS=1`), every test that would start one fails saying so, so the set stays what it says.
package enum FastTests {
    /// Whether this run is of the fast tests only.
    package static var areRunning: Bool { getenv("CHAOSTOOLKIT_FAST_TESTS").map { String(cString: $0) } == "1" }

    /// Throws when this is a run of the fast tests: a test that starts `what` is not one of them.
    static func refuseUnderFastTests(_ what: @autoclosure () -> String) throws {
        guard areRunning else { return }
        throw TestSupportError(
            "this test starts \(what()), so it is not a fast test: take its suite out of scripts/test-fast's list")
    }
}

import CivilCalendar
import FuzzEntry
import PrometheusProbes

#if canImport(Glibc)
import Glibc
#endif

private let now = UnixTime(secondsSince1970: 1_795_612_549.25)
// A fuzz target's fixture: Debian's tzdata is a dependency of the build (scripts/install-dependencies).
private let zone = LocalZone(identifier: "America/New_York")!

/// What must hold for any text: the parser never crashes, and a time it accepts is within the years 1 to 9999
/// and writes as RFC 3339 text that reads back as the same millisecond.
func check(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let date = try? TimeExpression.parse(text, now: now, timeZone: zone) else { return }
    let written = RFC3339.format(date)
    guard let again = try? TimeExpression.parse(written, now: now, timeZone: zone) else {
        preconditionFailure("'\(text)' gave \(written), which does not read back")
    }
    precondition(RFC3339.format(again) == written, "'\(text)' gave \(written), which reads back differently")
}

#if FUZZING
/// SwiftPM links an executable's `main` to `<module>_main`: that is where libFuzzer's driver starts.
@_cdecl("TimeExpressionFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // The fixture is made before the first input: libFuzzer counts what an input allocates and does not free,
    // and the zone's rules, read once and kept, would count against whichever input came first.
    _ = zone
    return FuzzEntry.runFuzzer(argc, argv, check: check)
}
#else
/// Without the fuzzer: replays the inputs named on the command line.
@main
struct Replay {
    static func main() { FuzzEntry.replay(CommandLine.arguments.dropFirst(), check: check) }
}
#endif

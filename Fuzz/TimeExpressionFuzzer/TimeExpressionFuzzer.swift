#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PrometheusProbes

private let now = Date(timeIntervalSince1970: 1_795_612_549.25)
private let zone = TimeZone(identifier: "America/New_York")!

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
/// The fuzzer's entry point (`scripts/fuzz` builds with `-sanitize=fuzzer -D FUZZING`). SwiftPM links an
/// executable's `main` to `<module>_main`, so that is where libFuzzer's driver is started.
@_cdecl("TimeExpressionFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}

/// One input from the fuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#else
/// Without the fuzzer: replays the inputs named on the command line (a crash the fuzzer found, say).
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            check((try? Data(contentsOf: URL(fileURLWithPath: path))).map { Array($0) } ?? [])
        }
    }
}
#endif

#if canImport(Glibc)
import Glibc
#endif
import FuzzEntry
import JSON
import JSONRPC

/// What must hold for any bytes a host could send: the line splitter and the JSON parser never crash; whatever
/// parses writes back as one line with no raw newline and parses again to the same value; the request decoder
/// accepts or refuses every element without crashing.
func check(_ bytes: [UInt8]) {
    var splitter = LineSplitter(maximumLineLength: 64)
    _ = splitter.feed(bytes)
    _ = splitter.finish()
    guard let value = try? JSONValue(parsing: bytes) else { return }
    let written = value.serialized()
    precondition(!written.contains(UInt8(ascii: "\n")), "a raw newline in \(value)")
    precondition((try? JSONValue(parsing: written)) == value, "\(value) does not read back the same")
    for element in value.arrayValue ?? [value] {
        if case .failure(let invalid) = Request.decode(element) {
            precondition(invalid.error.code == .invalidRequest)
        }
    }
}

#if FUZZING
/// SwiftPM links an executable's `main` to `<module>_main`: that is where libFuzzer's driver starts.
@_cdecl("JSONRPCFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzEntry.runFuzzer(argc, argv, check: check)
}
#else
/// Without the fuzzer: replays the inputs named on the command line.
@main
struct Replay {
    static func main() { FuzzEntry.replay(CommandLine.arguments.dropFirst(), check: check) }
}
#endif

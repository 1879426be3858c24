import FuzzEntry
import JSON
import JSONRPC

#if canImport(Glibc)
import Glibc
#endif

/// What must hold for any bytes a host (or a server) could send: the line splitter and the JSON parser never
/// crash; `JSONText` accepts exactly what the parser accepts; whatever parses writes back as one line with no
/// raw newline and parses again to the same value; the request decoder accepts or refuses every element
/// without crashing.
func check(_ bytes: [UInt8]) {
    var splitter = LineSplitter(maximumLineLength: 64)
    _ = splitter.feed(bytes)
    _ = splitter.finish()
    // The one-pass checker that passes Prometheus's documents through agrees with the parser exactly, and its
    // compact text holds no raw newline and reads back as the same value.
    let lenient = try? JSONValue(parsing: bytes, rejectingDuplicateNames: false)
    let text = try? JSONText(validating: bytes)
    precondition((lenient == nil) == (text == nil), "the parser and JSONText disagree on \(bytes)")
    if let text, let lenient {
        precondition(!text.bytes.contains(UInt8(ascii: "\n")), "a raw newline in the text of \(lenient)")
        precondition(text.value == lenient, "the text of \(lenient) reads back as \(text.value)")
    }
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

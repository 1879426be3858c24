#if canImport(Glibc)
import Glibc
#endif
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
/// The fuzzer's entry point (`scripts/fuzz` builds with `-sanitize=fuzzer -D FUZZING`). SwiftPM links an
/// executable's `main` to `<module>_main`, so that is where libFuzzer's driver is started.
@_cdecl("JSONRPCFuzzer_main")
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
        for path in CommandLine.arguments.dropFirst() { check(contents(of: path)) }
    }
}
#endif

func contents(of path: String) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while case let count = read(descriptor, &buffer, buffer.count), count > 0 { bytes += buffer[0..<count] }
    return bytes
}

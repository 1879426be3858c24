import Locking

#if canImport(Glibc)
import Glibc
#endif

/// The plumbing every fuzz target shares: libFuzzer's entry points when built for fuzzing, and a replayer of
/// saved inputs otherwise. A target only supplies its `check`, which must not crash on any input.
package enum FuzzEntry {
    /// A target's check, boxed: a bare function value in the generic ``Locked`` was re-wrapped in two
    /// reabstraction thunks on every `withLock`, so each input ran through all the thunks of those before it, and
    /// after some ten thousand inputs one took longer than libFuzzer's timeout.
    struct Check {
        let run: ([UInt8]) -> Void
    }

    /// The check of the running target (one per process).
    private static let check = Locked<Check?>(nil)

    #if FUZZING
    /// Starts libFuzzer's driver on `check`; call it from the target's `<module>_main`.
    package static func runFuzzer(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, check: @escaping ([UInt8]) -> Void
    ) -> CInt {
        install(check)
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
    }
    #endif

    /// Runs `check` on the contents of each file in `paths` (a crash the fuzzer saved, say).
    package static func replay(_ paths: some Sequence<String>, check: ([UInt8]) -> Void) {
        for path in paths { check(contents(of: path)) }
    }

    static func run(_ bytes: [UInt8]) {
        check.withLock { $0 }?.run(bytes)
    }

    /// Makes `check` the target's check, as ``runFuzzer(_:_:check:)`` does.
    static func install(_ check: @escaping ([UInt8]) -> Void) {
        Self.check.withLock { $0 = Check(run: check) }
    }

    private static func contents(of path: String) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(descriptor, &buffer, buffer.count), count > 0 { bytes += buffer[0..<count] }
        return bytes
    }
}

#if FUZZING
/// One input from libFuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// libFuzzer's C name.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

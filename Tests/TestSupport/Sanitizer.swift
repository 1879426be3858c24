#if canImport(Glibc)
import Glibc
#endif

/// The sanitizer the tests (and so the plugin they run, built the same way by `scripts/test-sanitizers`) were
/// built with, if any: found by its runtime's entry point in this process.
package enum Sanitizer: Sendable {
    case address, thread

    /// The sanitizer of this build, or `nil`.
    package static let current: Sanitizer? = {
        let process = dlopen(nil, RTLD_NOW)
        defer { if let process { dlclose(process) } }
        if dlsym(process, "__asan_init") != nil { return .address }
        if dlsym(process, "__tsan_init") != nil { return .thread }
        return nil
    }()
}

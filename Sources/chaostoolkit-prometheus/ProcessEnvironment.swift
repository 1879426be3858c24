#if canImport(Glibc)
import Glibc
#endif

/// The process's environment variables, read from `environ` (as `ProcessInfo` does, without Foundation).
enum ProcessEnvironment {
    /// Every variable by name; when a name appears twice, the first wins, as `getenv` has it.
    static func variables() -> [String: String] {
        var variables: [String: String] = [:]
        let first: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = first else { return variables }
        while let pointer = entry.pointee {
            let text = String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A file of `/proc`, read to its end with plain reads. FoundationEssentials' `FileManager.contents(atPath:)`
/// leaks its buffer on such files (their size reads as 0), which kept the address sanitizer's leak check off.
public enum ProcFile {
    /// The bytes of the file at `path`, or `nil` when it cannot be read (the process has gone, say).
    public static func bytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return contents }
            contents += buffer[0..<count]
        }
    }
}

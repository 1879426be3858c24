#if canImport(Glibc)
import Glibc
#endif

/// The text of the file at `path`, read with `read(2)`: Foundation's `String(contentsOfFile:)` leaks its buffer
/// on Linux, which the address sanitizer's leak check reports.
func fileContents(_ path: String) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "" }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while case let count = read(descriptor, &buffer, buffer.count), count > 0 {
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

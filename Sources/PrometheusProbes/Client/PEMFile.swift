#if canImport(Glibc)
import Glibc
#endif

/// TLS material read from a file a call names (`prometheus_ca_cert`, `prometheus_client_cert`,
/// `prometheus_client_key`), in the call's own task, before anything reaches libcurl.
///
/// Only a regular file of at most ``largestFile`` is read: a FIFO would block whoever opened it until a writer came
/// (libcurl's one thread, once, stalled every call of the process), and a device or an endless file would never end.
enum PEMFile {
    /// The largest file read: a CA bundle of every public authority is about 220 KB.
    static let largestFile = 1 << 20

    /// Why a path gave no PEM text.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case unreadable
        case notARegularFile
        case tooLarge

        var description: String {
            switch self {
            case .unreadable: "no readable file"
            case .notARegularFile: "no regular file (a FIFO, a device or a directory)"
            case .tooLarge: "a file larger than \(PEMFile.largestFile >> 20) MiB"
            }
        }
    }

    /// The text of the regular file at `path`.
    static func read(path: String) -> Result<String, Problem> {
        // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notARegularFile) }
        guard status.st_size <= largestFile else { return .failure(.tooLarge) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while contents.count <= largestFile {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(.unreadable) }
            if count == 0 { return .success(String(decoding: contents, as: UTF8.self)) }
            contents += buffer[0..<count]
        }
        return .failure(.tooLarge)  // it grew while it was read
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A file read whole, with a bound, without Foundation: TLS material a call names, the time zone database, a
/// one-shot call's `@FILE`.
package enum FileContents {
    /// Why a path gave no contents.
    package enum Problem: Error, Equatable, Sendable {
        /// It does not exist, is not readable, or a read failed.
        case unreadable
        /// It is a FIFO, a device or a directory, and only a regular file was asked for.
        case notARegularFile
        /// It holds (or grew to) more than the bound.
        case tooLarge
    }

    /// The bytes of the file at `path`, at most `largest` of them.
    ///
    /// With `regularFileOnly`, anything but a regular file is refused before it is read: it is opened without
    /// waiting (a FIFO would block whoever opened it until a writer came) and checked. Otherwise a FIFO is read to
    /// its end, as a shell's `<(...)` needs.
    package static func read(_ path: String, largest: Int, regularFileOnly: Bool) -> Result<[UInt8], Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | (regularFileOnly ? O_NONBLOCK : 0))
        guard descriptor >= 0 else { return .failure(.unreadable) }
        defer { close(descriptor) }
        if regularFileOnly {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable) }
            guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notARegularFile) }
            guard status.st_size <= largest else { return .failure(.tooLarge) }
        }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(.unreadable) }
            if count == 0 { return .success(contents) }
            contents += buffer[0..<count]
            guard contents.count <= largest else { return .failure(.tooLarge) }
        }
    }
}

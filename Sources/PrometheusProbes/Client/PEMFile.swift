import FileContents

/// TLS material read from a file a call names (`prometheus_ca_cert`, `prometheus_client_cert`,
/// `prometheus_client_key`), in the call's own task, before anything reaches libcurl.
///
/// Only a regular file of at most ``largestFile`` is read: a FIFO would block whoever opened it until a writer came
/// (libcurl's one thread, once, stalled every call of the process), and a device or an endless file would never end.
enum PEMFile {
    /// The largest file read: a CA bundle of every public authority is about 220 KB.
    static let largestFile = 1 << 20

    /// Why a path gave no PEM text.
    typealias Problem = FileContents.Problem

    /// The text of the regular file at `path`.
    static func read(path: String) -> Result<String, Problem> {
        FileContents.read(path, largest: largestFile, regularFileOnly: true).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension PEMFile {
    /// What a path names instead of PEM text, for a message: "'prometheus_ca_cert' names <this>: <path>".
    static func describe(_ problem: Problem) -> String {
        switch problem {
        case .unreadable: "no readable file"
        case .notARegularFile: "no regular file (a FIFO, a device or a directory)"
        case .tooLarge: "a file larger than \(largestFile >> 20) MiB"
        }
    }
}

import JSON
import JSONRPC

#if canImport(Glibc)
import Glibc
#endif

/// Standard output or standard error, for the command line's own texts: usage, `--version`, one-shot results and
/// failures. A stream the reader has closed is reported as `false`, never a trap (Foundation's
/// `FileHandle.write(_:)` stops the process on `EPIPE`).
enum StandardStream {
    case input, output, error

    var descriptor: Int32 {
        switch self {
        case .input: STDIN_FILENO
        case .output: STDOUT_FILENO
        case .error: STDERR_FILENO
        }
    }

    /// The standard streams that were not open when the process started. Each is opened on `/dev/null` in its
    /// place, so that no file or socket the process opens later takes its number and receives what is meant for
    /// the host; this is evaluated first thing in `main`, before anything else opens a file.
    static let closedAtLaunch: Set<StandardStream> = {
        var closed: Set<StandardStream> = []
        for stream in [StandardStream.input, .output, .error]
        where fcntl(stream.descriptor, F_GETFD) == -1 && errno == EBADF {
            closed.insert(stream)
            let placeholder = open("/dev/null", O_RDWR)
            if placeholder >= 0, placeholder != stream.descriptor {
                dup2(placeholder, stream.descriptor)
                Glibc.close(placeholder)
            }
        }
        return closed
    }()

    /// Whether the stream was open when the process started.
    var wasOpenAtLaunch: Bool { !Self.closedAtLaunch.contains(self) }

    /// Writes `text` as one line (its own final newline, if any, is not doubled); `false` when the stream is closed.
    @discardableResult
    func write(_ text: String) -> Bool {
        guard wasOpenAtLaunch else { return false }
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return LineWriter(fileDescriptor: descriptor).write(line: [bytes])
    }

    /// Writes `output` as one line, its large texts straight from their bytes; `false` when the stream is closed.
    @discardableResult
    func write(_ output: JSONOutput) -> Bool {
        guard wasOpenAtLaunch else { return false }
        return LineWriter(fileDescriptor: descriptor).write(line: output.serializedChunks())
    }
}

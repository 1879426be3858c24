import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The floor under figure (2): this driver, re-executed with ``argument``, as a process that answers each request
/// line at once with a fixed line and does nothing else. Driven exactly as the plugin is (the same pipes, the same
/// `write`, the same blocking `read`), it measures what the two pipe crossings and the two wake-ups of a plugin
/// process cost on this machine, which no plugin, however fast, can go below.
enum TransportFloor {
    /// The command-line argument that makes the driver this process.
    static let argument = "--answer-each-line-at-once"

    /// The answer to every line: a JSON-RPC success about as long as the plugin's answer to `query` of `up`.
    private static let answer =
        Array(
            #"{"jsonrpc":"2.0","id":0,"result":{"status":"success","data":{"resultType":"vector","result":[]}}}"#.utf8)
        + [0x0A]

    /// This executable's path, for starting it as the floor process.
    static func executable() throws -> String {
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        guard length > 0 else { throw BenchmarkError("cannot find this driver's executable: errno \(errno)") }
        return String(decoding: path[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads standard input until its end, answering each newline with ``answer``; then exits.
    static func serve() -> Never {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { exit(0) }
            for byte in buffer[0..<count] where byte == 0x0A {
                guard writeAll(answer, to: STDOUT_FILENO) else { exit(1) }
            }
        }
    }
}

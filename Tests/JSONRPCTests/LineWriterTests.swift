#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSONRPC
import Testing

@Suite("Writing lines")
struct LineWriterTests {
    @Test func writesThePiecesOfALineThroughAPipeWhateverItTakesAtATime() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }  // no child of another test may hold it open
        let (reading, writing) = (ends[0], ends[1])
        defer { close(reading) }
        // Larger than a pipe's buffer, so writev returns short and the writer must carry on where it stopped.
        let pieces: [[UInt8]] = [Array(#"{"result":"#.utf8), [UInt8](repeating: UInt8(ascii: "7"), count: 1 << 20), [], Array("}".utf8)]
        let writer = LineWriter(fileDescriptor: writing)
        Thread.detachNewThread {
            writer.write(line: pieces)
            close(writing)
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        #expect(received == pieces.joined() + [UInt8(ascii: "\n")])
    }
}

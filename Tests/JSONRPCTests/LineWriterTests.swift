#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSONRPC
import Locking
import Testing

@Suite("Writing lines")
struct LineWriterTests {
    @Test func writesThePiecesOfALineThroughAPipeWhateverItTakesAtATime() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let (reading, writing) = (ends[0], ends[1])
        // Larger than a pipe's buffer, so writev returns short and the writer must carry on where it stopped.
        let pieces: [[UInt8]] = [Array(#"{"result":"#.utf8), [UInt8](repeating: UInt8(ascii: "7"), count: 1 << 20), [], Array("}".utf8)]
        let expected = pieces.joined() + [UInt8(ascii: "\n")]
        let writer = LineWriter(fileDescriptor: writing)
        Thread.detachNewThread { writer.write(line: pieces) }
        // Blocking reads on a thread of their own, never on the test's: they stop at the expected length rather
        // than at end of file, which a child another test spawns could delay by inheriting the write end.
        let received = Locked<[UInt8]>([])
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while received.withLock({ $0.count }) < expected.count {
                let count = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                received.withLock { $0 += buffer[0..<count] }
            }
            close(reading)
            close(writing)
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while received.withLock({ $0.count }) < expected.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(received.withLock { $0 } == expected)
    }
}

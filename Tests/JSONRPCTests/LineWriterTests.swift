import EventLoop
import Foundation
import JSONRPC
import Locking
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Writing lines")
struct LineWriterTests {
    @Test func writesThePiecesOfALineThroughAPipeWhateverItTakesAtATime() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let (reading, writing) = (ends[0], ends[1])
        // Larger than a pipe's buffer, so writev returns short and the writer must carry on where it stopped.
        let pieces: [[UInt8]] = [
            Array(#"{"result":"#.utf8), [UInt8](repeating: UInt8(ascii: "7"), count: 1 << 20), [], Array("}".utf8),
        ]
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

    /// Found in review: a cancelled sender whose line had left in part (a whole first piece, none of the second)
    /// dropped the rest, newline included, and the next line ran on from the fragment.
    @Test func aLineBegunIsWrittenWholeThoughItsSenderIsCancelled() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let (reader, writerEnd) = (ends[0], ends[1])
        // A pipe of one page: the first piece fills it exactly, the second finds no room at all.
        let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ, which the Glibc module does not bring
        #expect(fcntl(writerEnd, setPipeSize, 4096) == 4096)
        let writer = LineWriter(fileDescriptor: writerEnd, loop: loop)
        let first = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        let second = [UInt8](repeating: UInt8(ascii: "b"), count: 70_000)  // 64 KiB or more: the newline goes alone

        let sent = await Task(executorPreference: loop) { () async -> Bool in
            withUnsafeCurrentTask { $0?.cancel() }
            return await writer.send(line: [first, second])
        }.value
        #expect(!sent)  // the sender let go ...

        // ... but the line leaves whole once the host reads.
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(30)
        while received.count < first.count + second.count + 1 && ContinuousClock.now < deadline {
            var ready = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else { continue }
            let count = read(reader, &buffer, buffer.count)
            if count > 0 { received += buffer[0..<count] }
        }
        close(writerEnd)
        #expect(received.count == first.count + second.count + 1)
        #expect(received.last == UInt8(ascii: "\n"))
    }
}

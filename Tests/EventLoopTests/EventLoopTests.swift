import EventLoop
import Locking
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The event loop")
struct EventLoopTests {
    @Test func runsClosuresOnItsOwnThreadInTheOrderTheyWereQueued() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        let seen = Locked<[(Int, Bool)]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for number in 0..<100 { loop.execute { seen.withLock { $0.append((number, loop.isCurrent)) } } }
            loop.execute { done.resume() }
        }
        #expect(seen.withLock { $0.map(\.0) } == Array(0..<100))
        #expect(seen.withLock { $0.allSatisfy(\.1) })
        #expect(!loop.isCurrent)
    }

    @Test func runsTheJobsOfATaskThatPrefersItAndOfItsChildrenOnItsThread() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        let onLoop = await Task(executorPreference: loop) { () async -> [Bool] in
            let first = loop.isCurrent
            await Task.yield()
            let child = await withTaskGroup(of: Bool.self) { group in
                group.addTask { loop.isCurrent }
                return await group.next() ?? false
            }
            return [first, loop.isCurrent, child]
        }.value
        #expect(onLoop == [true, true, true])
    }

    @Test func callsAWatchersHandlerWhenItsDescriptorBecomesReadable() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let reader = ends[0]
        let received = await withCheckedContinuation { (done: CheckedContinuation<[UInt8], Never>) in
            loop.execute {
                do {
                    try loop.watch(reader, for: .readable) { _ in
                        var buffer = [UInt8](repeating: 0, count: 16)
                        let count = read(reader, &buffer, buffer.count)
                        loop.unwatch(reader)
                        done.resume(returning: Array(buffer.prefix(max(0, count))))
                    }
                } catch {
                    done.resume(returning: [])
                }
            }
            var byte: UInt8 = 42
            _ = write(ends[1], &byte, 1)
        }
        #expect(received == [42])
    }

    @Test func refusesToWatchARegularFileWhichEpollCannotWait() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        let file = open("/proc/self/status", O_RDONLY)
        defer { close(file) }
        let refused = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            loop.execute {
                do throws(EventLoopError) {
                    try loop.watch(file, for: .readable) { _ in }
                    done.resume(returning: false)
                } catch {
                    done.resume(returning: error.errno == EPERM)
                }
            }
        }
        #expect(refused)
    }

    @Test func firesTimersByTheirDeadlinesNotByTheOrderTheyWereSet() async throws {
        let loop = try EventLoop(name: "test loop")
        defer { loop.stop() }
        let fired = Locked<[String]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                loop.setTimer(after: .milliseconds(60)) {
                    fired.withLock { $0.append("late") }
                    done.resume()
                }
                loop.setTimer(after: .milliseconds(20)) { fired.withLock { $0.append("early") } }
                let cancelled = loop.setTimer(after: .milliseconds(10)) { fired.withLock { $0.append("cancelled") } }
                loop.setTimer(after: .zero) { fired.withLock { $0.append("now") } }
                loop.cancelTimer(cancelled)
            }
        }
        #expect(fired.withLock { $0 } == ["now", "early", "late"])
    }
}

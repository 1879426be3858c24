import Locking
import Testing

@testable import JSONRPC

/// The waits under the server's shutdown: lines in flight, and its stop.
@Suite("Waiting on a value")
struct WaitableStateTests {
    @Test func aConditionAlreadyMetDoesNotWait() async {
        let count = WaitableState(0)
        await count.wait { $0 == 0 }
    }

    @Test func aWaiterGoesOnWhenAChangeMeetsItsConditionAndNotBefore() async throws {
        let count = WaitableState(2)
        let wentOn = Locked(false)
        let waiter = Task {
            await count.wait { $0 <= 0 }
            wentOn.withLock { $0 = true }
        }
        count.update { $0 -= 1 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!wentOn.withLock { $0 })
        count.update { $0 -= 1 }
        await waiter.value
        #expect(wentOn.withLock { $0 })
    }

    @Test func aCancelledWaiterGoesOnAtOnce() async {
        let never = WaitableState(false)
        let waiter = Task { await never.wait { $0 } }
        waiter.cancel()
        await waiter.value
    }

    @Test func aLatchLetsEveryWaiterGoOnceFiredAndEveryLaterOneToo() async {
        let latch = Latch()
        async let first: Void = latch.wait()
        async let second: Void = latch.wait()
        latch.fire()
        _ = await (first, second)
        await latch.wait()
    }
}

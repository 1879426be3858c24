/// A one-time event tasks can wait for: once fired, every waiter goes on, and so does every later one. A waiter whose
/// task is cancelled goes on at once.
final class Latch: Sendable {
    private let fired = WaitableState(false)

    func fire() {
        fired.update { $0 = true }
    }

    /// Returns once the latch has fired, or once the calling task is cancelled.
    func wait() async {
        await fired.wait { $0 }
    }
}

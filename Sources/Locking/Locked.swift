#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a pthread mutex: `withLock` gives exclusive access to it.
///
/// Used instead of the standard library's `Mutex` because that one is built on futexes the thread sanitizer
/// cannot see, so every correctly locked access showed up as a data race in `--sanitize=thread` runs; the
/// sanitizer understands pthread mutexes. The API is `Mutex`'s.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    // Safety: `value` is only touched inside `withLock`, between lock and unlock of `mutex`.
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

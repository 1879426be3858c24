/// How much a server accepts at once. Each limit has a default and a command-line flag in the executable.
package struct ServerLimits: Sendable {
    /// The longest input line, in bytes; a longer one is answered -32600 and skipped without being held.
    package var maximumLineLength: Int
    /// The most requests in one batch; a larger batch is answered with one -32600 error.
    package var maximumBatchSize: Int
    /// The most method calls running at once; later ones wait, in order of arrival, and are never refused.
    /// Protocol notifications (`$/cancelRequest`, `exit`) never wait.
    package var maximumConcurrentCalls: Int
    /// After SIGTERM or SIGINT, how long calls in flight may take to finish before they are cancelled.
    package var shutdownGracePeriod: Duration
    /// The most lines read and not yet answered (``InputBudget``); past it, input is read as answers leave.
    package var maximumPendingLines: Int
    /// The most bytes of such lines; a single longer line still passes, alone.
    package var maximumPendingBytes: Int

    package init(
        maximumLineLength: Int = 16 << 20, maximumBatchSize: Int = 1000, maximumConcurrentCalls: Int = 64,
        shutdownGracePeriod: Duration = .seconds(2), maximumPendingLines: Int = 1024,
        maximumPendingBytes: Int = 64 << 20
    ) {
        self.maximumLineLength = maximumLineLength
        self.maximumBatchSize = maximumBatchSize
        self.maximumConcurrentCalls = maximumConcurrentCalls
        self.shutdownGracePeriod = shutdownGracePeriod
        self.maximumPendingLines = maximumPendingLines
        self.maximumPendingBytes = maximumPendingBytes
    }
}

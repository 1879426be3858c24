/// A fixture made once per test process, on first use, however many tests ask for it at the same time (the plain
/// servers of ``SharedServers``, the secured ones, the certificates). A failure to make it is kept, and every test
/// asking gets it.
package actor SharedFixture<Value: Sendable> {
    private let make: @Sendable () async throws -> Value
    private var making: Task<Value, Error>?

    package init(_ make: @escaping @Sendable () async throws -> Value) {
        self.make = make
    }

    /// The fixture, made now if no test has asked before.
    package func get() async throws -> Value {
        if let making { return try await making.value }
        let task = Task { [make] in try await make() }
        making = task
        return try await task.value
    }
}

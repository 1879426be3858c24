import JSON
import Logging
import Locking

/// Serves newline-delimited JSON-RPC 2.0: each input line in, at most one output line out.
///
/// Every line is handled in a task of its own, so a slow request never holds up the next line; responses are
/// written as they complete, in any order, each whole on one line. Besides the methods of its table, the server
/// answers the protocol's own: `$/cancelRequest` (cancel a request in flight), and `shutdown` and `exit` in the
/// manner of the Language Server Protocol.
///
/// ``run(input:output:)`` returns at end of input once every request in flight is answered, at `exit`, or after
/// ``shutDown()`` once the calls in flight have finished or, past the grace period, been cancelled.
public final class Server: Sendable {
    private let methods: MethodTable
    private let limits: ServerLimits
    private let logger: Logger
    private let permits: CallPermits
    /// The requests being served, by id, so `$/cancelRequest` can reach them.
    private let inFlight = Locked<[RequestID: Task<Response.Outcome, Never>]>([:])
    private let lifecycle = Locked(Lifecycle())

    private struct Lifecycle {
        /// Set by ``Server/shutDown()`` (a signal): the input is no longer read.
        var stopping = false
        /// Set by the `shutdown` request: every later request but `exit` is refused.
        var shutdownRequested = false
        /// Set by the `exit` notification, with the status the process should exit with.
        var exitStatus: Int32?
        /// Ends the server's own view of the input, which makes ``Server/run(input:output:)`` stop reading.
        var endInput: (@Sendable () -> Void)?
        /// Lines being handled right now.
        var linesInFlight = 0
    }

    /// The notification that cancels a request in flight, as in the Language Server Protocol.
    public static let cancelMethod = "$/cancelRequest"
    /// The request that asks the server to finish its work and refuse new requests.
    public static let shutdownMethod = "shutdown"
    /// The notification that ends the server.
    public static let exitMethod = "exit"

    public init(methods: MethodTable, limits: ServerLimits, logger: Logger) {
        self.methods = methods
        self.limits = limits
        self.logger = logger
        self.permits = CallPermits(limit: limits.maximumConcurrentCalls)
    }

    /// Answers the lines of `input` on `output` until end of input, `exit` or ``shutDown()``, and returns the
    /// status the process should exit with: 0, or 1 for an `exit` without a prior `shutdown` (as in the
    /// Language Server Protocol).
    @discardableResult
    public func run<Input: AsyncSequence & Sendable>(input: Input, output: LineWriter) async -> Int32
    where Input.Element == LineSplitter.Event {
        // The server reads its own stream, fed from `input`, so a shutdown can end it while `input` still waits.
        let (lines, feed) = AsyncStream.makeStream(of: LineSplitter.Event.self)
        lifecycle.withLock { $0.endInput = { feed.finish() } }
        let forwarding = Task {
            do {
                for try await event in input { feed.yield(event) }
            } catch {
                logger.error("reading the input failed: \(error)")
            }
            feed.finish()
        }
        defer { forwarding.cancel() }

        await withDiscardingTaskGroup { group in
            for await event in lines {
                lifecycle.withLock { $0.linesInFlight += 1 }
                group.addTask {
                    if let answer = await self.response(to: event) {
                        output.write(line: answer.serializedChunks())
                    }
                    self.lifecycle.withLock { $0.linesInFlight -= 1 }
                }
                if lifecycle.withLock({ $0.exitStatus != nil }) { break }
            }
            let (stopping, exiting) = lifecycle.withLock { ($0.stopping, $0.exitStatus != nil) }
            if stopping {
                await waitForLinesInFlight(upTo: limits.shutdownGracePeriod)
            }
            if stopping || exiting {
                group.cancelAll()  // what is left is answered "Request cancelled"
            }
        }
        return lifecycle.withLock { $0.exitStatus ?? 0 }
    }

    /// Stops reading input (after SIGTERM or SIGINT, say): calls in flight get the grace period of the limits
    /// to finish, then are cancelled and answered with -32800; then ``run(input:output:)`` returns.
    public func shutDown() {
        let end = lifecycle.withLock { state -> (@Sendable () -> Void)? in
            state.stopping = true
            return state.endInput
        }
        logger.info("shutting down: no more input is read")
        end?()
    }

    private func waitForLinesInFlight(upTo grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        while lifecycle.withLock({ $0.linesInFlight > 0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The response line for one input event, or `nil` when nothing is to be written (notifications).
    public func answer(to event: LineSplitter.Event) async -> [UInt8]? {
        await response(to: event)?.serialized()
    }

    /// The response line for one line of input, or `nil` when nothing is to be written.
    public func answer(toLine line: [UInt8]) async -> [UInt8]? {
        await response(toLine: line)?.serialized()
    }

    /// The response (or batch of responses) for one input event, not yet written out.
    func response(to event: LineSplitter.Event) async -> JSONValue? {
        switch event {
        case .oversized(let length):
            logger.warning("dropped an input line of \(length) bytes")
            let error = JSONRPCError.invalidRequest(
                "the line is \(length) bytes long, more than the limit of \(limits.maximumLineLength) bytes")
            return Response.error(error, id: .null).jsonValue
        case .line(let bytes):
            return await response(toLine: bytes)
        }
    }

    private func response(toLine line: [UInt8]) async -> JSONValue? {
        let message: JSONValue
        do {
            message = try JSONValue(parsing: line)
        } catch {
            logger.debug("unparseable line: \(error)")
            return Response.error(.parseError(error.description), id: .null).jsonValue
        }
        guard case .array(let batch) = message else {
            return await respond(to: message)?.jsonValue
        }
        guard !batch.isEmpty else {
            return Response.error(.invalidRequest("an empty batch"), id: .null).jsonValue
        }
        guard batch.count <= limits.maximumBatchSize else {
            let error = JSONRPCError.invalidRequest(
                "a batch of \(batch.count) requests, more than the limit of \(limits.maximumBatchSize)")
            return Response.error(error, id: .null).jsonValue
        }
        let responses = await withTaskGroup(of: (Int, Response?).self) { group in
            for (index, element) in batch.enumerated() {
                group.addTask { (index, await self.respond(to: element)) }
            }
            var answered = [Response?](repeating: nil, count: batch.count)
            for await (index, response) in group { answered[index] = response }
            return answered.compactMap { $0 }
        }
        guard !responses.isEmpty else { return nil }  // a batch of notifications only
        return JSONValue.array(responses.map(\.jsonValue))
    }

    /// Serves one request; `nil` for a notification.
    public func respond(to message: JSONValue) async -> Response? {
        let request: Request
        switch Request.decode(message) {
        case .failure(let invalid):
            return .error(invalid.error, id: invalid.id)
        case .success(let valid):
            request = valid
        }
        switch request.method {
        case Self.cancelMethod: return cancel(request)
        case Self.exitMethod: return exit(request)
        case Self.shutdownMethod: return await shutdown(request)
        default: break
        }
        if lifecycle.withLock({ $0.shutdownRequested }) {
            return request.id.map { .error(.invalidRequest("the server is shutting down: only 'exit' is accepted"), id: $0) }
        }
        let outcome = await callTracked(request)
        guard let id = request.id else {
            if case .error(let error) = outcome {
                logger.debug("notification '\(request.method)' failed: \(error.message)")
            }
            return nil
        }
        return Response(id: id, outcome: outcome)
    }

    /// Calls `request` in a task of its own, registered under its id while it runs, so it can be cancelled.
    private func callTracked(_ request: Request) async -> Response.Outcome {
        guard let id = request.id else { return await call(request) }
        let task = Task { await self.call(request) }
        inFlight.withLock { $0[id] = task }
        let outcome = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        inFlight.withLock { requests in
            // A later request may have reused the id; only this request's entry is removed.
            if requests[id] == task { requests[id] = nil }
        }
        return outcome
    }

    /// `$/cancelRequest` `{"id": ...}`: cancels that request if it is still running; an unknown or finished id
    /// is ignored. Answered only when sent as a request (with an id), with `null`.
    private func cancel(_ request: Request) -> Response? {
        let target = request.params?["id"].flatMap(RequestID.init)
        if let target, let task = inFlight.withLock({ $0[target] }) {
            logger.debug("cancelling request \(target)")
            task.cancel()
        }
        guard let id = request.id else { return nil }
        guard target != nil else {
            return .error(.invalidParams("'\(Self.cancelMethod)' takes {\"id\": <the id of the request to cancel>}"), id: id)
        }
        return .result(.null, id: id)
    }

    /// `shutdown`: refuse every later request but `exit`, let the others in flight finish, then answer `null`.
    private func shutdown(_ request: Request) async -> Response? {
        lifecycle.withLock { $0.shutdownRequested = true }
        logger.info("shutdown requested: finishing the requests in flight")
        // This line is itself in flight; wait for the others.
        while lifecycle.withLock({ $0.linesInFlight > 1 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return request.id.map { .result(.null, id: $0) }
    }

    /// `exit`: ends the server, with status 0 after `shutdown` and 1 without, as the Language Server Protocol says.
    private func exit(_ request: Request) -> Response? {
        let end = lifecycle.withLock { state -> (@Sendable () -> Void)? in
            state.exitStatus = state.shutdownRequested ? 0 : 1
            return state.endInput
        }
        end?()
        return nil
    }

    private func call(_ request: Request) async -> Response.Outcome {
        guard let handler = methods.handler(for: request.method) else {
            return .error(.methodNotFound(request.method, available: methods.names))
        }
        guard await permits.acquire() else { return .error(.requestCancelled) }
        defer { permits.release() }
        logger.debug("calling '\(request.method)'\(request.id.map { " (id \($0))" } ?? "")")
        do {
            return .result(try await handler(request.params))
        } catch let error as JSONRPCError {
            return .error(error)
        } catch is CancellationError {
            return .error(lifecycle.withLock { $0.stopping } ? .shuttingDown : .requestCancelled)
        } catch {
            logger.error("'\(request.method)' failed unexpectedly: \(error)")
            return .error(.internalError(String(describing: error)))
        }
    }
}

import JSON
import Locking
import PluginLog

/// Serves newline-delimited JSON-RPC 2.0: each input line in, at most one output line out.
///
/// Every line is handled in a task of its own, so a slow request never holds up the next line; responses are
/// written as they complete, in any order, each whole on one line. Besides the methods of its table, the server
/// answers the protocol's own: `$/cancelRequest` (cancel a request in flight), and `shutdown` and `exit` in the
/// manner of the Language Server Protocol.
///
/// ``run(input:output:)`` returns at end of input once every request in flight is answered, at `exit`, or after
/// ``shutDown()`` once the calls in flight have finished or, past the grace period, been cancelled.
package final class Server: Sendable {
    private let methods: MethodTable
    private let limits: ServerLimits
    private let logger: Logger
    private let permits: CallPermits
    /// The requests being served, by id, so a cancellation can reach them.
    private let inFlight = Locked<[RequestID: InFlightCall]>([:])
    /// The methods that cancel a request in flight.
    private let cancellationMethods: [CancellationMethod]
    private let lifecycle = Locked(Lifecycle())
    private let lines = LinesInFlight()
    /// Fired by ``shutDown()``: wakes a server that, its input ended, waits for the calls in flight.
    private let stopped = Latch()
    /// Where the calls run (the plugin's event loop), or `nil` for Swift's global executor.
    private let executor: (any TaskExecutor)?

    /// A call being served, as a cancellation finds it. A class, so that the call's own record, not whichever
    /// request holds its id by then, says whether it is answered: a host may reuse an id.
    private final class InFlightCall: Sendable {
        let task: Task<Response.Outcome, Never>
        /// Cleared by a cancellation that wants no answer (``CancellationMethod/answersCancelledRequest``).
        let answered = Locked(true)

        init(task: Task<Response.Outcome, Never>) {
            self.task = task
        }
    }

    /// Where the server is in its life, as the Language Server Protocol orders it, and how to stop its input.
    private struct Lifecycle {
        enum Phase: Equatable {
            /// Serving every request.
            case serving
            /// After the `shutdown` request: every later request but `exit` is refused.
            case shutDown
            /// After ``Server/shutDown()`` (a signal): no more input is read; the calls in flight get the grace
            /// period, then are cancelled. Whether `shutdown` came first decides the exit status.
            case stopping(afterShutdown: Bool)
            /// After `exit`: the calls in flight are cancelled and the server ends with `status`.
            case exiting(status: Int32)
        }

        var phase = Phase.serving
        /// Ends the server's own view of the input, which makes ``Server/run(input:output:)`` stop reading.
        var endInput: (@Sendable () -> Void)?

        /// Whether `shutdown` has been requested: then only `exit` is accepted.
        var shutdownRequested: Bool {
            switch phase {
            case .shutDown, .stopping(afterShutdown: true): true
            case .serving, .stopping(afterShutdown: false), .exiting: false
            }
        }

        var isExiting: Bool {
            if case .exiting = phase { return true }
            return false
        }
    }

    /// The request that asks the server to finish its work and refuse new requests.
    package static let shutdownMethod = "shutdown"
    /// The notification that ends the server.
    package static let exitMethod = "exit"

    /// A server whose calls run as tasks that prefer `executor` (the task executor preference of Swift's
    /// concurrency), or on the global executor when it is `nil`. Run ``run(input:output:budget:)`` in a task that
    /// prefers the same executor, so that the reading, the admission and the answers stay there too.
    /// `cancellationMethods` are the methods that cancel a request in flight (`$/cancelRequest` by default).
    package init(
        methods: MethodTable, limits: ServerLimits, logger: Logger, executor: (any TaskExecutor)? = nil,
        cancellationMethods: [CancellationMethod] = [.languageServerProtocol]
    ) {
        self.executor = executor
        self.cancellationMethods = cancellationMethods
        self.methods = methods
        self.limits = limits
        self.logger = logger
        self.permits = CallPermits(limit: limits.maximumConcurrentCalls)
    }

    /// Answers the lines of `input` on `output` until end of input, `exit` or ``shutDown()``, and returns the
    /// status the process should exit with: 0, or 1 for an `exit` without a prior `shutdown` (as in the
    /// Language Server Protocol). The room each line took in `budget` is given back once it is answered.
    ///
    /// `input` is read in a task of its own and handed on; a source that can deliver straight into the server's
    /// stream (``InputReader``) is better served by ``run(output:budget:input:)``, which saves that hand-off.
    @discardableResult
    package func run<Input: AsyncSequence & Sendable>(
        input: Input, output: LineWriter, budget: InputBudget? = nil
    ) async -> Int32
    where Input.Element == LineSplitter.Event {
        await run(output: output, budget: budget) { [logger, executor] feed in
            let forwarding = Task(executorPreference: executor) {
                do {
                    for try await event in input { feed.yield(event) }
                } catch {
                    logger.error("reading the input failed: \(error)")
                }
                feed.finish()
            }
            feed.onTermination = { _ in forwarding.cancel() }
        }
    }

    /// Answers the lines that `input` starts delivering into the server's stream, as ``run(input:output:budget:)``
    /// does. `input` is called once, unless a signal came first; the stream finishes (and its `onTermination`
    /// runs, which is how the source learns to stop reading) at `exit`, at ``shutDown()`` and when the server
    /// returns. The room each line took in `budget` (``InputReader``'s) is given back once it is answered.
    @discardableResult
    package func run(
        output: LineWriter, budget: InputBudget? = nil,
        input: @Sendable (AsyncStream<LineSplitter.Event>.Continuation) -> Void
    ) async -> Int32 {
        let (lines, feed) = AsyncStream.makeStream(of: LineSplitter.Event.self)
        let stoppedAlready = lifecycle.withLock { state -> Bool in
            state.endInput = { feed.finish() }
            if case .serving = state.phase { return false }
            if case .shutDown = state.phase { return false }
            return true
        }
        defer { feed.finish() }
        if stoppedAlready {
            feed.finish()  // a signal before the server ran: nothing is read
        } else {
            input(feed)
        }

        // Every call's task inherits the writer, through which its handler may send notifications.
        await PeerNotification.$writer.withValue(output) { await serve(lines, output: output, budget: budget) }
        if case .exiting(let status) = lifecycle.withLock(\.phase) { return status }
        return 0
    }

    private func serve(_ lines: AsyncStream<LineSplitter.Event>, output: LineWriter, budget: InputBudget?) async {
        await withDiscardingTaskGroup { group in
            for await event in lines {
                // A signal stops the reading at once: lines still buffered are not taken either.
                if isStopping { break }
                self.lines.begin()
                let admitted = admit(event)
                group.addTask {
                    if let answer = await self.answer(admitted) {
                        // Kept alive until the line has left: a text's memory reservation goes with it, and the
                        // chunks being written are its bytes.
                        _ = await output.send(line: answer.serializedChunks())
                        withExtendedLifetime(answer) {}
                    }
                    self.lines.end()
                    budget?.give(event.size)
                }
                if lifecycle.withLock(\.isExiting) { break }
            }
            switch lifecycle.withLock(\.phase) {
            case .stopping:
                await self.lines.waitUntilNone(atMost: limits.shutdownGracePeriod)
                group.cancelAll()  // what is left is answered "Request cancelled"
            case .exiting:
                group.cancelAll()
            case .serving, .shutDown:
                // End of input: every request in flight is answered, unless a signal comes first; then the
                // calls get the grace period as they would have before the end of input.
                if await self.stopsBeforeTheLastLine() {
                    await self.lines.waitUntilNone(atMost: limits.shutdownGracePeriod)
                    group.cancelAll()
                }
            }
        }
    }

    /// Stops reading input (after SIGTERM or SIGINT, say): calls in flight get the grace period of the limits
    /// to finish, then are cancelled and answered with -32800; then ``run(input:output:)`` returns. A signal
    /// before `run` starts, or after its input has ended, is honoured the same way.
    package func shutDown() {
        let end = lifecycle.withLock { state -> (@Sendable () -> Void)? in
            if !state.isExiting { state.phase = .stopping(afterShutdown: state.shutdownRequested) }
            return state.endInput
        }
        logger.info("shutting down: no more input is read")
        end?()
        stopped.fire()
    }

    /// Waits until no line is in flight (`false`), or until ``shutDown()`` comes first (`true`).
    private func stopsBeforeTheLastLine() async -> Bool {
        await withTaskGroup(of: Bool.self) { race in
            race.addTask {
                await self.lines.wait(untilAtMost: 0)
                return false
            }
            race.addTask {
                await self.stopped.wait()
                return true
            }
            let first = await race.next() ?? false
            race.cancelAll()
            return first
        }
    }

    /// Whether a signal is stopping the server: a call cancelled then says "the plugin is shutting down".
    private var isStopping: Bool {
        lifecycle.withLock { state in
            if case .stopping = state.phase { return true }
            return false
        }
    }

    /// The response line for one input event, or `nil` when nothing is to be written (notifications).
    package func answer(to event: LineSplitter.Event) async -> [UInt8]? {
        await answer(admit(event))?.serialized()
    }

    /// The response line for one line of input, or `nil` when nothing is to be written.
    package func answer(toLine line: [UInt8]) async -> [UInt8]? {
        await answer(admit(.line(line)))?.serialized()
    }

    // MARK: - Admission, in the order of the input

    /// One input line once admitted: decoded, its calls started and registered under their ids, and what the
    /// protocol itself decides (a cancellation, `shutdown`, `exit`) done. Lines are admitted one after another in
    /// the order they arrive, before the next is looked at, so a `$/cancelRequest` right behind its request always
    /// finds it, and `exit` right behind `shutdown` always sees it; only the answers are awaited concurrently.
    private enum Admitted: Sendable {
        /// An answer known at once (an error of the whole line), or nothing to write.
        case answered(JSONOutput?)
        /// One request.
        case single(Pending)
        /// A batch: its members, in order.
        case batch([Pending])
    }

    /// The answer of one admitted request.
    private enum Pending: Sendable {
        /// Known at once; `nil` for a notification.
        case now(Response?)
        /// A call running in a task of its own, registered under the request's id (when it has one).
        case call(Request, InFlightCall)
        /// `shutdown`: answered once every other line in flight has been.
        case shutdown(RequestID?)
    }

    private func admit(_ event: LineSplitter.Event) -> Admitted {
        let line: [UInt8]
        switch event {
        case .oversized(let length):
            logger.warning("dropped an input line of \(length) bytes")
            let error = JSONRPCError.invalidRequest(
                "the line is \(length) bytes long, more than the limit of \(limits.maximumLineLength) bytes")
            return .answered(Response.error(error, id: .null).output)
        case .line(let bytes):
            line = bytes
        }
        let message: JSONValue
        do {
            message = try JSONValue(parsing: line)
        } catch {
            logger.debug("unparseable line: \(error)")
            return .answered(Response.error(.parseError(error.description), id: .null).output)
        }
        guard case .array(let batch) = message else { return .single(admit(message)) }
        guard !batch.isEmpty else {
            return .answered(Response.error(.invalidRequest("an empty batch"), id: .null).output)
        }
        guard batch.count <= limits.maximumBatchSize else {
            let error = JSONRPCError.invalidRequest(
                "a batch of \(batch.count) requests, more than the limit of \(limits.maximumBatchSize)")
            return .answered(Response.error(error, id: .null).output)
        }
        return .batch(batch.map(admit))
    }

    private func admit(_ message: JSONValue) -> Pending {
        let request: Request
        switch Request.decode(message) {
        case .failure(let invalid):
            return .now(.error(invalid.error, id: invalid.id))
        case .success(let valid):
            request = valid
        }
        if request.method == Self.exitMethod { return .now(exit(request)) }
        // After `shutdown` every request but `exit` is refused; a cancellation sent as a notification still cancels.
        if let id = request.id, lifecycle.withLock(\.shutdownRequested) {
            return .now(.error(.invalidRequest("the server is shutting down: only 'exit' is accepted"), id: id))
        }
        if let cancellation = cancellationMethods.first(where: { $0.method == request.method }) {
            return .now(cancel(request, as: cancellation))
        }
        if request.method == Self.shutdownMethod { return shutdown(request) }
        if lifecycle.withLock(\.shutdownRequested) { return .now(nil) }  // a notification after `shutdown`: ignored
        // The call's place among those waiting for a permit is taken here, in the order of the input.
        let place = methods.handler(for: request.method) != nil ? permits.reserve() : nil
        let task = Task(executorPreference: executor) { await self.call(request, place: place) }
        let call = InFlightCall(task: task)
        if let id = request.id { inFlight.withLock { $0[id] = call } }
        return .call(request, call)
    }

    /// A cancellation (`$/cancelRequest {"id": ...}`, say): cancels that request if it is still running; an
    /// unknown or finished id is ignored. Answered only when sent as a request (with an id), with `null`.
    private func cancel(_ request: Request, as cancellation: CancellationMethod) -> Response? {
        let target = request.params?[cancellation.idMember].flatMap(RequestID.init)
        if let target {
            if let call = inFlight.withLock({ $0[target] }) {
                if !cancellation.answersCancelledRequest { call.answered.withLock { $0 = false } }
                logger.debug("cancelling request \(target)")
                call.task.cancel()
            }
        }
        guard let id = request.id else { return nil }
        guard target != nil else {
            return .error(
                .invalidParams(
                    "'\(cancellation.method)' takes {\"\(cancellation.idMember)\": <the id of the request to cancel>}"),
                id: id)
        }
        return .result(.null, id: id)
    }

    /// `shutdown`: refuse every later request but `exit`, let the others in flight finish, then answer `null`.
    /// A second `shutdown` is refused at once, as every request after the first is: two waiting for each other
    /// to finish would never end.
    private func shutdown(_ request: Request) -> Pending {
        let first = lifecycle.withLock { state -> Bool in
            switch state.phase {
            case .serving: state.phase = .shutDown
            case .stopping(afterShutdown: false): state.phase = .stopping(afterShutdown: true)
            case .shutDown, .stopping(afterShutdown: true), .exiting: return false
            }
            return true
        }
        guard first else {
            return .now(
                request.id.map {
                    .error(.invalidRequest("the server is shutting down: only 'exit' is accepted"), id: $0)
                })
        }
        logger.info("shutdown requested: finishing the requests in flight")
        return .shutdown(request.id)
    }

    /// `exit`: ends the server, with status 0 after `shutdown` and 1 without, as the Language Server Protocol says.
    /// It is a notification there; sent with an id it is answered `null`, as every request is answered.
    private func exit(_ request: Request) -> Response? {
        let end = lifecycle.withLock { state -> (@Sendable () -> Void)? in
            if !state.isExiting { state.phase = .exiting(status: state.shutdownRequested ? 0 : 1) }
            return state.endInput
        }
        end?()
        return request.id.map { .result(.null, id: $0) }
    }

    // MARK: - Answers, awaited concurrently

    private func answer(_ admitted: Admitted) async -> JSONOutput? {
        switch admitted {
        case .answered(let answer):
            return answer
        case .single(let pending):
            return await resolve(pending)?.output
        case .batch(let members):
            let responses = await withTaskGroup(of: (Int, Response?).self) { group in
                for (index, member) in members.enumerated() {
                    group.addTask { (index, await self.resolve(member)) }
                }
                var answered = [Response?](repeating: nil, count: members.count)
                for await (index, response) in group { answered[index] = response }
                return answered.compactMap { $0 }
            }
            return responses.isEmpty ? nil : .array(responses.map(\.output))  // nothing for notifications only
        }
    }

    private func resolve(_ pending: Pending) async -> Response? {
        switch pending {
        case .now(let response):
            return response
        case .shutdown(let id):
            // This line is itself in flight; wait for the others (or until `exit` or a signal cancels the wait).
            await lines.wait(untilAtMost: 1)
            return id.map { .result(.null, id: $0) }
        case .call(let request, let call):
            let task = call.task
            let outcome = await withTaskCancellationHandler {
                await task.value
            } onCancel: {
                task.cancel()
            }
            guard let id = request.id else {
                if case .error(let error) = outcome {
                    logger.debug("notification '\(request.method)' failed: \(error.message)")
                }
                return nil
            }
            inFlight.withLock { requests in
                // A later request may have reused the id; only this request's entry is removed.
                if requests[id] === call { requests[id] = nil }
            }
            guard call.answered.withLock({ $0 }) else {
                logger.debug("request \(id) was cancelled by a cancellation that wants no answer")
                return nil
            }
            return Response(id: id, outcome: outcome)
        }
    }

    private func call(_ request: Request, place: CallPermits.Place?) async -> Response.Outcome {
        guard let handler = methods.handler(for: request.method), let place else {
            return .error(.methodNotFound(request.method, available: methods.names))
        }
        guard await permits.acquire(place) else { return .error(isStopping ? .shuttingDown : .requestCancelled) }
        defer { permits.release() }
        logger.debug("calling '\(request.method)'\(request.id.map { " (id \($0))" } ?? "")")
        do {
            return .result(try await handler(request.params))
        } catch let error as JSONRPCError {
            return .error(error)
        } catch is CancellationError {
            return .error(isStopping ? .shuttingDown : .requestCancelled)
        } catch {
            logger.error("'\(request.method)' failed unexpectedly: \(error)")
            return .error(.internalError(String(describing: error)))
        }
    }
}

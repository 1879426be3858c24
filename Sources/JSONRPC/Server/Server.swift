import JSON
import Logging
import Synchronization

/// Serves newline-delimited JSON-RPC 2.0: each input line in, at most one output line out.
///
/// Every line is handled in a task of its own, so a slow request never holds up the next line; responses are
/// written as they complete, in any order, each whole on one line. ``run(input:output:)`` returns once the
/// input has ended and every request in flight has been answered.
public final class Server: Sendable {
    private let methods: MethodTable
    private let maximumLineLength: Int
    private let logger: Logger
    /// The requests being served, by id, so `$/cancelRequest` can reach them.
    private let inFlight = Mutex<[RequestID: Task<Response.Outcome, Never>]>([:])

    /// The notification that cancels a request in flight, as in the Language Server Protocol.
    public static let cancelMethod = "$/cancelRequest"

    /// A server for `methods`; `maximumLineLength` is only used to word the error for an over-long line.
    public init(methods: MethodTable, maximumLineLength: Int, logger: Logger) {
        self.methods = methods
        self.maximumLineLength = maximumLineLength
        self.logger = logger
    }

    /// Answers every line of `input` on `output`, then returns when all answers are written.
    public func run<Input: AsyncSequence & Sendable>(input: Input, output: LineWriter) async
    where Input.Element == LineSplitter.Event {
        await withDiscardingTaskGroup { group in
            do {
                for try await event in input {
                    group.addTask {
                        if let answer = await self.answer(to: event) {
                            output.write(line: answer)
                        }
                    }
                }
            } catch {
                logger.error("reading the input failed: \(error)")
            }
        }
    }

    /// The response line for one input event, or `nil` when nothing is to be written (notifications).
    public func answer(to event: LineSplitter.Event) async -> [UInt8]? {
        switch event {
        case .oversized(let length):
            logger.warning("dropped an input line of \(length) bytes")
            let error = JSONRPCError.invalidRequest(
                "the line is \(length) bytes long, more than the limit of \(maximumLineLength) bytes")
            return Response.error(error, id: .null).jsonValue.serialized()
        case .line(let bytes):
            return await answer(toLine: bytes)
        }
    }

    /// The response line for one line of input, or `nil` when nothing is to be written.
    public func answer(toLine line: [UInt8]) async -> [UInt8]? {
        let message: JSONValue
        do {
            message = try JSONValue(parsing: line)
        } catch {
            logger.debug("unparseable line: \(error)")
            return Response.error(.parseError(error.description), id: .null).jsonValue.serialized()
        }
        guard case .array(let batch) = message else {
            return await respond(to: message)?.jsonValue.serialized()
        }
        guard !batch.isEmpty else {
            return Response.error(.invalidRequest("an empty batch"), id: .null).jsonValue.serialized()
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
        return JSONValue.array(responses.map(\.jsonValue)).serialized()
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
        if request.method == Self.cancelMethod {
            return cancel(request)
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

    private func call(_ request: Request) async -> Response.Outcome {
        guard let handler = methods.handler(for: request.method) else {
            return .error(.methodNotFound(request.method, available: methods.names))
        }
        logger.debug("calling '\(request.method)'\(request.id.map { " (id \($0))" } ?? "")")
        do {
            return .result(try await handler(request.params))
        } catch let error as JSONRPCError {
            return .error(error)
        } catch is CancellationError {
            return .error(.requestCancelled)
        } catch {
            logger.error("'\(request.method)' failed unexpectedly: \(error)")
            return .error(.internalError(String(describing: error)))
        }
    }
}

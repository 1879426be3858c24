import CCurl
import Locking

/// One request in flight, from submission to the resumption of its continuation.
///
/// Confinement, which is why it is `@unchecked Sendable`: the submitting task sets ``continuation`` before
/// handing the transfer to the driver (through the driver's lock); from then on only the driver thread touches
/// the mutable state; the complete body passes to the resumed task through a lock. ``cancel()`` may be called
/// from any thread: it only sets a locked flag.
final class Transfer: @unchecked Sendable {
    let request: HTTPRequest
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    var exceededMaximumSize = false
    /// The size of body that found no room in the client's ``ResponseMemory``, when one did not.
    var sizeWithoutRoom: Int?
    /// The room the body holds in the client's ``ResponseMemory``; handed on with the response.
    let reservation: BodyReservation
    /// libcurl writes a readable sentence here when a transfer fails.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private let cancelled = Locked(false)
    /// The complete body, between ``handOverBody()`` and ``takeBody()``.
    private let received = Locked<[UInt8]>([])

    init(request: HTTPRequest, memory: ResponseMemory) {
        self.request = request
        reservation = BodyReservation(in: memory)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
        curl_slist_free_all(requestHeaders)
    }

    /// Asks for the transfer to be abandoned; the driver notices on its next turn.
    func cancel() {
        cancelled.withLock { $0 = true }
    }

    var isCancelled: Bool {
        cancelled.withLock { $0 }
    }

    /// Resumes the waiting task exactly once.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(with: result)
    }

    /// Moves the complete body where the resumed task takes it (``takeBody()``); called by the driver before it
    /// resumes the task.
    ///
    /// Not passed through the continuation: resuming leaves a reference on the driver's stack for a moment,
    /// and a task that began compacting a large body in place in that moment copied all of it. The lock makes
    /// the hand-over visible to the thread sanitizer, which does not see the continuation's.
    func handOverBody() {
        let complete = body
        body = []
        received.withLock { $0 = complete }
    }

    /// The body handed over: the only reference to it.
    func takeBody() -> [UInt8] {
        received.withLock { received in
            let taken = received
            received = []
            return taken
        }
    }

    var errorMessage: String? {
        let message = String(cString: errorBuffer)
        return message.isEmpty ? nil : message
    }

    /// Called by libcurl with each chunk of the body.
    func receiveBody(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        if body.count + chunk.count > request.maximumResponseSize {
            exceededMaximumSize = true
            return false
        }
        let total = body.count + chunk.count
        guard hasRoom(for: total) else {
            // Given back at once, so the other transfers in flight can go on with the room this one held.
            body = []
            reservation.reset()
            return false
        }
        if total > body.capacity && total > Self.largeBody {
            // One allocation at the largest size this body can reach (the size limit, and never more than the
            // budget: an allocation the system refuses ends the process), of which only the pages written take
            // memory: the body is never copied as it grows, where doubling would hold it up to three times.
            let reachable = min(request.maximumResponseSize, reservation.memory.limit)
            if reachable > total { body.reserveCapacity(reachable) }
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// Past this size, a body of unknown length is given the largest allocation it could need at once.
    static let largeBody = 1 << 20

    /// Whether the reservation holds `total` bytes of body, taking more room when it does not.
    private func hasRoom(for total: Int) -> Bool {
        guard total > reservation.count else { return true }
        guard reservation.grow(by: total - reservation.count) else {
            sizeWithoutRoom = total
            return false
        }
        return true
    }

    /// Takes room and allocates for a body of the announced length at once, so that a body that will not fit
    /// fails before it is received, and one that will is held in one allocation, never copied as it grows.
    /// A server that announces more than it sends holds that room in the budget until its deadline, though
    /// the pages it never fills take no memory.
    private func prepare(forBodyOf length: Int) -> Bool {
        guard length <= request.maximumResponseSize else { return true }  // refused as its bytes arrive
        guard hasRoom(for: length) else { return false }
        body.reserveCapacity(length)
        return true
    }

    /// Called by libcurl with each header line; a new status line (after a redirect) starts over. Returns
    /// whether to go on: not when the announced body will not fit in the client's ``ResponseMemory``.
    ///
    /// Works on the bytes, making two small strings per header: this runs for every header of every answer,
    /// and character-wise trimming was once a third of the plugin's cost per query.
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
            line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/")
        {
            headers.removeAll(keepingCapacity: true)
            body.removeAll()
            reservation.reset()
            return true
        }
        guard let colon = line[0..<end].firstIndex(of: UInt8(ascii: ":")) else { return true }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var valueStart = colon + 1
        while valueStart < end, isBlank(line[valueStart]) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
        let header = HTTPHeader(
            name: String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self),
            value: String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self))
        headers.append(header)
        // libcurl is not asked to decode compressed bodies, so the announced length is the length received.
        if header.name.lowercased() == "content-length", let length = Int(header.value), length > 0 {
            return prepare(forBodyOf: length)
        }
        return true
    }
}

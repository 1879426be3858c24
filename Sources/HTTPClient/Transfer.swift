import CCurl
import Locking

/// One request in flight, from submission to the resumption of its continuation.
///
/// Confinement, which is why it is `@unchecked Sendable`: the submitting task sets ``continuation`` before
/// handing the transfer to the driver (through the driver's lock); from then on only the driver thread touches
/// the mutable state. ``cancel()`` may be called from any thread: it only sets a locked flag.
final class Transfer: @unchecked Sendable {
    let request: HTTPRequest
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    var exceededMaximumSize = false
    /// libcurl writes a readable sentence here when a transfer fails.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private let cancelled = Locked(false)

    init(request: HTTPRequest) {
        self.request = request
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
        body.append(contentsOf: chunk)
        return true
    }

    /// Called by libcurl with each header line; a new status line (after a redirect) starts over.
    ///
    /// Works on the bytes, making two small strings per header: this runs for every header of every answer,
    /// and character-wise trimming was once a third of the plugin's cost per query.
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
            line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/")
        {
            headers.removeAll(keepingCapacity: true)
            body.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line[0..<end].firstIndex(of: UInt8(ascii: ":")) else { return }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var valueStart = colon + 1
        while valueStart < end, isBlank(line[valueStart]) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
        headers.append(
            HTTPHeader(
                name: String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)))
    }
}

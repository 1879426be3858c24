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
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        // Trimmed as bytes: in Swift, "\r\n" is one Character, which a character-wise trim would miss.
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            headers.removeAll()
            body.removeAll()
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = String(text[..<colon])
        let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers.append(HTTPHeader(name: name, value: String(value.reversed().drop { $0 == " " || $0 == "\t" }.reversed())))
    }
}

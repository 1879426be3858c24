import CCurl
import Foundation
import Logging
import Locking

/// Owns a libcurl multi handle and the one thread that drives it.
///
/// Every libcurl call on the multi handle and its easy handles happens on that thread, except
/// `curl_multi_wakeup`, which libcurl documents as callable from any thread. Other threads talk to the driver
/// only through ``inbox`` (guarded by its mutex) and the wake-up.
final class CurlMultiDriver: Sendable {
    private struct Inbox {
        var submitted: [Transfer] = []
        var stopping = false
    }

    /// The `CURLM *`; see the type's comment for which thread may use it.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let inbox = Locked(Inbox())
    private let logger: Logger
    private let userAgent = "chaostoolkit-prometheus"
    /// Reset easy handles kept for reuse, so a request does not pay for allocating one.
    private static let idleHandleLimit = 32

    init(logger: Logger) {
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        self.logger = logger
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "libcurl transfers"
        thread.start()
    }

    func submit(_ transfer: Transfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.submitted.append(transfer)
            return true
        }
        if accepted {
            wake()
        } else {
            transfer.finish(.failure(HTTPError(kind: .transport, message: "the HTTP client has shut down")))
        }
    }

    func wake() {
        curl_multi_wakeup(multi)
    }

    func stop() {
        inbox.withLock { $0.stopping = true }
        wake()
    }

    // MARK: - The driver thread

    private func run() {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var idleHandles: [UnsafeMutableRawPointer] = []

        func release(_ easy: UnsafeMutableRawPointer) {
            curl_multi_remove_handle(multi, easy)
            if idleHandles.count < Self.idleHandleLimit {
                curl_easy_reset(easy)
                idleHandles.append(easy)
            } else {
                curl_easy_cleanup(easy)
            }
        }

        while true {
            let (submitted, stopping) = inbox.withLock { inbox in
                defer { inbox.submitted.removeAll() }
                return (inbox.submitted, inbox.stopping)
            }
            if stopping {
                let shutdown = HTTPError(kind: .transport, message: "the HTTP client has shut down")
                for transfer in submitted { transfer.finish(.failure(shutdown)) }
                for (easy, transfer) in active {
                    release(easy)
                    transfer.finish(.failure(shutdown))
                }
                break
            }
            for transfer in submitted {
                if transfer.isCancelled {
                    transfer.finish(.failure(CancellationError()))
                    continue
                }
                let easy = idleHandles.popLast() ?? curl_easy_init()!
                configure(easy, for: transfer)
                active[easy] = transfer
                curl_multi_add_handle(multi, easy)
            }
            for (easy, transfer) in active where transfer.isCancelled {
                active[easy] = nil
                release(easy)
                transfer.finish(.failure(CancellationError()))
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                let result = outcome(of: transfer, on: easy, code: ccurl_message_result(message))
                release(easy)
                transfer.finish(result)
            }
            // Sleeps until a socket is ready, a libcurl timer (such as a deadline) is due, or a wake-up.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for easy in idleHandles { curl_easy_cleanup(easy) }
    }

    /// The driver thread holds the driver until its loop ends, so the multi handle outlives every use,
    /// including a `stop()` whose wake-up races with the loop's exit.
    deinit {
        curl_multi_cleanup(multi)
    }

    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: Transfer) {
        let request = transfer.request
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        _ = ccurl_easy_setopt_long(
            easy, CURLOPT_CONNECTTIMEOUT_MS, min(request.connectTimeout, request.timeout).wholeMilliseconds)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, userAgent)
        if !request.tls.verifyPeer {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
            _ = ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
        }
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        _ = ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, receiveBody)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, receiveHeader)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)

        switch request.method {
        case .get:
            break
        case .post(let body, let contentType), .put(let body, let contentType):
            _ = ccurl_easy_setopt_long(easy, CURLOPT_POST, 1)
            if case .put = request.method { _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, "PUT") }
            _ = ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                _ = ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            transfer.requestHeaders = curl_slist_append(transfer.requestHeaders, "Content-Type: \(contentType)")
        }
        for header in request.headers {
            transfer.requestHeaders = curl_slist_append(transfer.requestHeaders, "\(header.name): \(header.value)")
        }
        if let headers = transfer.requestHeaders {
            _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        }
        logger.trace("starting \(requestLine(request))")
    }

    private func outcome(of transfer: Transfer, on easy: UnsafeMutableRawPointer, code: CURLcode)
        -> Result<HTTPResponse, any Error>
    {
        guard code == CURLE_OK else {
            let error = httpError(for: code, transfer: transfer)
            logger.debug("\(requestLine(transfer.request)) failed: \(error.kind.rawValue): \(error.message)")
            return .failure(error)
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        logger.trace("\(requestLine(transfer.request)) answered \(status), \(transfer.body.count) bytes")
        return .success(HTTPResponse(status: status, headers: transfer.headers, body: transfer.body))
    }

    private func httpError(for code: CURLcode, transfer: Transfer) -> HTTPError {
        let detail = transfer.errorMessage ?? String(cString: curl_easy_strerror(code))
        let kind: HTTPError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT: kind = .couldNotConnect
        case CURLE_COULDNT_RESOLVE_HOST: kind = .hostNotFound
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidURL
        case CURLE_WRITE_ERROR where transfer.exceededMaximumSize:
            return HTTPError(
                kind: .responseTooLarge,
                message: "the response body is larger than the limit of \(transfer.request.maximumResponseSize) bytes")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            kind = .tls
        default: kind = .transport
        }
        return HTTPError(kind: kind, message: detail)
    }

    private func requestLine(_ request: HTTPRequest) -> String {
        switch request.method {
        case .get: "GET \(request.url)"
        case .post(let body, _): "POST \(request.url) (\(body.count) bytes)"
        case .put(let body, _): "PUT \(request.url) (\(body.count) bytes)"
        }
    }
}

private let receiveBody: ccurl_data_callback = { buffer, size, count, context in
    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    let chunk = UnsafeBufferPointer(start: UnsafeRawPointer(buffer!).assumingMemoryBound(to: UInt8.self), count: length)
    return transfer.receiveBody(chunk) ? length : 0
}

private let receiveHeader: ccurl_data_callback = { buffer, size, count, context in
    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    transfer.receiveHeaderLine(
        UnsafeBufferPointer(start: UnsafeRawPointer(buffer!).assumingMemoryBound(to: UInt8.self), count: length))
    return length
}

extension Duration {
    /// The duration in whole milliseconds, at least 1, as libcurl's `_MS` options take it.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int32.max) else { return Int(Int32.max) }  // libcurl takes a C long; ~24 days is "never"
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

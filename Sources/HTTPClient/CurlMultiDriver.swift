import CCurl
import EventLoop
import Locking
import PluginLog

/// Drives a libcurl multi handle on an ``EventLoop``: libcurl names the sockets to wait on and the timeouts it
/// needs (`CURLMOPT_SOCKETFUNCTION`, `CURLMOPT_TIMERFUNCTION`), the loop waits on them beside everything else it
/// watches, and `curl_multi_socket_action` runs each transfer as its socket becomes ready.
///
/// Every libcurl call on the multi handle and its easy handles happens on the loop's thread. Other threads reach
/// the driver only through ``EventLoop/execute(_:)``; a task that runs on the loop itself (one started with the
/// loop as its executor preference) submits and is resumed without waking any other thread.
final class CurlMultiDriver: Sendable {
    /// The `CURLM *`; used on the loop's thread only.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    let loop: EventLoop
    /// The state of the transfers, touched on the loop's thread only.
    private nonisolated(unsafe) let state = State()
    private let stopping = Locked(false)
    private let userAgent = "chaostoolkit-prometheus"
    /// Reset easy handles kept for reuse, so a request does not pay for allocating one.
    private static let idleHandleLimit = 32

    private final class State {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var idleHandles: [UnsafeMutableRawPointer] = []
        var pools = ConnectionPools()
        var timer: EventLoop.TimerID?
        var watched: Set<curl_socket_t> = []
        var stopped = false
    }

    /// A driver on `loop`; `nil` when libcurl cannot make a multi handle (out of memory).
    init?(loop: EventLoop) {
        guard let multi = curl_multi_init() else { return nil }
        self.multi = multi
        self.loop = loop
        let context = Unmanaged.passUnretained(self).toOpaque()
        let results = [
            ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64),
            ccurl_multi_setopt_socket_callback(multi, socketChanged),
            ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, context),
            ccurl_multi_setopt_timer_callback(multi, timerChanged),
            ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, context),
        ]
        // Without its callbacks the driver would never hear of a socket or a timeout: no driver at all.
        guard results.allSatisfy({ $0 == CURLM_OK }) else {
            curl_multi_cleanup(multi)
            return nil
        }
    }

    /// Starts `transfer` on the loop; it finishes with a failure when the driver has stopped.
    func submit(_ transfer: Transfer) {
        guard !stopping.withLock({ $0 }) else {
            transfer.finish(.failure(HTTPError(kind: .transport, message: "the HTTP client has shut down")))
            return
        }
        loop.execute { [self] in start(transfer) }
    }

    /// Abandons `transfer` (its task was cancelled): it finishes with `CancellationError` at once.
    func cancel(_ transfer: Transfer) {
        transfer.cancel()
        loop.execute { [self] in
            guard let easy = state.active.first(where: { $0.value === transfer })?.key else { return }
            release(easy)?.finish(.failure(CancellationError()))
        }
    }

    /// Fails every transfer in flight and lets go of libcurl's handles; later submissions fail at once.
    func stop(then: @escaping @Sendable () -> Void = {}) {
        stopping.withLock { $0 = true }
        loop.execute { [self] in
            let shutdown = HTTPError(kind: .transport, message: "the HTTP client has shut down")
            for easy in Array(state.active.keys) { release(easy)?.finish(.failure(shutdown)) }
            for socket in state.watched { loop.unwatch(socket) }
            state.watched = []
            if let timer = state.timer { loop.cancelTimer(timer) }
            for easy in state.idleHandles { curl_easy_cleanup(easy) }
            state.idleHandles = []
            state.pools.removeAll()
            state.stopped = true
            // No callback may reach the driver while the handle is cleaned up (newer libcurl versions call them then).
            // Removing a callback of a valid handle cannot fail, and nothing could be done about it here.
            _ = ccurl_multi_setopt_socket_callback(multi, nil)
            _ = ccurl_multi_setopt_timer_callback(multi, nil)
            curl_multi_cleanup(multi)
            then()
        }
    }

    // MARK: - On the loop's thread

    private func start(_ transfer: Transfer) {
        guard !state.stopped else {
            transfer.finish(.failure(HTTPError(kind: .transport, message: "the HTTP client has shut down")))
            return
        }
        if transfer.isCancelled {
            transfer.finish(.failure(CancellationError()))
            return
        }
        guard let easy = state.idleHandles.popLast() ?? curl_easy_init() else {
            transfer.finish(.failure(HTTPError(kind: .transport, message: "libcurl could not make a transfer handle")))
            return
        }
        let refusal = configure(easy, for: transfer)
        state.active[easy] = transfer
        if let refusal {
            release(easy)?.finish(.failure(refusal))
            return
        }
        // libcurl asks through the timer callback for a first `curl_multi_socket_action`, at once.
        guard curl_multi_add_handle(multi, easy) == CURLM_OK else {
            release(easy)?.finish(
                .failure(HTTPError(kind: .transport, message: "libcurl could not start the transfer")))
            return
        }
    }

    /// Takes `easy` out of the multi handle and of the active transfers, keeps it for reuse, and returns its
    /// transfer.
    @discardableResult
    private func release(_ easy: UnsafeMutableRawPointer) -> Transfer? {
        curl_multi_remove_handle(multi, easy)
        let transfer = state.active.removeValue(forKey: easy)
        if let transfer { state.pools.release(transfer.request) }
        // Detaching from a share cannot fail for a handle outside a multi handle; curl_easy_reset follows anyway.
        _ = ccurl_easy_setopt_share(easy, nil)
        if state.idleHandles.count < Self.idleHandleLimit {
            curl_easy_reset(easy)
            state.idleHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
        return transfer
    }

    /// Lets libcurl act on `socket` (or on its due timeouts), then finishes the transfers that are done.
    private func act(on socket: curl_socket_t, _ flags: Int32) {
        guard !state.stopped else { return }
        var running: Int32 = 0
        curl_multi_socket_action(multi, socket, flags, &running)
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = state.active[easy]
            else { continue }
            let result = outcome(of: transfer, on: easy, code: ccurl_message_result(message))
            release(easy)?.finish(result)
        }
    }

    /// libcurl's socket callback: wait on `socket` for what `what` says, or no longer.
    fileprivate func socket(_ socket: curl_socket_t, wants what: Int32) {
        guard what != CURL_POLL_REMOVE else {
            loop.unwatch(socket)
            state.watched.remove(socket)
            return
        }
        var interest: EventLoop.Readiness = []
        if what & CURL_POLL_IN != 0 { interest.insert(.readable) }
        if what & CURL_POLL_OUT != 0 { interest.insert(.writable) }
        do {
            try loop.watch(socket, for: interest) { [unowned self] readiness in
                var flags: Int32 = 0
                if readiness.contains(.readable) { flags |= CURL_CSELECT_IN }
                if readiness.contains(.writable) { flags |= CURL_CSELECT_OUT }
                act(on: socket, flags)
            }
            state.watched.insert(socket)
        } catch {
            // Never seen for a socket; libcurl's own timeouts still end the transfer.
            loop.setTimer(after: .zero) { [weak self] in self?.act(on: socket, CURL_CSELECT_ERR) }
        }
    }

    /// libcurl's timer callback: call `curl_multi_socket_action` for its timeouts after `milliseconds`, or never
    /// (-1). Not from within the callback, which libcurl forbids: from a timer of the loop.
    fileprivate func timer(in milliseconds: Int) {
        if let timer = state.timer { loop.cancelTimer(timer) }
        state.timer = nil
        guard milliseconds >= 0 else { return }
        state.timer = loop.setTimer(after: .milliseconds(milliseconds)) { [unowned self] in
            state.timer = nil
            act(on: ccurl_socket_timeout, 0)
        }
    }

    /// Sets `easy` up for `transfer`; the failure of the first option libcurl refused, if any.
    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: Transfer) -> HTTPError? {
        let request = transfer.request
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var options = EasyOptions(easy)
        options.set(CURLOPT_URL, request.url)
        options.set(CURLOPT_PROTOCOLS_STR, "http,https")
        options.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        options.set(CURLOPT_NOSIGNAL, 1)
        // Credentials must not follow a redirect to another origin, which libcurl cannot be told for custom
        // headers nor for a client certificate: HTTPClient follows those redirects itself, checking the origin.
        options.set(CURLOPT_FOLLOWLOCATION, request.carriesCredentials ? 0 : 1)
        options.set(CURLOPT_MAXREDIRS, HTTPClient.redirectLimit)
        options.set(CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, min(request.connectTimeout, request.timeout).wholeMilliseconds)
        options.set(CURLOPT_USERAGENT, userAgent)
        // HTTP/1.1 even where ALPN offers HTTP/2: over HTTP/2 a server's TLS alert (no client certificate)
        // mostly surfaces as a bare connection reset, which could not be told from a transport failure.
        options.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        configureTLS(&options, request.tls)
        switch request.credentials.authentication {
        case nil: break
        case .basic(let username, let password)?:
            options.set(CURLOPT_HTTPAUTH, ccurl_auth_basic)
            options.set(CURLOPT_USERNAME, username)
            options.set(CURLOPT_PASSWORD, password)
        case .bearer(let token)?:
            options.set(CURLOPT_HTTPAUTH, ccurl_auth_bearer)
            options.set(CURLOPT_XOAUTH2_BEARER, token)
        }
        options.set(CURLOPT_ERRORBUFFER, pointer: transfer.errorBuffer)
        options.set(CURLOPT_WRITEFUNCTION, callback: receiveBody)
        options.set(CURLOPT_WRITEDATA, pointer: context)
        options.set(CURLOPT_HEADERFUNCTION, callback: receiveHeader)
        options.set(CURLOPT_HEADERDATA, pointer: context)

        switch request.method {
        case .get:
            break
        case .post(let body, let contentType), .put(let body, let contentType):
            options.set(CURLOPT_POST, 1)
            if case .put = request.method { options.set(CURLOPT_CUSTOMREQUEST, "PUT") }
            options.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(body.count))
            if body.isEmpty {
                options.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    options.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            transfer.requestHeaders = curl_slist_append(transfer.requestHeaders, "Content-Type: \(contentType)")
        }
        for header in request.headers + request.credentials.headers {
            transfer.requestHeaders = curl_slist_append(transfer.requestHeaders, "\(header.name): \(header.value)")
        }
        if let headers = transfer.requestHeaders {
            options.set(CURLOPT_HTTPHEADER, list: headers)
        }
        if let share = state.pools.acquire(for: transfer.request) { options.share(share) }
        return options.failure
    }

    private func configureTLS(_ options: inout EasyOptions, _ tls: TLSOptions) {
        if !tls.verifyPeer {
            options.set(CURLOPT_SSL_VERIFYPEER, 0)
            options.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let pem = tls.trustedCertificates { options.set(CURLOPT_CAINFO_BLOB, blob: pem.text) }
        if let pem = tls.clientCertificate {
            options.set(CURLOPT_SSLCERT_BLOB, blob: pem.text)
            options.set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let pem = tls.clientKey {
            options.set(CURLOPT_SSLKEY_BLOB, blob: pem.text)
            options.set(CURLOPT_SSLKEYTYPE, "PEM")
        }
    }

    private func outcome(of transfer: Transfer, on easy: UnsafeMutableRawPointer, code: CURLcode)
        -> Result<HTTPResponse, any Error>
    {
        guard code == CURLE_OK else {
            return .failure(httpError(for: code, transfer: transfer, on: easy))
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        // The body goes to the waiting task through the transfer (HTTPClient.transfer), not with the response.
        transfer.handOverBody()
        var response = HTTPResponse(status: status, headers: transfer.headers, body: [])
        response.reservation = transfer.reservation
        if (300..<400).contains(status) {
            var location: UnsafeMutableRawPointer?
            if ccurl_easy_getinfo_pointer(easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK, let location {
                response.redirectURL = String(cString: location.assumingMemoryBound(to: CChar.self))
            }
        }
        return .success(response)
    }

    /// The failure of `transfer`, which libcurl ended with `code`: the limits this client sets are told by the
    /// transfer's own state, the rest by ``HTTPError/classify(code:tlsEstablished:answered:detail:)``.
    private func httpError(for code: CURLcode, transfer: Transfer, on easy: UnsafeMutableRawPointer) -> HTTPError {
        switch code {
        case CURLE_WRITE_ERROR where transfer.sizeWithoutRoom != nil:
            let limit = transfer.reservation.memory.limit
            return HTTPError(
                kind: .memoryBudgetExceeded, code: code,
                message: transfer.sizeWithoutRoom ?? 0 > limit
                    ? "the body alone is larger than the memory budget for response bodies (\(limit) bytes)"
                    : "the bodies of the other responses in flight hold the memory budget for response bodies (\(limit) bytes)"
            )
        case CURLE_WRITE_ERROR where transfer.exceededMaximumSize:
            return HTTPError(
                kind: .responseTooLarge, code: code,
                message: "the response body is larger than the limit of \(transfer.request.maximumResponseSize) bytes")
        default:
            // Both per transfer (a reused handle starts each at 0). CURLINFO_OS_ERRNO is not: it is kept from
            // connection failures of earlier transfers, so it cannot tell an alert from a reset.
            var tlsSetUp: curl_off_t = 0
            var status = 0
            _ = ccurl_easy_getinfo_off(easy, CURLINFO_APPCONNECT_TIME_T, &tlsSetUp)
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return HTTPError.classify(
                code: code, tlsEstablished: tlsSetUp > 0, answered: status != 0,
                detail: transfer.errorMessage ?? String(cString: curl_easy_strerror(code)))
        }
    }
}

/// A connection cache per set of credentials and TLS settings, so no connection serves two identities.
///
/// Requests with neither use the multi handle's own cache. Used on the driver thread only.
private struct ConnectionPools {
    private struct Identity: Hashable {
        let credentials: HTTPCredentials
        let tls: TLSOptions
    }

    private var pools: [Identity: (share: UnsafeMutableRawPointer, transfers: Int)] = [:]
    /// Idle pools kept beyond this many are closed, so a long-lived plugin does not gather them without end.
    private static let idleLimit = 16

    /// The share handle whose connections `request` may use, or `nil` for the multi handle's own.
    mutating func acquire(for request: HTTPRequest) -> UnsafeMutableRawPointer? {
        guard let identity = Self.identity(of: request) else { return nil }
        if let pool = pools[identity] {
            pools[identity] = (pool.share, pool.transfers + 1)
            return pool.share
        }
        guard let share = ccurl_connection_share() else { return nil }
        pools[identity] = (share, 1)
        closeIdlePools()
        return share
    }

    mutating func release(_ request: HTTPRequest) {
        guard let identity = Self.identity(of: request), let pool = pools[identity] else { return }
        pools[identity] = (pool.share, pool.transfers - 1)
    }

    mutating func removeAll() {
        for pool in pools.values { curl_share_cleanup(pool.share) }
        pools.removeAll()
    }

    private mutating func closeIdlePools() {
        let idle = pools.filter { $0.value.transfers == 0 }
        guard idle.count > Self.idleLimit else { return }
        for (identity, pool) in idle.prefix(idle.count - Self.idleLimit) {
            curl_share_cleanup(pool.share)
            pools[identity] = nil
        }
    }

    private static func identity(of request: HTTPRequest) -> Identity? {
        if request.credentials.isEmpty && request.tls == TLSOptions() { return nil }
        return Identity(credentials: request.credentials, tls: request.tls)
    }
}

private let socketChanged: ccurl_socket_callback = { _, socket, what, context, _ in
    Unmanaged<CurlMultiDriver>.fromOpaque(context!).takeUnretainedValue().socket(socket, wants: what)
    return 0
}

private let timerChanged: ccurl_timer_callback = { _, milliseconds, context in
    Unmanaged<CurlMultiDriver>.fromOpaque(context!).takeUnretainedValue().timer(in: milliseconds)
    return 0
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
    let line = UnsafeBufferPointer(start: UnsafeRawPointer(buffer!).assumingMemoryBound(to: UInt8.self), count: length)
    return transfer.receiveHeaderLine(line) ? length : 0
}

extension Duration {
    /// The duration in whole milliseconds, at least 1, as libcurl's `_MS` options take it.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int32.max) else { return Int(Int32.max) }  // libcurl takes a C long; ~24 days is "never"
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

import CCurl
import EventLoop
import PluginLog

/// Performs HTTP requests with libcurl, many at once, keeping connections alive between requests.
///
/// One client owns one libcurl multi handle, driven on an ``EventLoop`` (the plugin's own, or one of the client's
/// when none is given), so transfers never block Swift's cooperative thread pool, and connections to the same
/// server are reused across calls. A task that runs on that loop (`Task(executorPreference: loop)`) sends and is
/// answered without a single hop to another thread. Cancelling the task that awaits ``send(_:)`` aborts its
/// transfer at once.
///
/// ```swift
/// let client = HTTPClient()
/// let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:9090/-/ready"))
/// ```
package final class HTTPClient: Sendable {
    /// The transfers' driver, or why there is none: a process out of descriptors or threads could not start an
    /// event loop or a libcurl multi handle. Then every request fails with that reason; the process goes on.
    private let driver: Result<CurlMultiDriver, HTTPError>
    private let logger: Logger
    /// The memory the bodies of this client's responses may hold at once.
    package let responseMemory: ResponseMemory

    /// Whether the client made its loop, and so ends it.
    private let ownsLoop: Bool

    /// Starts a client whose transfers run on `loop`, or on a loop of its own when none is given; the bodies of
    /// its responses hold at most `responseMemory`.
    package convenience init(
        logger: Logger = .disabled, responseMemory: ResponseMemory = ResponseMemory(), loop: EventLoop? = nil
    ) {
        let driver: Result<CurlMultiDriver, HTTPError>
        do throws(EventLoopError) {
            let running: EventLoop
            if let loop { running = loop } else { running = try EventLoop(name: "http client") }
            driver =
                CurlMultiDriver(loop: running).map(Result.success)
                ?? .failure(HTTPError(kind: .transport, message: "libcurl could not make a multi handle"))
        } catch {
            driver = .failure(HTTPError(kind: .transport, message: "the HTTP client could not start: \(error)"))
        }
        self.init(logger: logger, responseMemory: responseMemory, driver: driver, ownsLoop: loop == nil)
    }

    /// A client with the driver given, or with the reason it has none.
    init(logger: Logger, responseMemory: ResponseMemory, driver: Result<CurlMultiDriver, HTTPError>, ownsLoop: Bool) {
        curlGlobalInitialization()
        self.logger = logger
        self.responseMemory = responseMemory
        self.driver = driver
        self.ownsLoop = ownsLoop
    }

    deinit {
        guard case .success(let driver) = driver else { return }
        let (loop, ownsLoop) = (driver.loop, ownsLoop)
        driver.stop { if ownsLoop { loop.stop() } }
    }

    /// Redirects followed at most, by libcurl or, for requests with credentials, by the client itself.
    static let redirectLimit = 5

    /// Performs `request`, trying again after transient failures as its ``HTTPRequest/retry`` policy allows,
    /// and returns the final response, whatever its status; its ``HTTPResponse/attempts`` says how many
    /// attempts were made.
    ///
    /// - Throws: ``HTTPError`` when no response arrived (refused, unresolvable, deadline passed, TLS, ...),
    ///   with the number of attempts made, or `CancellationError` when the calling task was cancelled.
    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Checked here, so that a protocol libcurl refuses later is always the server's doing (its answer, a
        // redirect), never the request's.
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https", request.url.contains("://") else {
            throw HTTPError(kind: .invalidURL, message: "only http and https URLs are fetched")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + request.timeout
        var attempt = 1
        while true {
            var single = request
            single.timeout = max(deadline - clock.now, .milliseconds(1))
            let wait: Duration
            do {
                var response = try await sendFollowingRedirects(single)
                response.attempts = attempt
                guard attempt < request.retry.maximumAttempts, RetryPolicy.transientStatuses.contains(response.status)
                else { return response }
                wait = RetryPolicy.retryAfter(response.header("Retry-After")) ?? request.retry.backoff(after: attempt)
                guard clock.now + wait < deadline else { return response }
                logger.debug(
                    "HTTP \(response.status) on attempt \(attempt) of \(request.retry.maximumAttempts); retrying in \(wait)"
                )
            } catch var error as HTTPError {
                error.attempts = attempt
                guard attempt < request.retry.maximumAttempts, RetryPolicy.isTransient(error) else { throw error }
                wait = request.retry.backoff(after: attempt)
                guard clock.now + wait < deadline else { throw error }
                logger.debug(
                    "\(error.kind.rawValue) on attempt \(attempt) of \(request.retry.maximumAttempts); retrying in \(wait)"
                )
            }
            try await Task.sleep(for: wait)
            attempt += 1
        }
    }

    /// One attempt. Requests with credentials have libcurl stop at redirects; they are followed here, within
    /// the same origin only.
    private func sendFollowingRedirects(_ request: HTTPRequest) async throws -> HTTPResponse {
        let clock = ContinuousClock()
        let deadline = clock.now + request.timeout
        var current = request
        for _ in 0...Self.redirectLimit {
            let response = try await transfer(current)
            guard request.carriesCredentials, let target = response.redirectURL else { return response }
            guard Origin(target) == Origin(request.url) else {
                throw HTTPError(
                    kind: .redirectToOtherOrigin,
                    message:
                        "the server redirected to \(Origin(target)?.description ?? target), another origin than \(Origin(request.url)?.description ?? request.url); the request's credentials go to its own origin only, so the redirect was not followed"
                )
            }
            current.url = target
            if case .post = current.method, response.status != 307 && response.status != 308 { current.method = .get }
            if case .put = current.method, response.status == 303 { current.method = .get }
            current.timeout = max(deadline - clock.now, .milliseconds(1))
        }
        throw HTTPError(kind: .tooManyRedirects, message: "Maximum (\(Self.redirectLimit)) redirects followed")
    }

    private func transfer(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Logged here rather than on the transfer thread, so the lines pass through the task's filter
        // (Logger.lineFilter), which keeps a call's secrets out of them.
        logger.trace("starting \(request.line)")
        let driver = try self.driver.get()
        let transfer = Transfer(request: request, memory: responseMemory)
        var response: HTTPResponse
        do {
            response = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    transfer.continuation = continuation
                    driver.submit(transfer)
                }
            } onCancel: {
                driver.cancel(transfer)
            }
        } catch let error as HTTPError {
            logger.debug("\(request.line) failed: \(error.kind.rawValue): \(error.message)")
            throw error
        }
        response.body = transfer.takeBody()
        logger.trace("\(request.line) answered \(response.status), \(response.body.count) bytes")
        return response
    }
}

/// `curl_global_init` must run once before any thread uses libcurl; a global's initializer runs exactly once.
private let curlGlobalInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

private func curlGlobalInitialization() {
    precondition(curlGlobalInitialized, "libcurl failed to initialize")
}

extension HTTPClient {
    /// The libcurl this process runs with and what it was built with, as `curl --version` names them first:
    /// `libcurl/7.88.1 OpenSSL/3.0.19 zlib/1.2.13 ...`.
    package static var libcurlVersion: String {
        curl_version().map { String(cString: $0) } ?? "libcurl (version unknown)"
    }
}

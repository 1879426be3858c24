import CCurl
import Foundation
import Logging

/// Performs HTTP requests with libcurl, many at once, keeping connections alive between requests.
///
/// One client owns one libcurl multi handle driven by a dedicated thread, so transfers never block Swift's
/// cooperative thread pool, and connections to the same server are reused across calls. Cancelling the task
/// that awaits ``send(_:)`` aborts its transfer at once.
///
/// ```swift
/// let client = HTTPClient()
/// let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:9090/-/ready"))
/// ```
public final class HTTPClient: Sendable {
    private let driver: CurlMultiDriver

    /// Starts a client and its transfer thread.
    public init(logger: Logger = .disabled) {
        curlGlobalInitialization()
        driver = CurlMultiDriver(logger: logger)
        driver.start()
    }

    deinit {
        driver.stop()
    }

    /// Performs `request` and returns the final response, whatever its status.
    ///
    /// - Throws: ``HTTPError`` when no response arrived (refused, unresolvable, deadline passed, TLS, ...),
    ///   or `CancellationError` when the calling task was cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = Transfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                driver.submit(transfer)
            }
        } onCancel: {
            transfer.cancel()
            driver.wake()
        }
    }
}

/// `curl_global_init` must run once before any thread uses libcurl; a global's initializer runs exactly once.
private let curlGlobalInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

private func curlGlobalInitialization() {
    precondition(curlGlobalInitialized, "libcurl failed to initialize")
}

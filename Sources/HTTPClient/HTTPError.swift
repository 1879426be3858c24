import CCurl

/// Why an HTTP exchange produced no response.
///
/// An answer with an error status (404, 503) is not an `HTTPError`: it is an ``HTTPResponse``.
package struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The class of failure, stable enough for a program to branch on.
    package enum Kind: String, Sendable {
        /// Nothing accepted the connection (refused, or no route to the host).
        case couldNotConnect
        /// The host name did not resolve.
        case hostNotFound
        /// The deadline passed before the response was complete.
        case timedOut
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The TLS session was set up, then the server ended it before answering: with an alert, such as TLS 1.3's
        /// "certificate required" when it wants a client certificate the request did not present, or by closing
        /// the connection (which libcurl's codes cannot tell apart); tried again like a broken connection.
        case tlsAlert
        /// libcurl refused an option the request needs (this libcurl was built without it, or had no memory):
        /// never tried again, since it would fail the same way.
        case optionRefused
        /// Redirects went on past the limit, or in a loop.
        case tooManyRedirects
        /// A request carrying ``HTTPCredentials`` was redirected to another origin, which would have received them.
        case redirectToOtherOrigin
        /// The response body was larger than the request allows.
        case responseTooLarge
        /// The body did not fit in the client's ``ResponseMemory``, which the bodies of other requests in flight hold.
        case memoryBudgetExceeded
        /// The URL is malformed or not `http`/`https`.
        case invalidURL
        /// Any other failure of the transfer: a connection reset, a body cut short, a protocol error.
        case transport
    }

    /// The class of failure.
    package let kind: Kind
    /// libcurl's code for the failure (a `CURLcode`), when libcurl reported it.
    package let code: CURLcode?
    /// What happened, in libcurl's words where it gave any.
    package var message: String
    /// How many attempts were made before giving up (see ``RetryPolicy``).
    package internal(set) var attempts: Int = 1

    package init(kind: Kind, code: CURLcode? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// Whether the server may have refused the request for want of a client certificate: it ended the TLS session
    /// before answering, as TLS 1.3 does with an alert after the handshake. A failed handshake is not taken for
    /// one: libcurl gives the same code to an `https` URL on a plain-HTTP port and to a cipher mismatch, where the
    /// hint would mislead (a TLS 1.2 server's refusal goes without it).
    package var mayWantClientCertificate: Bool {
        kind == .tlsAlert
    }

    /// The class of a transfer that libcurl ended with `code` (not `CURLE_OK`), from facts alone: whether a TLS
    /// session had been set up (`CURLINFO_APPCONNECT_TIME_T` not 0) and whether a status line had come
    /// (`CURLINFO_RESPONSE_CODE` not 0). `detail` is libcurl's message, kept as the error's message, never read.
    static func classify(code: CURLcode, tlsEstablished: Bool, answered: Bool, detail: String) -> HTTPError {
        let kind: Kind
        var message = detail
        switch code {
        case CURLE_COULDNT_CONNECT: kind = .couldNotConnect
        case CURLE_COULDNT_RESOLVE_HOST: kind = .hostNotFound
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_URL_MALFORMAT: kind = .invalidURL
        case CURLE_UNSUPPORTED_PROTOCOL:
            // The request's own URL is http or https (HTTPClient.send checks it), so this is the server's doing: an
            // answer that is not HTTP (a garbage or HTTP/0.9 status line) or a redirect to file:, gopher:, ...
            kind = .transport
            message = "the server answered with something other than HTTP(S): \(detail)"
        case CURLE_RECV_ERROR where tlsEstablished && !answered, CURLE_SEND_ERROR where tlsEstablished && !answered:
            kind = .tlsAlert
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            kind = .tls
        default: kind = .transport
        }
        return HTTPError(kind: kind, code: code, message: message)
    }

    package var description: String { message }
}

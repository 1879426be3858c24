/// Why an HTTP exchange produced no response.
///
/// An answer with an error status (404, 503) is not an `HTTPError`: it is an ``HTTPResponse``.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The class of failure, stable enough for a program to branch on.
    public enum Kind: String, Sendable {
        /// Nothing accepted the connection (refused, or no route to the host).
        case couldNotConnect
        /// The host name did not resolve.
        case hostNotFound
        /// The deadline passed before the response was complete.
        case timedOut
        /// The TLS handshake or certificate verification failed.
        case tls
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
    public let kind: Kind
    /// What happened, in libcurl's words where it gave any.
    public var message: String
    /// How many attempts were made before giving up (see ``RetryPolicy``).
    public internal(set) var attempts: Int = 1

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

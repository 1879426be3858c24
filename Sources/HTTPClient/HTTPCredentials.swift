/// Who a request speaks for: an `Authorization` scheme and headers such as a tenant's `X-Scope-OrgID`.
///
/// Credentials get stricter handling than ordinary headers: they are sent only to the origin (scheme, host and
/// port) of the request's URL, so a redirect to another origin fails with
/// ``HTTPError/Kind/redirectToOtherOrigin`` instead of carrying them along; they never appear in a log line;
/// and a connection opened with one set of credentials is never used for a request with another.
package struct HTTPCredentials: Sendable, Hashable {
    /// The `Authorization` to send, if any.
    package var authentication: HTTPAuthentication?
    /// Extra headers that identify the caller, sent after the request's own headers.
    package var headers: [HTTPHeader]

    package init(authentication: HTTPAuthentication? = nil, headers: [HTTPHeader] = []) {
        self.authentication = authentication
        self.headers = headers
    }

    /// Whether there is nothing to send.
    package var isEmpty: Bool { authentication == nil && headers.isEmpty }
}

/// An HTTP authentication scheme and its secret.
package enum HTTPAuthentication: Sendable, Hashable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic <base64(username:password)>`, sent with the first request.
    case basic(username: String, password: String)
}

import HTTPClient

/// The base URL of a server an activity talks to (Prometheus, the Pushgateway), checked once for every one of them.
package enum BaseURL {
    /// Why a text is not a base URL.
    package enum Problem: Error, Sendable {
        /// Not an `http` or `https` URL with a host and without a query or fragment.
        case notAnHTTPURL
        /// It holds a user name or password, which would show wherever the URL is shown.
        case holdsCredentials
    }

    /// `text` as a base URL without trailing slashes: an `http` or `https` URL with a host, no query, no fragment
    /// and no credentials (the Prometheus server's, the Pushgateway's).
    package static func parse(_ text: String) -> Result<String, Problem> {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        guard let url = HTTPURL(String(trimmed)), url.query == nil, url.fragment == nil else {
            return .failure(.notAnHTTPURL)
        }
        guard url.userInfo == nil else { return .failure(.holdsCredentials) }
        var base = String(trimmed)
        while base.hasSuffix("/") { base.removeLast() }
        return .success(base)
    }
}

/// The scheme, host and port of a URL: where credentials may go (RFC 6454's origin, as libcurl compares it).
struct Origin: Hashable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    /// The origin of `url`, or `nil` when it is not an absolute http(s) URL.
    init?(_ url: String) {
        guard let parts = HTTPURL(url) else { return nil }
        scheme = parts.scheme
        host = parts.host.lowercased()
        port = parts.port ?? (parts.scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}

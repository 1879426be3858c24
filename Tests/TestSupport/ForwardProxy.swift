/// nginx as a forward HTTP proxy, as a corporate network puts between a client and everything else: it takes
/// requests in absolute form (`GET http://any-host:9090/api/v1/query?... HTTP/1.1`, what a client told
/// `http_proxy=http://127.0.0.1:<port>` sends), whatever host they name, and passes them on to one plain
/// Prometheus, marking each answer with the header ``viaHeader`` and logging each request.
///
/// Since it ignores the host, a client can be given a base URL whose host does not even resolve
/// (`http://prometheus.invalid:9090`): an answer then proves the request went through the proxy.
public final class ForwardProxy: Sendable {
    /// The header it adds to every answer, with the value `1`.
    public static let viaHeader = "X-Via-Test-Proxy"

    /// `http://127.0.0.1:<port>`: the value for `http_proxy`.
    public var url: String { "http://127.0.0.1:\(nginx.port)" }
    private let nginx: NginxServer

    private init(nginx: NginxServer) {
        self.nginx = nginx
    }

    /// Starts a proxy to `upstream` (``PrometheusServer/shared()`` when `nil`) and waits (bounded) until it answers.
    public static func start(upstream: PrometheusServer? = nil) async throws -> ForwardProxy {
        let prometheus = if let upstream { upstream } else { try await PrometheusServer.shared() }
        let nginx = try await NginxServer.start(serverBlock: """
                    location / {
                        add_header \(viaHeader) 1 always;
                        proxy_pass http://127.0.0.1:\(prometheus.port);
                    }
            """)
        return ForwardProxy(nginx: nginx)
    }

    /// The requests it passed on so far, as `<request line> <status>`
    /// (`GET http://prometheus.invalid:9090/api/v1/query?query=up HTTP/1.1 200`).
    public var loggedRequests: [String] { nginx.loggedRequests.filter { !$0.contains("/-/test-ready") } }

    /// Stops the proxy.
    public func stop() {
        nginx.stop()
    }
}

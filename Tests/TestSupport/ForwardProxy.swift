/// nginx as a forward HTTP proxy, as a corporate network puts between a client and everything else: it takes
/// requests in absolute form (`GET http://any-host:9090/api/v1/query?... HTTP/1.1`, what a client told
/// `http_proxy=http://127.0.0.1:<port>` sends), whatever host they name, and passes them on to one plain
/// Prometheus, logging each request.
///
/// Since it ignores the host, a client can be given a base URL whose host does not even resolve
/// (`http://prometheus.invalid:9090`): an answer then proves the request went through the proxy.
package final class ForwardProxy: Sendable {
    /// `http://127.0.0.1:<port>`: the value for `http_proxy`.
    package var url: String { "http://127.0.0.1:\(nginx.port)" }
    private let nginx: NginxServer

    private init(nginx: NginxServer) {
        self.nginx = nginx
    }

    /// Starts a proxy to ``PrometheusServer/shared()`` and waits (bounded) until it answers.
    package static func start() async throws -> ForwardProxy {
        let prometheus = try await PrometheusServer.shared()
        let nginx = try await NginxServer.start(
            serverBlock: """
                        location / {
                            proxy_pass http://127.0.0.1:\(prometheus.port);
                        }
                """)
        return ForwardProxy(nginx: nginx)
    }

    /// The requests it passed on so far, as `<request line> <status>`
    /// (`GET http://prometheus.invalid:9090/api/v1/query?query=up HTTP/1.1 200`).
    package var loggedRequests: [String] { nginx.loggedRequests }

    /// Stops the proxy.
    package func stop() {
        nginx.stop()
    }
}

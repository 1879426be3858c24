/// nginx in front of a plain Prometheus as a multi-tenant gateway (as Grafana Mimir, Cortex or a hosted
/// Prometheus present themselves): it answers 401 unless the request carries `Authorization: Bearer <token>` with
/// ``token``, then 403 unless its ``tenantHeader`` names ``tenant``, and passes the rest on to the Prometheus.
package final class TenantGateway: Sendable {
    /// The bearer token it accepts: ``Canary/secret``, so a test can tell whether the plugin ever writes it out.
    package static let token = Canary.secret
    /// The header naming the tenant.
    package static let tenantHeader = "X-Scope-OrgID"
    /// The one tenant it serves.
    package static let tenant = "tenant-a"

    /// `http://127.0.0.1:<port>`
    package var baseURL: String { "http://127.0.0.1:\(nginx.port)" }
    private let nginx: NginxServer

    private init(nginx: NginxServer) {
        self.nginx = nginx
    }

    /// Starts a gateway in front of ``PrometheusServer/shared()`` and waits (bounded) until
    /// it answers.
    package static func start() async throws -> TenantGateway {
        let prometheus = try await PrometheusServer.shared()
        let nginx = try await NginxServer.start(
            serverBlock: """
                        location / {
                            if ($http_authorization != "Bearer \(token)") {
                                return 401 "missing or wrong bearer token\\n";
                            }
                            if ($http_x_scope_orgid != "\(tenant)") {
                                return 403 "unknown tenant\\n";
                            }
                            proxy_pass http://127.0.0.1:\(prometheus.port);
                        }
                """)
        return TenantGateway(nginx: nginx)
    }

    /// The gateway in front of ``PrometheusServer/shared()`` that tests share, started on first use.
    package static func shared() async throws -> TenantGateway {
        try await sharedGateway.get()
    }

    private static let sharedGateway = SharedFixture { try await start() }

    /// The requests it received so far, as `<request line> <status>` (`GET /api/v1/query?query=up HTTP/1.1 200`).
    package var loggedRequests: [String] { nginx.loggedRequests }

    /// Stops the gateway.
    package func stop() {
        nginx.stop()
    }
}

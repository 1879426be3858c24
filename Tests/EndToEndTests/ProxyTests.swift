import JSON
import TestSupport
import Testing

/// The plugin honours the proxy its environment names, as curl and Python's requests do: `http_proxy` for `http`
/// URLs, and `no_proxy` for the hosts to reach directly.
@Suite("A forward proxy from the environment")
struct ProxyTests {
    /// A host name that never resolves (RFC 2606): an answer for it can only have come through the proxy.
    private let unresolvableBaseURL = "http://prometheus.invalid:9090"

    private var query: String {
        Requests.call(
            "query", id: 1, arguments: ["query": "vector(1)"],
            configuration: ["prometheus_base_url": .string(unresolvableBaseURL)])
    }

    @Test func reachesPrometheusThroughTheProxyThatHttpProxyNames() async throws {
        let proxy = try await ForwardProxy.start()
        defer { proxy.stop() }
        let response = try await CanaryRuns.response(to: query, environment: ["http_proxy": proxy.url])
        CanaryRuns.expectVectorOfOne(response)
        #expect(
            proxy.loggedRequests.contains {
                $0.hasPrefix("GET \(unresolvableBaseURL)/api/v1/query?") && $0.hasSuffix(" 200")
            },
            "\(proxy.loggedRequests)")
    }

    @Test func goesDirectlyToAHostThatNoProxyNames() async throws {
        let proxy = try await ForwardProxy.start()
        defer { proxy.stop() }
        let response = try await CanaryRuns.response(
            to: query, environment: ["http_proxy": proxy.url, "no_proxy": "prometheus.invalid"])
        CanaryRuns.expectFailure(response, reason: "unreachable")
        #expect(proxy.loggedRequests.isEmpty, "\(proxy.loggedRequests)")
    }
    /// `https_proxy` with a `CONNECT` tunnel (issue 12: promised by protocol.md, never tested, since nginx cannot be
    /// a CONNECT proxy): TLS and basic authentication go end to end through the tunnel to the secured Prometheus.
    @Test func reachesAnHTTPSPrometheusThroughTheTunnelThatHttpsProxyNames() async throws {
        let secured = try await SecuredPrometheus.shared()
        let proxy = try ConnectProxy()
        defer { proxy.stop() }
        let request = Requests.call(
            "query", id: 1, arguments: ["query": "vector(1)"],
            configuration: [
                "prometheus_base_url": .string(secured.baseURL),
                "prometheus_ca_cert": .string(secured.certificates.authority.certificatePEM),
                "prometheus_username": .string(SecuredPrometheus.username),
            ],
            secrets: ["prometheus_password": .string(SecuredPrometheus.password)])
        let response = try await CanaryRuns.response(to: request, environment: ["https_proxy": proxy.url])
        CanaryRuns.expectVectorOfOne(response)
        #expect(proxy.tunnels == ["127.0.0.1:\(secured.port)"])
    }
}

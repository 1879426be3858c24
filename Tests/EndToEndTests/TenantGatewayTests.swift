import JSON
import TestSupport
import Testing

/// The probes through a multi-tenant gateway (nginx in front of Prometheus, as Grafana Mimir, Cortex or a hosted
/// Prometheus present themselves): a bearer token from the secrets, a tenant header from the configuration.
@Suite("A multi-tenant gateway taking bearer tokens")
struct TenantGatewayTests {
    private func query(_ gateway: TenantGateway, tenant: String, secrets: JSONObject?) -> String {
        Requests.call(
            "query", id: 1, arguments: ["query": "vector(1)"],
            configuration: [
                "prometheus_base_url": .string(gateway.baseURL),
                "prometheus_headers": [TenantGateway.tenantHeader: .string(tenant)],
            ],
            secrets: secrets)
    }

    private let token: JSONObject = ["prometheus_bearer_token": .string(TenantGateway.token)]

    @Test func answersGivenTheBearerTokenAndTheTenantHeader() async throws {
        let gateway = try await TenantGateway.start()
        defer { gateway.stop() }
        let response = try await CanaryRuns.response(to: query(gateway, tenant: TenantGateway.tenant, secrets: token))
        CanaryRuns.expectVectorOfOne(response)
        #expect(
            gateway.loggedRequests.contains { $0.hasPrefix("GET /api/v1/query?") && $0.hasSuffix(" 200") },
            "\(gateway.loggedRequests)")
    }

    @Test func failsWithReasonUnauthorizedWithoutAToken() async throws {
        let gateway = try await TenantGateway.start()
        defer { gateway.stop() }
        let response = try await CanaryRuns.response(to: query(gateway, tenant: TenantGateway.tenant, secrets: nil))
        CanaryRuns.expectFailure(response, reason: "unauthorized")
    }

    @Test func failsWithReasonForbiddenForAnotherTenant() async throws {
        let gateway = try await TenantGateway.start()
        defer { gateway.stop() }
        let response = try await CanaryRuns.response(to: query(gateway, tenant: "tenant-b", secrets: token))
        CanaryRuns.expectFailure(response, reason: "forbidden")
    }
}

import JSON
import TestSupport
import Testing

/// The worked examples of protocol.md's "Secured endpoints", run against the servers they describe: the
/// documented host names, paths and environment variables stand for the test servers' own.
@Suite("The secured-endpoint examples of protocol.md, against real servers")
struct EndpointExampleTests {
    /// What a documented example needs: text to replace (documented → real) and the plugin's environment.
    private struct Endpoint {
        var replacements: [(documented: String, real: String)]
        var environment: [String: String] = [:]

        func apply(_ text: String) -> String {
            replacements.reduce(text) { $0.replacing($1.documented, with: $1.real) }
        }
    }

    private func endpoint(named name: String) async throws -> Endpoint {
        switch name {
        case "tls", "mtls":
            let server =
                name == "tls"
                ? try await SecuredPrometheus.shared() : try await SecuredPrometheus.sharedRequiringClientCertificate()
            let certificates = server.certificates
            return Endpoint(
                replacements: [
                    (
                        name == "tls" ? "https://prometheus.internal:9090" : "https://prometheus-mtls.internal:9090",
                        server.baseURL
                    ),
                    ("/etc/chaostoolkit/ca.pem", certificates.authority.certificatePath),
                    ("/etc/chaostoolkit/client.pem", certificates.client.certificatePath),
                    ("/etc/chaostoolkit/client-key.pem", certificates.client.keyPath),
                ],
                environment: ["PROMETHEUS_PASSWORD": SecuredPrometheus.password])
        case "gateway":
            let gateway = try await TenantGateway.shared()
            return Endpoint(
                replacements: [("http://mimir-gateway.internal:8080", gateway.baseURL)],
                environment: ["MIMIR_TOKEN": TenantGateway.token])
        case "victoriametrics":
            let server = try await VictoriaMetricsServer.shared()
            return Endpoint(replacements: [("http://victoria-metrics.internal:8428", server.baseURL)])
        default:
            throw TestSupportError("protocol.md names an endpoint the tests do not know: \(name)")
        }
    }

    @Test func everyKindOfEndpointHasAWorkedExample() {
        let documented = Set(DocumentedExample.all.compactMap(\.endpoint))
        #expect(documented == ["tls", "mtls", "gateway", "victoriametrics"])
    }

    @Test(arguments: DocumentedExample.all.filter { $0.endpoint != nil })
    func answersAsDocumented(_ example: DocumentedExample) async throws {
        let endpoint = try await endpoint(named: example.endpoint!)
        let run = try await PluginProcess.run(
            example.requests.map(endpoint.apply), arguments: ["--log-level", "trace"], environment: endpoint.environment
        )
        #expect(run.status == 0, "standard error: \(run.standardError)")
        let expected = try example.responses.map { try JSONValue(parsing: endpoint.apply($0)) }
        #expect(
            JSONPattern.linesMatch(run.messages, expected),
            "got:\n\(run.lines.joined(separator: "\n"))\nexpected:\n\(example.responses.joined(separator: "\n"))")
    }
}

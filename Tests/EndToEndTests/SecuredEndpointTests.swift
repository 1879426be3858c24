import JSON
import TestSupport
import Testing

/// The probes against a Prometheus that serves only HTTPS, with a certificate from the tests' own authority, and
/// only to the user `chaos` with its password, as a production Prometheus configured with `--web.config.file` is.
/// What protocol.md's worked examples show (the authority as a file, the password from the environment, no
/// authority, a client certificate as files, none) runs in `EndpointExampleTests`; these are the other cases.
@Suite("A Prometheus behind TLS and basic authentication")
struct SecuredEndpointTests {
    /// The instant query `vector(1)`, with `configuration` and `secrets`.
    private func query(_ configuration: JSONObject, secrets: JSONObject? = nil, arguments: JSONObject = [:]) -> String {
        Requests.call(
            "query", id: 1, arguments: arguments.merging(["query": "vector(1)"]), configuration: configuration,
            secrets: secrets)
    }

    /// The server's base URL and the user's name.
    private func configuration(_ server: SecuredPrometheus, _ more: JSONObject = [:]) -> JSONObject {
        let connection: JSONObject = [
            "prometheus_base_url": .string(server.baseURL), "prometheus_username": .string(SecuredPrometheus.username),
        ]
        return connection.merging(more)
    }

    private let password: JSONObject = ["prometheus_password": .string(SecuredPrometheus.password)]

    @Test func answersWhenTrustingTheTestAuthorityGivenAsPEMText() async throws {
        let server = try await SecuredPrometheus.shared()
        let response = try await CanaryRuns.response(
            to: query(
                configuration(server, ["prometheus_ca_cert": .string(server.certificates.authority.certificatePEM)]),
                secrets: password))
        CanaryRuns.expectVectorOfOne(response)
    }

    @Test func failsWithReasonTLSWhenTrustingOnlyAnUnrelatedAuthority() async throws {
        let server = try await SecuredPrometheus.shared()
        let response = try await CanaryRuns.response(
            to: query(
                configuration(
                    server, ["prometheus_ca_cert": .string(server.certificates.wrongAuthority.certificatePath)]),
                secrets: password))
        CanaryRuns.expectFailure(response, reason: "tls")
    }

    @Test func failsWithReasonUnauthorizedForAWrongPassword() async throws {
        let server = try await SecuredPrometheus.shared()
        // The canary as a substring: writing out the wrong password would be caught too.
        let response = try await CanaryRuns.response(
            to: query(
                configuration(server, ["prometheus_ca_cert": .string(server.certificates.authority.certificatePath)]),
                secrets: ["prometheus_password": .string(Canary.secret + "-wrong")]))
        CanaryRuns.expectFailure(response, reason: "unauthorized")
    }

    @Test func answersWithoutTheAuthorityWhenTheCallTurnsVerificationOff() async throws {
        let server = try await SecuredPrometheus.shared()
        let response = try await CanaryRuns.response(
            to: query(configuration(server), secrets: password, arguments: ["verify_tls": false]))
        CanaryRuns.expectVectorOfOne(response)
    }

    @Test func answersWithoutTheAuthorityWhenTheConfigurationTurnsVerificationOff() async throws {
        let server = try await SecuredPrometheus.shared()
        let response = try await CanaryRuns.response(
            to: query(configuration(server, ["prometheus_verify_tls": false]), secrets: password))
        CanaryRuns.expectVectorOfOne(response)
    }

    @Test func failsNamingTheVariableWhenASecretNamesOneThatIsNotSet() async throws {
        let server = try await SecuredPrometheus.shared()
        let response = try await CanaryRuns.response(
            to: query(
                configuration(server, ["prometheus_ca_cert": .string(server.certificates.authority.certificatePath)]),
                secrets: ["prometheus_password": ["type": "env", "key": "CHAOSTOOLKIT_TEST_UNSET_PASSWORD"]]))
        #expect(response["result"] == nil)
        #expect(response["error"]?["data"]?["reason"] == "invalid_secrets")
        let message = response["error"]?["message"]?.stringValue ?? ""
        #expect(
            message.contains(
                "Secrets make reference to an environment key that does not exist: CHAOSTOOLKIT_TEST_UNSET_PASSWORD"),
            "\(response)")
    }
}

/// The probes against a Prometheus that, besides TLS and basic authentication, accepts only clients presenting a
/// certificate the tests' authority signed (`client_auth_type: RequireAndVerifyClientCert`).
@Suite("A Prometheus requiring client certificates")
struct MutualTLSEndpointTests {
    private func query(_ configuration: JSONObject, secrets: JSONObject) -> String {
        Requests.call("query", id: 1, arguments: ["query": "vector(1)"], configuration: configuration, secrets: secrets)
    }

    private func configuration(_ server: SecuredPrometheus, _ more: JSONObject) -> JSONObject {
        let connection: JSONObject = [
            "prometheus_base_url": .string(server.baseURL), "prometheus_username": .string(SecuredPrometheus.username),
            "prometheus_ca_cert": .string(server.certificates.authority.certificatePath),
        ]
        return connection.merging(more)
    }

    @Test func answersGivenTheAuthorityClientCertificateAndKeyAsPEMText() async throws {
        let server = try await SecuredPrometheus.sharedRequiringClientCertificate()
        let certificates = server.certificates
        let response = try await CanaryRuns.response(
            to: query(
                configuration(
                    server,
                    [
                        "prometheus_ca_cert": .string(certificates.authority.certificatePEM),
                        "prometheus_client_cert": .string(certificates.client.certificatePEM),
                    ]),
                secrets: [
                    "prometheus_password": .string(SecuredPrometheus.password),
                    "prometheus_client_key": .string(certificates.client.keyPEM),
                ]))
        CanaryRuns.expectVectorOfOne(response)
    }
}

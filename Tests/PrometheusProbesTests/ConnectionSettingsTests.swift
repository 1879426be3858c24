import ChaosToolkit
import Foundation
import HTTPClient
import JSON
import Testing

@testable import PrometheusProbes

#if canImport(Glibc)
import Glibc
#endif

@Suite("Credentials, TLS and retries from configuration and secrets")
struct ConnectionSettingsTests {
    @Test func sendsNoCredentialsByDefault() throws {
        let read = try settings([:])
        #expect(read.credentials.isEmpty)
        #expect(read.tls == TLSOptions())
        #expect(read.maximumAttempts == 3)
    }

    @Test func readsABearerTokenFromSecrets() throws {
        let read = try settings([:], secrets: ["prometheus_bearer_token": "t0ken"])
        #expect(read.credentials.authentication == .bearer(token: "t0ken"))
    }

    @Test func readsBasicAuthenticationWithTheUserNameInEitherPlace() throws {
        let fromSecrets = try settings([:], secrets: ["prometheus_username": "chaos", "prometheus_password": "pw"])
        #expect(fromSecrets.credentials.authentication == .basic(username: "chaos", password: "pw"))
        let fromConfiguration = try settings(["prometheus_username": "chaos"], secrets: ["prometheus_password": "pw"])
        #expect(fromConfiguration.credentials.authentication == .basic(username: "chaos", password: "pw"))
    }

    @Test func resolvesSecretsFromTheEnvironment() throws {
        let read = try settings(
            [:], secrets: ["prometheus_bearer_token": ["type": "env", "key": "PROM_TOKEN"]],
            environment: ["PROM_TOKEN": "t0ken"])
        #expect(read.credentials.authentication == .bearer(token: "t0ken"))
    }

    @Test(arguments: ["prometheus_bearer_token", "prometheus_password", "prometheus_client_key"])
    func refusesASecretInTheConfiguration(_ key: String) {
        let failure = #expect(throws: FailedActivity.self) { try settings([key: "s3cret-value"]) }
        #expect(failure?.reason == .invalidConfiguration)
        #expect(
            failure?.message
                == "configuration '\(key)' holds a secret, which the configuration would show in journals and logs: give it in the experiment's secrets instead"
        )
    }

    @Test(
        arguments: [
            (
                ["prometheus_bearer_token": "t", "prometheus_username": "u", "prometheus_password": "p"],
                "both a bearer token"
            ),
            (["prometheus_username": "u"], "'prometheus_username' needs a password"),
            (["prometheus_password": "p"], "secret 'prometheus_password' needs a user name"),
            (["prometheus_client_key": "-----BEGIN PRIVATE KEY-----"], "needs its certificate"),
            (["prometheus_client_cert": "-----BEGIN CERTIFICATE-----"], "needs its private key"),
            (["prometheus_bearer_token": ""], "must be a non-empty string"),
            (["prometheus_bearer_token": 42], "must be a non-empty string"),
        ] as [(JSONObject, String)])
    func refusesIncompleteOrContradictoryCredentials(_ secrets: JSONObject, _ expected: String) {
        let failure = #expect(throws: FailedActivity.self) { try settings([:], secrets: secrets) }
        #expect(failure?.message.contains(expected) == true, "\(failure?.message ?? "")")
    }

    @Test func mergesHeadersWithTheSecretsWinning() throws {
        let read = try settings(
            ["prometheus_headers": ["X-Scope-OrgID": "from-configuration", "X-Team": "sre"]],
            secrets: ["prometheus_headers": ["x-scope-orgid": "tenant-a"]])
        #expect(
            read.credentials.headers == [
                HTTPHeader(name: "X-Team", value: "sre"), HTTPHeader(name: "x-scope-orgid", value: "tenant-a"),
            ])
    }

    @Test(arguments: [
        ["X-Evil": "a\r\nX-Injected: 1"] as JSONObject, ["Bad Name": "a"], ["": "a"], ["X-Number": 1],
    ])
    func refusesHeadersThatAreNotOneValidLine(_ headers: JSONObject) {
        let failure = #expect(throws: FailedActivity.self) {
            try settings([:], secrets: ["prometheus_headers": .object(headers)])
        }
        #expect(failure?.reason == .invalidSecrets)
        #expect(failure?.message.contains("X-Injected") == false)
    }

    @Test func refusesAnAuthorizationHeaderBesideAToken() {
        let failure = #expect(throws: FailedActivity.self) {
            try settings(
                [:], secrets: ["prometheus_bearer_token": "t", "prometheus_headers": ["Authorization": "Api-Key k"]])
        }
        #expect(failure?.message.contains("give one way to authenticate") == true)
    }

    @Test func takesPEMTextOrAPathForCertificates() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem")
        try "-----BEGIN CERTIFICATE-----\n".write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let byPath = try settings(["prometheus_ca_cert": .string(file.path)])
        #expect(byPath.tls.trustedCertificates == PEM("-----BEGIN CERTIFICATE-----\n"))
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let byText = try settings([:], secrets: ["prometheus_ca_cert": .string(pem)])
        #expect(byText.tls.trustedCertificates == PEM(pem))
    }

    @Test func refusesACertificatePathThatCannotBeRead() {
        let failure = #expect(throws: FailedActivity.self) {
            try settings(["prometheus_ca_cert": "/nonexistent/ca.pem"])
        }
        #expect(
            failure?.message
                == "configuration 'prometheus_ca_cert' names no readable file: '/nonexistent/ca.pem' (give a path or the PEM text itself)"
        )
    }

    /// Issue 12, finding 2: a FIFO passed the readable-file check, and libcurl's one thread then blocked opening it,
    /// so no call of the process was answered again. Only a regular file of at most 1 MiB is read now.
    @Test func refusesTLSMaterialThatIsNotASmallRegularFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let large = folder.appendingPathComponent("large.pem")
        try Data(repeating: UInt8(ascii: "A"), count: (1 << 20) + 1).write(to: large)
        let refused = [
            fifo: "no regular file (a FIFO, a device or a directory)",
            "/dev/zero": "no regular file (a FIFO, a device or a directory)",
            folder.path: "no regular file (a FIFO, a device or a directory)", large.path: "a file larger than 1 MiB",
        ]
        for (path, problem) in refused {
            for key in ["prometheus_ca_cert", "prometheus_client_cert"] {
                let failure = #expect(throws: FailedActivity.self) { try settings([key: .string(path)]) }
                #expect(
                    failure?.message
                        == "configuration '\(key)' names \(problem): '\(path)' (give a path or the PEM text itself)")
            }
        }
        let key = #expect(throws: FailedActivity.self) {
            try settings(
                ["prometheus_client_cert": "-----BEGIN CERTIFICATE-----"],
                secrets: ["prometheus_client_key": .string(fifo)])
        }
        #expect(key?.reason == .invalidSecrets)
    }

    /// Issue 12, finding 4: a token holding a line break was sent as two header lines, and one read from a file
    /// with its trailing newline ended the header block early. Each credential must be one line; nothing is trimmed.
    @Test(arguments: [
        ("prometheus_bearer_token", "t0ken\r\nX-Injected: yes", ""),
        ("prometheus_bearer_token", "t0ken\n", " (it ends with a line break: was it read from a file?)"),
        ("prometheus_password", "pass\u{7F}word", ""),
        ("prometheus_username", "chaos\n", " (it ends with a line break: was it read from a file?)"),
    ])
    func refusesACredentialWithAControlCharacterNamingTheKeyNotTheValue(key: String, value: String, hint: String) throws
    {
        var secrets: JSONObject = [key: .string(value)]
        if key == "prometheus_password" { secrets["prometheus_username"] = "chaos" }
        if key == "prometheus_username" { secrets["prometheus_password"] = "pw" }
        let failure = #expect(throws: FailedActivity.self) { try settings([:], secrets: secrets) }
        #expect(failure?.message == "secret '\(key)' must be one line without control characters\(hint)")
        #expect(failure?.reason == .invalidSecrets)
        #expect(failure?.message.contains(value.trimmingCharacters(in: .whitespacesAndNewlines)) == false)
    }

    @Test func turnsVerificationOffFromTheConfiguration() throws {
        #expect(try settings(["prometheus_verify_tls": false]).tls.verifyPeer == false)
        #expect(throws: FailedActivity.self) { try settings(["prometheus_verify_tls": "no"]) }
    }

    @Test(arguments: [JSONValue(1), 10])
    func readsTheAttemptCount(_ value: JSONValue) throws {
        #expect(try settings(["prometheus_http_attempts": value]).maximumAttempts == value.numberValue?.intValue)
    }

    @Test(arguments: [JSONValue(0), 11, 2.5, "3"])
    func refusesAnAttemptCountOutsideOneToTen(_ value: JSONValue) {
        let failure = #expect(throws: FailedActivity.self) { try settings(["prometheus_http_attempts": value]) }
        #expect(failure?.reason == .invalidConfiguration)
    }

    @Test func refusesABaseURLHoldingAPasswordWithoutShowingIt() {
        let failure = #expect(throws: FailedActivity.self) {
            try settings(["prometheus_base_url": "https://chaos:hunter2@prom.example.com"])
        }
        #expect(failure?.message.contains("hunter2") == false)
        #expect(failure?.message.contains("'prometheus_username' and 'prometheus_password'") == true)
    }

    @Test func turnsVerificationOffFromTheSecrets() throws {
        #expect(try settings([:], secrets: ["prometheus_verify_tls": false]).tls.verifyPeer == false)
    }

}

@Suite("Discovery documents how to reach Prometheus")
struct ConnectionDiscoveryTests {
    @Test func everyProbeNamesEveryConnectionKey() {
        let environment = ProbeEnvironment(client: PrometheusClient(http: http, logger: .disabled), logger: .disabled)
        let keys = [
            "prometheus_base_url", "prometheus_http_timeout", "prometheus_http_attempts", "prometheus_verify_tls",
            "prometheus_ca_cert", "prometheus_client_cert", "prometheus_client_key", "prometheus_username",
            "prometheus_password", "prometheus_bearer_token", "prometheus_headers", "\"type\": \"env\"",
        ]
        for probe in PrometheusExtension.probes(environment) {
            for key in keys {
                #expect(probe.descriptor.doc.contains(key), "\(probe.descriptor.name) does not mention \(key)")
            }
        }
    }
}

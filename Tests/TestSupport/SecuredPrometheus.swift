import Foundation

/// A real Prometheus (Debian's `prometheus`) that only speaks HTTPS and only to the user ``username`` with the
/// password ``password``, configured through its `--web.config.file` as a production server would be, and, when
/// started so, only to clients presenting a certificate the test authority signed (mutual TLS).
///
/// Its certificate is ``TestCertificates/server`` from ``TestCertificates/shared()``: trusted only by a client
/// given ``TestCertificates/authority``. It scrapes nothing; `vector(1)` is the query to ask it. Readiness is
/// told with the `curl` command line, so it does not depend on the plugin's own HTTP client. Stopped when the
/// test process exits; every wait is bounded.
package final class SecuredPrometheus: Sendable {
    /// The one user the server accepts.
    package static let username = "chaos"
    /// That user's password: ``Canary/secret``, so a test can tell whether the plugin ever writes it out.
    package static let password = Canary.secret
    /// The bcrypt hash of ``password`` in the web configuration, made once with
    /// `htpasswd -nbBC 10 chaos canary-7f3e9b2c-secret` (apache2-utils), so the tests do not need `htpasswd`.
    static let passwordHash = "$2y$10$s0KhZ0yNOCffChAr0pk2L.t2Yu00dvZ5vv9vOoHitxwgV9lWkr/hi"

    /// `https://127.0.0.1:<port>`: the address the server certificate names.
    package let baseURL: String
    /// The port it listens on, on 127.0.0.1.
    package var port: UInt16 { server.port }
    /// The authority, server and client certificates it was set up with.
    package let certificates: TestCertificates
    private let server: ServerProcess
    private let directory: String

    private init(server: ServerProcess, certificates: TestCertificates, directory: String) {
        self.server = server
        self.baseURL = "https://127.0.0.1:\(server.port)"
        self.certificates = certificates
        self.directory = directory
    }

    /// The TLS and basic-authentication server of this test process, started on first use.
    package static func shared() async throws -> SecuredPrometheus {
        try await sharedWithPassword.get()
    }

    /// The mutual-TLS (and basic-authentication) server of this test process, started on first use.
    package static func sharedRequiringClientCertificate() async throws -> SecuredPrometheus {
        try await sharedWithClientCertificate.get()
    }

    private static let sharedWithPassword = SharedFixture { try await start() }
    private static let sharedWithClientCertificate = SharedFixture { try await start(requiringClientCertificate: true) }

    /// Starts a new server and waits (30 s at most) until `curl`, trusting the test authority and giving the
    /// password (and the client certificate when one is required), gets 200 from `/-/ready`.
    package static func start(requiringClientCertificate: Bool = false) async throws -> SecuredPrometheus {
        let certificates = try await TestCertificates.shared()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chaostoolkit-prometheus-secured-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var webConfiguration = """
            tls_server_config:
              cert_file: \(certificates.server.certificatePath)
              key_file: \(certificates.server.keyPath)

            """
        if requiringClientCertificate {
            webConfiguration += """
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: \(certificates.authority.certificatePath)

                """
        }
        webConfiguration += """
            basic_auth_users:
              \(username): \(passwordHash)

            """
        let webConfigurationFile = directory + "/web.yml"
        let configurationFile = directory + "/prometheus.yml"
        do {
            try webConfiguration.write(toFile: webConfigurationFile, atomically: false, encoding: .utf8)
            try "global:\n  scrape_interval: 15s\n".write(toFile: configurationFile, atomically: false, encoding: .utf8)
            var readinessArguments = [
                "--cacert", certificates.authority.certificatePath, "-u", "\(username):\(password)",
            ]
            if requiringClientCertificate {
                readinessArguments += [
                    "--cert", certificates.client.certificatePath, "--key", certificates.client.keyPath,
                ]
            }
            let server = try await ServerProcess.start(PrometheusServer.binary, package: "prometheus") { port in
                [
                    "--config.file=\(configurationFile)", "--web.config.file=\(webConfigurationFile)",
                    "--web.listen-address=127.0.0.1:\(port)", "--storage.tsdb.path=\(directory)/data-\(port)",
                    "--log.level=warn",
                ]
            } isReady: { [readinessArguments] port in
                let answer = try? await Curl.fetch(
                    readinessArguments + ["https://127.0.0.1:\(port)/-/ready"], maxTime: 2)
                return answer?.status == 200
            }
            return SecuredPrometheus(
                server: server, certificates: certificates, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Stops the server and deletes its data.
    package func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import Foundation

/// A throwaway public-key infrastructure for the TLS tests, made with the `openssl` command line into a fresh
/// temporary directory: a certificate authority, a server certificate it signed for `127.0.0.1` and `localhost`,
/// a client certificate it signed, and a second, unrelated authority that vouches for neither.
///
/// Keys are EC P-256 and unencrypted; certificates are valid for two days. Made once per test process
/// (``shared()``); every `openssl` run is bounded.
package struct TestCertificates: Sendable {
    /// A certificate and its private key, as files and as PEM text (which the plugin accepts as well as paths).
    package struct Identity: Sendable {
        /// The PEM certificate's file.
        package let certificatePath: String
        /// The PEM private key's file (PKCS #8, unencrypted).
        package let keyPath: String
        /// The certificate as PEM text, `-----BEGIN CERTIFICATE-----` first.
        package let certificatePEM: String
        /// The private key as PEM text, `-----BEGIN PRIVATE KEY-----` first.
        package let keyPEM: String
    }

    /// The directory holding every file.
    package let directory: String
    /// The test certificate authority (self-signed), which signed ``server`` and ``client``.
    package let authority: Identity
    /// The server certificate: subjectAltName `IP:127.0.0.1` and `DNS:localhost`, for TLS servers.
    package let server: Identity
    /// The client certificate, for servers that require one (mutual TLS).
    package let client: Identity
    /// Another self-signed authority, which signed nothing here: trusting it alone must fail verification.
    package let wrongAuthority: Identity

    /// Debian's `openssl` (3.0, which has `req -x509 -CA`).
    package static let openssl = "/usr/bin/openssl"

    /// The certificates of this test process, made on first use.
    package static func shared() async throws -> TestCertificates {
        try await sharedSet.get()
    }

    private static let sharedSet = SharedFixture { try await generate() }

    /// Makes a new set in a new temporary directory.
    package static func generate() async throws -> TestCertificates {
        guard FileManager.default.isExecutableFile(atPath: openssl) else {
            throw TestSupportError("\(openssl) is missing: install Debian's 'openssl' package (scripts/test does)")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chaostoolkit-prometheus-certificates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let authorityExtensions = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]
        let authority = try await make(
            "ca", subject: "/CN=chaostoolkit-prometheus test CA", extensions: authorityExtensions, signedBy: nil,
            in: directory)
        let server = try await make(
            "server", subject: "/CN=localhost",
            extensions: [
                "subjectAltName=IP:127.0.0.1,DNS:localhost", "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth",
            ],
            signedBy: authority, in: directory)
        let client = try await make(
            "client", subject: "/CN=chaostoolkit-prometheus test client",
            extensions: [
                "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
                "extendedKeyUsage=clientAuth",
            ],
            signedBy: authority, in: directory)
        let wrongAuthority = try await make(
            "wrong-ca", subject: "/CN=an unrelated CA", extensions: authorityExtensions, signedBy: nil, in: directory)
        return TestCertificates(
            directory: directory, authority: authority, server: server, client: client, wrongAuthority: wrongAuthority)
    }

    /// A new key and its certificate, `name.key` and `name.pem`: self-signed without `issuer`.
    private static func make(
        _ name: String, subject: String, extensions: [String], signedBy issuer: Identity?, in directory: String
    ) async throws -> Identity {
        let keyPath = "\(directory)/\(name).key"
        let certificatePath = "\(directory)/\(name).pem"
        var arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
            "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", subject,
        ]
        if let issuer { arguments += ["-CA", issuer.certificatePath, "-CAkey", issuer.keyPath] }
        arguments += extensions.flatMap { ["-addext", $0] }
        let run = try await Subprocess.run(openssl, arguments: arguments)
        guard run.status == 0 else {
            throw TestSupportError(
                "openssl \(arguments.joined(separator: " ")) failed (status \(run.status)): \(run.errorText)")
        }
        return Identity(
            certificatePath: certificatePath, keyPath: keyPath,
            certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
            keyPEM: try String(contentsOfFile: keyPath, encoding: .utf8))
    }

}

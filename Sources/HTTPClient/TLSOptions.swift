/// TLS settings of one request: how the server is verified and what the client presents.
///
/// libcurl reuses a connection only for a request with the same settings, and ``HTTPClient`` keeps the
/// connections of each distinct set apart besides.
package struct TLSOptions: Sendable, Hashable {
    /// Whether the server's certificate chain and host name are verified (the default, and the safe choice).
    package var verifyPeer: Bool
    /// The certificate authorities to trust instead of the system's, such as a private CA; `nil` for the system's.
    package var trustedCertificates: PEM?
    /// The certificate presented to a server that asks for one (mutual TLS), with its ``clientKey``.
    package var clientCertificate: PEM?
    /// The private key of ``clientCertificate``, unencrypted.
    package var clientKey: PEM?

    package init(
        verifyPeer: Bool = true, trustedCertificates: PEM? = nil,
        clientCertificate: PEM? = nil, clientKey: PEM? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.trustedCertificates = trustedCertificates
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// PEM text: certificates, or a private key (`-----BEGIN CERTIFICATE-----...`).
///
/// It reaches libcurl as bytes, never as a path: a file is read by the caller, off libcurl's one thread, where a
/// FIFO or a slow disk would stall every other transfer.
package struct PEM: Sendable, Hashable {
    package let text: String

    package init(_ text: String) {
        self.text = text
    }
}

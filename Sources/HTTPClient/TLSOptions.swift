/// TLS settings of one request: how the server is verified and what the client presents.
///
/// libcurl reuses a connection only for a request with the same settings, and ``HTTPClient`` keeps the
/// connections of each distinct set apart besides.
public struct TLSOptions: Sendable, Hashable {
    /// Whether the server's certificate chain and host name are verified (the default, and the safe choice).
    public var verifyPeer: Bool
    /// The certificate authorities to trust instead of the system's, such as a private CA; `nil` for the system's.
    public var trustedCertificates: CertificateSource?
    /// The certificate presented to a server that asks for one (mutual TLS), with its ``clientKey``.
    public var clientCertificate: CertificateSource?
    /// The private key of ``clientCertificate``, unencrypted.
    public var clientKey: CertificateSource?

    public init(
        verifyPeer: Bool = true, trustedCertificates: CertificateSource? = nil,
        clientCertificate: CertificateSource? = nil, clientKey: CertificateSource? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.trustedCertificates = trustedCertificates
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// Where PEM material (certificates or a key) comes from.
public enum CertificateSource: Sendable, Hashable {
    /// A file holding PEM text, read by libcurl when the connection is made.
    case file(path: String)
    /// The PEM text itself (`-----BEGIN CERTIFICATE-----...`).
    case pem(String)

    /// PEM text when `text` holds a PEM block, a file path otherwise.
    public init(pathOrPEM text: String) {
        self = text.contains("-----BEGIN ") ? .pem(text) : .file(path: text)
    }
}

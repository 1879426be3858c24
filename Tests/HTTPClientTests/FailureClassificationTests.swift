import CCurl
import TestSupport
import Testing

@testable import HTTPClient

/// Failures are told apart by libcurl's codes and the system's error number, never by the words of a message.
@Suite("HTTP failures classified by code")
struct FailureClassificationTests {
    private static func kind(_ code: CURLcode, tls: Bool = false, answered: Bool = false) -> HTTPError.Kind {
        HTTPError.classify(code: code, tlsEstablished: tls, answered: answered, detail: "whatever libcurl says").kind
    }

    @Test func eachCodeHasItsKind() {
        #expect(Self.kind(CURLE_COULDNT_CONNECT) == .couldNotConnect)
        #expect(Self.kind(CURLE_COULDNT_RESOLVE_HOST) == .hostNotFound)
        #expect(Self.kind(CURLE_OPERATION_TIMEDOUT) == .timedOut)
        #expect(Self.kind(CURLE_TOO_MANY_REDIRECTS) == .tooManyRedirects)
        #expect(Self.kind(CURLE_URL_MALFORMAT) == .invalidURL)
        #expect(Self.kind(CURLE_UNSUPPORTED_PROTOCOL) == .transport)
        #expect(Self.kind(CURLE_SSL_CONNECT_ERROR) == .tls)
        #expect(Self.kind(CURLE_PEER_FAILED_VERIFICATION) == .tls)
        #expect(Self.kind(CURLE_GOT_NOTHING) == .transport)
    }

    @Test func aTLSSessionEndedBeforeAnyAnswerIsTheServersRefusal() {
        #expect(Self.kind(CURLE_RECV_ERROR, tls: true) == .tlsAlert)
        #expect(Self.kind(CURLE_SEND_ERROR, tls: true) == .tlsAlert)
    }

    @Test func aConnectionLostWithoutTLSOrAfterTheAnswerBeganIsATransportFailure() {
        #expect(Self.kind(CURLE_RECV_ERROR, tls: true, answered: true) == .transport)
        #expect(Self.kind(CURLE_RECV_ERROR, tls: false) == .transport)
    }

    @Test func theCodeAndMessageAreKept() {
        let error = HTTPError.classify(
            code: CURLE_SSL_CONNECT_ERROR, tlsEstablished: false, answered: false, detail: "alert 40")
        #expect(error.code == CURLE_SSL_CONNECT_ERROR)
        #expect(error.message == "alert 40")
    }

    /// From a review: a failed handshake got the hint too, though libcurl gives the same code to an `https` URL
    /// on a plain-HTTP port, where it sent the user the wrong way.
    @Test func onlyASessionEndedBeforeAnyAnswerMayMeanAClientCertificateIsWanted() {
        #expect(HTTPError(kind: .tlsAlert, code: CURLE_RECV_ERROR, message: "").mayWantClientCertificate)
        #expect(!HTTPError(kind: .tls, code: CURLE_SSL_CONNECT_ERROR, message: "").mayWantClientCertificate)
        #expect(!HTTPError(kind: .tls, code: CURLE_PEER_FAILED_VERIFICATION, message: "").mayWantClientCertificate)
        #expect(!HTTPError(kind: .transport, code: CURLE_RECV_ERROR, message: "").mayWantClientCertificate)
    }

    @Test func anOptionLibcurlRefusesFailsTheTransferNamingIt() throws {
        let easy = try #require(curl_easy_init())
        defer { curl_easy_cleanup(easy) }
        var options = EasyOptions(easy)
        options.set(CURLOPT_NOSIGNAL, 1)
        options.set(CURLOPT_PROTOCOLS_STR, "no-such-protocol")
        options.set(CURLOPT_URL, "http://127.0.0.1/")
        let failure = try #require(options.failure)
        #expect(failure.kind == .optionRefused)
        #expect(!RetryPolicy.isTransient(failure))  // it would fail the same way again
        #expect(failure.message.contains("refused option CURLOPT_PROTOCOLS_STR"), "\(failure.message)")
    }

    @Test func optionsLibcurlAcceptsLeaveNoFailure() throws {
        let easy = try #require(curl_easy_init())
        defer { curl_easy_cleanup(easy) }
        var options = EasyOptions(easy)
        options.set(CURLOPT_URL, "http://127.0.0.1/")
        options.set(CURLOPT_TIMEOUT_MS, 1000)
        #expect(options.failure == nil)
    }
}

/// The same, against OpenSSL's own test server requiring a client certificate, at each TLS version.
@Suite("TLS servers that want a client certificate")
struct ClientCertificateRefusalTests {
    private let client = HTTPClient()

    /// `openssl s_server` answering HTTP (`-www`) only to clients with a certificate the tests' authority signed.
    private func server(tlsVersion: String) async throws -> (ServerProcess, TestCertificates) {
        let certificates = try await TestCertificates.shared()
        let client = client
        let server = try await ServerProcess.start(
            TestCertificates.openssl, package: "openssl",
            arguments: { port in
                [
                    "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificates.server.certificatePath,
                    "-key", certificates.server.keyPath, "-CAfile", certificates.authority.certificatePath, "-Verify",
                    "1",
                    tlsVersion, "-www", "-quiet",
                ]
            },
            isReady: { port in
                let answer = try? await client.send(
                    HTTPRequest(
                        url: "https://127.0.0.1:\(port)/", timeout: .seconds(2),
                        tls: TLSOptions(
                            verifyPeer: false, clientCertificate: PEM(certificates.client.certificatePEM),
                            clientKey: PEM(certificates.client.keyPEM))))
                return answer?.status == 200
            })
        return (server, certificates)
    }

    /// What a request without a client certificate gets from such a server at `tlsVersion`.
    private func refusal(tlsVersion: String, retry: RetryPolicy = .once) async throws -> HTTPError {
        let (server, _) = try await server(tlsVersion: tlsVersion)
        defer { server.stop() }
        return try await #require(throws: HTTPError.self) {
            try await client.send(
                HTTPRequest(
                    url: "https://127.0.0.1:\(server.port)/", tls: TLSOptions(verifyPeer: false), retry: retry))
        }
    }

    @Test func atTLS13TheRefusalIsAnAlertAfterTheHandshake() async throws {
        let error = try await refusal(tlsVersion: "-tls1_3")
        #expect(error.kind == .tlsAlert, "\(error.message)")
        #expect(error.mayWantClientCertificate)
    }

    /// libcurl cannot tell this refusal from a connection dropped before the answer, so it is tried again like
    /// one, and fails the same way.
    @Test func aSessionEndedBeforeAnyAnswerIsTriedAgain() async throws {
        let error = try await refusal(
            tlsVersion: "-tls1_3", retry: RetryPolicy(maximumAttempts: 2, firstDelay: .milliseconds(10)))
        #expect(error.kind == .tlsAlert)
        #expect(error.attempts == 2)
    }

    @Test func atTLS12TheRefusalIsAFailedHandshake() async throws {
        let error = try await refusal(tlsVersion: "-tls1_2")
        #expect(error.kind == .tls, "\(error.message)")
        #expect(error.code == CURLE_SSL_CONNECT_ERROR)
        #expect(!error.mayWantClientCertificate)
    }
}

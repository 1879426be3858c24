import Foundation
import JSON
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, finding 2, through the executable: a FIFO named as TLS material froze every call of the process
/// (libcurl's one thread blocked opening it), and neither deadlines, `$/cancelRequest` nor SIGTERM helped.
@Suite("TLS material from files")
struct TLSMaterialTests {
    @Test func aFIFOAsACertificateFailsItsOwnCallAndEveryOtherCallIsServed() async throws {
        let prometheus = try await PrometheusServer.shared()
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let plugin = try PluginProcess(arguments: ["--prometheus-base-url", prometheus.baseURL])
        plugin.send(
            #"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":"vector(1)"},"configuration":{"prometheus_base_url":"https://127.0.0.1:1","prometheus_ca_cert":"\#(fifo)"}}}"#
        )
        plugin.send(#"{"jsonrpc":"2.0","id":2,"method":"query_value","params":{"arguments":{"query":"vector(2)"}}}"#)
        let refused = try await plugin.response(id: 1, timeout: .seconds(10))
        #expect(refused["error"]?["data"]?["reason"] == "invalid_configuration", "\(refused)")
        #expect(refused["error"]?["message"]?.stringValue?.contains("names no regular file") == true, "\(refused)")
        let served = try await plugin.response(id: 2, timeout: .seconds(10))
        #expect(served["result"] == 2)
        let run = try await plugin.finish()
        #expect(run.status == 0)
    }
}

/// Issue 12, finding 14: the client key's path appeared in a debug log line, from libcurl's message about the file
/// it failed to load. libcurl is now handed the key's bytes, never its path.
@Suite("TLS material in logs")
struct TLSMaterialLogTests {
    @Test func aClientKeyThatDoesNotFitItsCertificateFailsWithoutItsPathInAnyOutput() async throws {
        let server = try await SecuredPrometheus.sharedRequiringClientCertificate()
        let certificates = server.certificates
        let run = try await PluginProcess.run(
            [
                Requests.call(
                    "query", id: 1, arguments: ["query": "vector(1)"],
                    configuration: [
                        "prometheus_base_url": .string(server.baseURL),
                        "prometheus_ca_cert": .string(certificates.authority.certificatePath),
                        "prometheus_client_cert": .string(certificates.client.certificatePath),
                        "prometheus_http_attempts": 1,
                    ],
                    secrets: ["prometheus_client_key": .string(certificates.authority.keyPath)])
            ],  // another identity's key
            arguments: ["--log-level", "trace"])
        #expect(run.messages.first?["error"]?["data"]?["reason"] == "tls", "\(run.lines)")
        #expect(!run.lines.joined().contains(certificates.authority.keyPath))
        #expect(!run.standardError.contains(certificates.authority.keyPath), "\(run.standardError)")
    }
}

/// Issue 12, finding 4, through the executable: a bearer token holding `\r\n` reached the server as two header
/// lines. It now fails the call before any request, naming the key and not the value.
@Suite("Credentials that could forge headers")
struct CredentialInjectionTests {
    @Test(arguments: ["t0ken\r\nX-Injected: yes", "t0ken\n"])
    func aTokenWithALineBreakFailsBeforeAnyRequest(_ token: String) async throws {
        let stub = try StubHTTPServer(
            always: .init(status: 200, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#))
        defer { stub.stop() }
        let secrets = JSONValue.object(["prometheus_bearer_token": .string(token)]).serializedString()
        let run = try await PluginProcess.run([
            #"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":"up"},"configuration":{"prometheus_base_url":"\#(stub.baseURL)"},"secrets":\#(secrets)}}"#
        ])
        let error = try #require(run.messages.first?["error"])
        #expect(error["data"]?["reason"] == "invalid_secrets", "\(error)")
        #expect(run.lines.allSatisfy { !$0.contains("t0ken") })
        #expect(stub.requests.isEmpty)
    }
}

/// Issue 12, finding 13: an `env` reference in the configuration quoted the variable's value back in errors, so a
/// request could read out any environment variable of the plugin. Messages now name the variable instead.
@Suite("Environment values in messages")
struct EnvironmentValueTests {
    static let value = "AKIA-not-to-be-shown"

    @Test(arguments: [
        ("prometheus_base_url", "{}"), ("prometheus_http_timeout", "{}"), ("prometheus_http_attempts", "{}"),
        ("prometheus_ca_cert", "{}"), ("prometheus_http_attempts", #"{"env_var_type":"int"}"#),
    ])
    func aValueFromTheEnvironmentIsNamedNeverQuoted(key: String, conversion: String) async throws {
        let reference =
            #"{"type":"env","key":"PLUGIN_TEST_SECRET"\#(conversion == "{}" ? "" : #","env_var_type":"int""#)}"#
        let run = try await PluginProcess.run(
            [
                #"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":"up"},"configuration":{"\#(key)":\#(reference)}}}"#
            ],
            arguments: ["--log-level", "trace", "--prometheus-base-url", "http://127.0.0.1:1"],
            environment: ["PLUGIN_TEST_SECRET": Self.value])
        let error = try #require(run.messages.first?["error"])
        #expect(error["data"]?["reason"] == "invalid_configuration", "\(error)")
        #expect(error["message"]?.stringValue?.contains("environment variable PLUGIN_TEST_SECRET") == true, "\(error)")
        #expect(!run.lines.joined().contains(Self.value))
        #expect(!run.standardError.contains(Self.value))
    }
}

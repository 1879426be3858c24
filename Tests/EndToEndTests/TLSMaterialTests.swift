#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import TestSupport
import Testing

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
        plugin.send(#"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":"vector(1)"},"configuration":{"prometheus_base_url":"https://127.0.0.1:1","prometheus_ca_cert":"\#(fifo)"}}}"#)
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

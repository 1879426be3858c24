import Foundation

/// Debian's nginx serving one `server` block on a free loopback port, run from a temporary directory of its own:
/// configuration, pid file, temporary files and logs all live there, and it runs as one process (no master, no
/// workers, no daemon), so it needs no privileges and stopping the child stops it all.
///
/// Building block of ``TenantGateway`` and ``ForwardProxy``. Every server answers `GET /-/test-ready` with its
/// own identifier, which is how readiness is told (with `curl`) from another server that took the port.
final class NginxServer: Sendable {
    /// Debian's nginx.
    static let binary = "/usr/sbin/nginx"

    /// The port it listens on, on 127.0.0.1.
    var port: UInt16 { server.port }
    /// The directory holding its configuration and logs.
    let directory: String
    private let server: ServerProcess

    private init(server: ServerProcess, directory: String) {
        self.server = server
        self.directory = directory
    }

    /// Starts nginx with `serverBlock` (the directives inside `server { ... }`, besides `listen`) and waits (30 s at
    /// most) until it answers. Every request is logged to `access.log` as `<request line> <status>`.
    static func start(serverBlock: String) async throws -> NginxServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chaostoolkit-prometheus-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let identifier = UUID().uuidString
        do {
            let server = try await ServerProcess.start(binary, package: "nginx") { port in
                let configurationFile = "\(directory)/nginx-\(port).conf"
                try configuration(port: port, directory: directory, identifier: identifier, serverBlock: serverBlock)
                    .write(toFile: configurationFile, atomically: false, encoding: .utf8)
                return ["-p", directory, "-c", configurationFile, "-e", "\(directory)/error.log"]
            } isReady: { port in
                let answer = try? await Curl.fetch(["http://127.0.0.1:\(port)/-/test-ready"], maxTime: 2)
                return answer?.body == identifier
            }
            return NginxServer(server: server, directory: directory)
        } catch {
            let log = (try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: directory)
            throw TestSupportError("nginx did not start: \(error); its error log: \(log)")
        }
    }

    private static func configuration(port: UInt16, directory: String, identifier: String, serverBlock: String)
        -> String
    {
        """
        daemon off;
        master_process off;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events {
            worker_connections 256;
        }
        http {
            client_body_temp_path \(directory)/client_body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            log_format requests '$request $status';
            access_log \(directory)/access.log requests;
            server {
                listen 127.0.0.1:\(port);
                location = /-/test-ready {
                    return 200 '\(identifier)';
                }
        \(serverBlock)
            }
        }

        """
    }

    /// The request lines nginx has logged so far (`GET /path?query HTTP/1.1 200`), its own readiness checks
    /// left out.
    var loggedRequests: [String] {
        let log = (try? String(contentsOfFile: "\(directory)/access.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init).filter { !$0.contains("/-/test-ready") }
    }

    /// Stops nginx and deletes its directory.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#endif

/// A proxy that speaks only `CONNECT`, as `https_proxy` needs it and nginx cannot: it opens a tunnel to the
/// 127.0.0.1 port a client names and relays bytes both ways, so TLS stays end to end. It records each tunnel's
/// target. A stand-in for what a real server cannot be made to do here, kept to loopback targets.
package final class ConnectProxy: Sendable {
    package let port: UInt16
    private let listener: Int32
    /// `listenerOpen`: the listener is shut down and closed only under the lock, so a stale descriptor number
    /// (another socket's by then) is never shut down.
    private let state = Locked<(tunnels: [String], stopped: Bool, listenerOpen: Bool)>(([], false, true))

    /// `http://127.0.0.1:<port>`, for `https_proxy`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// The `host:port` of every `CONNECT` received, in order.
    package var tunnels: [String] { state.withLock { $0.tunnels } }

    package init() throws {
        (listener, port) = try Loopback.listeningSocket(port: 0)
        Thread.detachNewThread { [self] in acceptTunnels() }
    }

    deinit { stop() }

    package func stop() {
        state.withLock { state in
            if !state.stopped && state.listenerOpen { shutdown(listener, Int32(SHUT_RDWR)) }
            state.stopped = true
        }
    }

    private func acceptTunnels() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                state.withLock { state in
                    state.listenerOpen = false
                    close(listener)
                }
                return
            }
            Thread.detachNewThread { [self] in tunnel(from: client) }
        }
    }

    private func tunnel(from client: Int32) {
        defer { close(client) }
        var head: [UInt8] = []
        var byte: UInt8 = 0
        // The request head, a byte at a time so nothing of the TLS that follows is read here; 8 KiB at most.
        while head.count < 8192, !head.ends(with: Array("\r\n\r\n".utf8)), read(client, &byte, 1) == 1 {
            head.append(byte)
        }
        let requestLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[0] == "CONNECT", let colon = parts[1].lastIndex(of: ":"),
            parts[1][..<colon] == "127.0.0.1", let port = UInt16(parts[1][parts[1].index(after: colon)...])
        else {
            send(client, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        }
        state.withLock { $0.tunnels.append(String(parts[1])) }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(upstream) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            send(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        }
        send(client, "HTTP/1.1 200 Connection established\r\n\r\n")
        relay(client, upstream)
    }

    /// Copies bytes both ways until either side closes, or nothing moves for 30 s.
    private func relay(_ first: Int32, _ second: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var descriptors = [
            pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0),
        ]
        while poll(&descriptors, 2, 30_000) > 0 {
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
                guard count > 0 else { return }
                let target = index == 0 ? second : first
                var offset = 0
                while offset < count {
                    let written = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, count - offset) }
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }

    private func send(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

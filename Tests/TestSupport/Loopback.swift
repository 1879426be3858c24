import Locking

#if canImport(Glibc)
import Glibc
#endif

/// Sockets on 127.0.0.1, for test servers.
package enum Loopback {
    /// A URL where nothing listens: port 1, which no test server can take (a port merely free now could be
    /// bound by another test's server before the refusal is tried).
    package static let refusedURL = "http://127.0.0.1:1"

    /// A port nothing listens on right now (the kernel's choice for an ephemeral bind, released at once), kept
    /// for the server about to be started on it: no ``listeningSocket(port:)`` of this process takes it meanwhile.
    package static func freePort() throws -> UInt16 {
        let socket = try listeningSocket(port: 0)
        defer { close(socket.descriptor) }
        reserved.withLock { _ = $0.insert(socket.port) }
        return socket.port
    }

    /// Ports ``freePort()`` handed out for servers started as processes. Between the choice and the server's bind,
    /// a stub taking the same port would answer the server's readiness check in its place.
    private static let reserved = Locked<Set<UInt16>>([])

    /// A TCP socket bound to 127.0.0.1:`port` (0 for any free port that no server of this process was promised)
    /// and listening.
    package static func listeningSocket(port: UInt16) throws -> (descriptor: Int32, port: UInt16) {
        try FastTests.refuseUnderFastTests("a server on 127.0.0.1")
        guard port == 0 else { return try bound(port: port) }
        var refused: [Int32] = []
        defer { for socket in refused { close(socket) } }
        for _ in 0..<16 {
            let socket = try bound(port: 0)
            guard reserved.withLock({ $0.contains(socket.port) }) else { return socket }
            refused.append(socket.descriptor)  // held until another port is found, so the kernel offers a new one
        }
        return try bound(port: 0)
    }

    private static func bound(port: UInt16) throws -> (descriptor: Int32, port: UInt16) {
        // Close-on-exec, so a child process another test starts cannot hold the server's socket open.
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw TestSupportError("cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }
}

/// A test fixture that could not be set up.
package struct TestSupportError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

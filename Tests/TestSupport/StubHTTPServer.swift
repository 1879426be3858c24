import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1, for what a real Prometheus cannot be made to do: answer "Bad Request"
/// in plain text, send HTML with a 200, or take its time.
///
/// Each connection is served on a thread of its own with keep-alive; every request is recorded. Sockets have
/// a receive timeout of a minute, so no thread outlives the test run by long; it is that long because a test
/// process starting every suite's servers at once has been seen to stall for ten seconds, and a stub that closed
/// an idle kept-alive connection during such a stall made the client open another (miscounting connections) or
/// send on one just closed ("Empty reply from server").
package final class StubHTTPServer: Sendable {
    /// A request as the stub received it.
    package struct Request: Sendable {
        package let method: String
        /// The request target: path and query string, as sent.
        package let target: String
        package let headers: [String: String]
        package let body: [UInt8]
        /// Which connection it came on: 1 for the first the stub accepted, 2 for the next, ...
        package let connection: Int

        /// The path without the query string.
        package var path: String { String(target.prefix { $0 != "?" }) }

        /// The decoded query-string parameters.
        package var queryParameters: [String: String] {
            var parameters: [String: String] = [:]
            for pair in target.drop(while: { $0 != "?" }).dropFirst().split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).removingPercentEncoding ?? String($0)
                }
                parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return parameters
        }
    }

    /// What to answer.
    package struct Reply: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var body: [UInt8]
        /// How long to wait before answering.
        package var delay: Duration
        /// How the body goes wrong, if it does.
        package var fault: Fault?

        /// A body that does not arrive whole.
        package enum Fault: Sendable {
            /// The headers and this many bytes of the body are sent, then nothing more (the connection stays open).
            case stallAfter(bytes: Int)
            /// The headers and this many bytes of the body are sent, then the connection is closed.
            case closeAfter(bytes: Int)
        }

        package init(
            status: Int, contentType: String = "application/json", body: String, delay: Duration = .zero,
            headers: [(String, String)] = [], fault: Fault? = nil
        ) {
            self.init(
                status: status, contentType: contentType, bytes: Array(body.utf8), delay: delay, headers: headers,
                fault: fault)
        }

        /// A reply whose body is `bytes`, sent without a copy however many connections send it.
        package init(
            status: Int, contentType: String = "application/json", bytes: [UInt8], delay: Duration = .zero,
            headers: [(String, String)] = [], fault: Fault? = nil
        ) {
            self.status = status
            self.headers = [("Content-Type", contentType)] + headers
            self.body = bytes
            self.delay = delay
            self.fault = fault
        }
    }

    package typealias Responder = @Sendable (Request) -> Reply

    package let port: UInt16
    private let listener: Int32
    private let responder: Responder
    private let state = Locked(State())

    /// Descriptors are closed and shut down only under the lock, and forgotten when closed: a descriptor number
    /// shut down after its close could be another socket's by then (another stub's listener or connection), which
    /// made other tests' connections fail ("Connection refused", "Empty reply from server") now and then.
    private struct State {
        var requests: [Request] = []
        /// The connections accepted so far.
        var accepted = 0
        /// The descriptors of the connections still open.
        var open: Set<Int32> = []
        var listenerOpen = true
        var stopped = false
        var answering = 0
        var mostAnswering = 0
    }

    /// `http://127.0.0.1:<port>`
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far.
    package var requests: [Request] { state.withLock { $0.requests } }

    /// Returns once `count` requests have arrived: what a test waits for instead of sleeping a guessed while.
    /// Throws after `timeout`.
    package func waitForRequests(_ count: Int = 1, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ $0.requests.count }) < count {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("the stub got \(requests.count) of \(count) requests within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The most requests that were being answered at the same moment.
    package var mostConcurrentRequests: Int { state.withLock { $0.mostAnswering } }

    /// How many connections were accepted.
    package var connectionCount: Int { state.withLock { $0.accepted } }

    /// Starts a stub answering every request with `responder`'s reply.
    package init(responder: @escaping Responder) throws {
        let socket = try Loopback.listeningSocket(port: 0)
        listener = socket.descriptor
        port = socket.port
        self.responder = responder
        let thread = Thread { [self] in acceptConnections() }
        thread.start()
    }

    /// How long a connection may stay idle before the stub closes it.
    private static let idleTimeoutSeconds = 60

    /// A stub that always gives the same reply.
    package convenience init(always reply: Reply) throws {
        try self.init { _ in reply }
    }

    deinit { stop() }

    /// Stops accepting and closes every connection.
    package func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            if state.listenerOpen { shutdown(listener, Int32(SHUT_RDWR)) }
            for connection in state.open { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptConnections() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: Self.idleTimeoutSeconds, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let ordinal = state.withLock { state -> Int? in
                guard !state.stopped else {
                    close(connection)
                    return nil
                }
                state.accepted += 1
                state.open.insert(connection)
                return state.accepted
            }
            guard let ordinal else { break }
            let thread = Thread { [self] in serve(connection, ordinal: ordinal) }
            thread.start()
        }
        state.withLock { state in
            state.listenerOpen = false
            close(listener)
        }
    }

    private func serve(_ connection: Int32, ordinal: Int) {
        defer {
            state.withLock { state in
                state.open.remove(connection)
                close(connection)
            }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            // Read up to the end of the head, then the body its Content-Length announces.
            var headEnd: Int?
            while headEnd == nil {
                headEnd = buffer.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound
                if headEnd != nil { break }
                let count = Self.receive(on: connection, into: &chunk)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < headEnd! + length {
                let count = Self.receive(on: connection, into: &chunk)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            let request = Request(
                method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                body: Array(buffer[headEnd!..<(headEnd! + length)]), connection: ordinal)
            buffer.removeFirst(headEnd! + length)
            state.withLock { state in
                state.requests.append(request)
                state.answering += 1
                state.mostAnswering = max(state.mostAnswering, state.answering)
            }
            defer { state.withLock { $0.answering -= 1 } }

            let reply = responder(request)
            if reply.delay > .zero {
                let (seconds, attoseconds) = reply.delay.components
                usleep(UInt32(seconds) * 1_000_000 + UInt32(attoseconds / 1_000_000_000_000))
            }
            var response = "HTTP/1.1 \(reply.status) \(Self.reasonPhrase(reply.status))\r\n"
            for (name, value) in reply.headers { response += "\(name): \(value)\r\n" }
            response += "Content-Length: \(reply.body.count)\r\nConnection: keep-alive\r\n\r\n"
            switch reply.fault {
            case nil:
                // The head is sent with MSG_MORE, so it leaves with the body rather than alone (Nagle's delay).
                guard sendAll(Array(response.utf8), on: connection, more: !reply.body.isEmpty),
                    sendAll(reply.body, on: connection)
                else { return }
            case .closeAfter(let bytes)?:
                _ = sendAll(Array(response.utf8) + reply.body.prefix(bytes), on: connection)
                return
            case .stallAfter(let bytes)?:
                _ = sendAll(Array(response.utf8) + reply.body.prefix(bytes), on: connection)
                // Hold the connection until the client gives up (or the receive timeout ends the thread).
                var sink = [UInt8](repeating: 0, count: 1024)
                while sink.withUnsafeMutableBytes({ recv(connection, $0.baseAddress, $0.count, 0) }) > 0 {}
                return
            }
        }
    }

    /// `recv`, tried again when a signal interrupts it: a signal (a child's SIGCHLD, say) must not look like a
    /// client that went away, which would close the connection without an answer.
    private static func receive(on connection: Int32, into chunk: inout [UInt8]) -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            return count
        }
    }

    private func sendAll(_ bytes: [UInt8], on connection: Int32, more: Bool = false) -> Bool {
        var offset = 0
        let flags = Int32(MSG_NOSIGNAL) | (more ? Int32(MSG_MORE) : 0)
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(connection, $0.baseAddress! + offset, $0.count - offset, flags) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 302: "Found"
        case 405: "Method Not Allowed"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

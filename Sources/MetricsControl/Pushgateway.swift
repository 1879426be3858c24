import ActivityHTTP
import ChaosToolkit
import HTTPClient
import JSON

/// Pushes a group of metrics to a Prometheus Pushgateway, as `prometheus_client.push_to_gateway` does:
/// `PUT <gateway>/metrics/job/<job>/<label>/<value>...`, replacing every metric of the group.
struct Pushgateway: Sendable {
    /// The gateway's URL, without trailing slashes; `http://` is assumed when no scheme is given.
    let url: String
    let job: String
    /// The grouping key's labels, besides `job`.
    let groupingKey: [(name: String, value: String)]

    static let deadline: Duration = .seconds(30)

    /// A push of `job`'s group; `url` is checked as a base URL is (``validatedURL(_:)``), and every name of
    /// `groupingKey` must be a Prometheus label name: a name is a segment of the path, and `a/../../admin` would
    /// walk out of `/metrics` onto the gateway's admin API.
    init(url: String, job: String, groupingKey: [(name: String, value: String)]) throws(FailedActivity) {
        self.url = try Self.validatedURL(url)
        self.job = job
        for (name, _) in groupingKey where !Self.isLabelName(name) {
            throw FailedActivity(
                "grouping_key names must be Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*), not '\(name)'",
                reason: .invalidArgument, detail: ["argument": "grouping_key"])
        }
        self.groupingKey = groupingKey
    }

    /// `text` as the gateway's base URL: `http://` is assumed without a scheme, as `prometheus_client` does; an
    /// http(s) URL without a query, and without a user name or password, which would show in messages and logs.
    static func validatedURL(_ text: String, source: String = "pushgateway_url") throws(FailedActivity) -> String {
        switch BaseURL.parse(text.contains("://") ? text : "http://" + text) {
        case .success(let base):
            return base
        case .failure(.notAnHTTPURL):
            throw FailedActivity(
                "\(source) must be an http or https URL without a query, such as \"http://localhost:9091\", not '\(text)'",
                reason: .invalidArgument, detail: ["argument": "pushgateway_url"])
        case .failure(.holdsCredentials):
            // Not echoed: the URL holds a password.
            throw FailedActivity(
                "\(source) must not hold a user name or password, which would show in logs and messages",
                reason: .invalidArgument, detail: ["argument": "pushgateway_url"])
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// The group's path: sorted labels, values escaped as `prometheus_client` does (base64 for an empty
    /// value or one with a `/`, form encoding otherwise).
    var groupURL: String {
        let labels = [("job", job)] + groupingKey.sorted { $0.name < $1.name }
        return url + "/metrics"
            + labels.map { name, value in
                if value.isEmpty { return "/\(name)@base64/=" }
                if value.utf8.contains(UInt8(ascii: "/")) {  // bytes: a "/" before a combining mark is still one
                    return "/\(name)@base64/\(Self.base64URL(Array(value.utf8)))"
                }
                return "/\(name)/\(FormEncoding.escape(value, spaceAsPlus: true))"
            }.joined()
    }

    /// `bytes` in the URL-safe base64 alphabet (`-` and `_`), padded with `=`, as Python's
    /// `base64.urlsafe_b64encode` writes it.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for index in 0..<4 {
                encoded.append(index <= chunk.count ? alphabet[(value >> (18 - 6 * index)) & 63] : UInt8(ascii: "="))
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Replaces the group's metrics with `exposition`.
    func push(_ exposition: String, with http: HTTPClient) async throws {
        let prefix = "pushing the run metrics to the Pushgateway at \(url) failed"
        let request = HTTPRequest(
            url: groupURL,
            method: .put(body: Array(exposition.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8"),
            timeout: Self.deadline, connectTimeout: Self.deadline)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPError {
            throw FailedActivity.transport(
                error, prefix: prefix, service: "the Pushgateway", baseURL: url, url: groupURL,
                deadline: Self.deadline, deadlineSetting: "the push deadline")
        }
        guard response.isSuccess else {
            let body = Shortened.text(response.body)
            // `body` as protocol.md's http_status promises, as Prometheus's failures carry it.
            throw FailedActivity(
                "\(prefix): HTTP \(response.status): \(body)", reason: .httpStatus,
                detail: [
                    "status": .number(JSONNumber(response.status)), "url": .string(groupURL), "body": .string(body),
                ])
        }
    }
}

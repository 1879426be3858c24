import ChaosToolkit
import Foundation
import HTTPClient
import JSON
import PrometheusProbes

/// Pushes a group of metrics to a Prometheus Pushgateway, as `prometheus_client.push_to_gateway` does:
/// `PUT <gateway>/metrics/job/<job>/<label>/<value>...`, replacing every metric of the group.
struct Pushgateway: Sendable {
    /// The gateway's URL, without trailing slashes; `http://` is assumed when no scheme is given.
    let url: String
    let job: String
    /// The grouping key's labels, besides `job`.
    let groupingKey: [(name: String, value: String)]

    static let deadline: Duration = .seconds(30)

    init(url: String, job: String, groupingKey: [(name: String, value: String)]) {
        var base = url.contains("://") ? url : "http://" + url
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base
        self.job = job
        self.groupingKey = groupingKey
    }

    /// The group's path: sorted labels, values escaped as `prometheus_client` does (base64 for an empty
    /// value or one with a `/`, form encoding otherwise).
    var groupURL: String {
        let labels = [("job", job)] + groupingKey.sorted { $0.name < $1.name }
        return url + "/metrics" + labels.map { name, value in
            if value.isEmpty { return "/\(name)@base64/=" }
            if value.utf8.contains(UInt8(ascii: "/")) {  // bytes: a "/" before a combining mark is still one
                let encoded = Data(value.utf8).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                return "/\(name)@base64/\(encoded)"
            }
            return "/\(name)/\(FormEncoding.escape(value, spaceAsPlus: true))"
        }.joined()
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
            let body = String(decoding: response.body, as: UTF8.self)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            throw FailedActivity(
                "\(prefix): HTTP \(response.status): \(body.isEmpty ? "(empty body)" : String(body.prefix(500)))",
                reason: .httpStatus,
                detail: ["status": .number(JSONNumber(response.status)), "url": .string(groupURL)])
        }
    }
}

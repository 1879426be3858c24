import ActivityHTTP
import ChaosToolkit
import CivilCalendar
import HTTPClient
import JSON
import PluginLog

/// Sends queries to the Prometheus HTTP API and turns every way they can fail into a ``FailedActivity``.
///
/// Stateless apart from the shared ``HTTPClient`` (which keeps connections warm): each call carries its own
/// settings, so nothing from one call reaches the next.
package struct PrometheusClient: Sendable {
    private let http: HTTPClient
    private let maximumResponseSize: Int
    private let logger: Logger

    /// A client over `http`; an answer larger than `maximumResponseSize` bytes fails with `response_too_large`.
    package init(http: HTTPClient, maximumResponseSize: Int = HTTPRequest.defaultMaximumResponseSize, logger: Logger) {
        self.http = http
        self.maximumResponseSize = maximumResponseSize
        self.logger = logger
    }

    /// One API call, in the form the probes need it.
    package struct Call: Sendable {
        package var api: PrometheusAPI
        /// The query-string parameters, in the order they are sent and shown in messages.
        package var parameters: [(name: String, value: String)]
        package var settings: PrometheusSettings
        /// The query's server-side `timeout`, which lengthens the HTTP deadline when needed.
        package var queryTimeout: PrometheusDuration?
        package var verifyTLS: Bool

        package init(
            api: PrometheusAPI, parameters: [(name: String, value: String)], settings: PrometheusSettings,
            queryTimeout: PrometheusDuration?, verifyTLS: Bool
        ) {
            self.api = api
            self.parameters = parameters
            self.settings = settings
            self.queryTimeout = queryTimeout
            self.verifyTLS = verifyTLS
        }

        /// An instant query (`/api/v1/query`) of `query` at `time` (Prometheus's "now" when `nil`).
        package static func instantQuery(
            _ query: String, at time: UnixTime?, timeout: PrometheusDuration?, settings: PrometheusSettings,
            verifyTLS: Bool
        ) -> Call {
            var parameters = [(name: "query", value: query)]
            if let timeout { parameters.append(("timeout", timeout.text)) }
            if let time { parameters.append(("time", RFC3339.format(time))) }
            return Call(
                api: .query, parameters: parameters, settings: settings, queryTimeout: timeout, verifyTLS: verifyTLS)
        }

        /// A range query (`/api/v1/query_range`) of `query` from `start` to `end`.
        package static func rangeQuery(
            _ query: String, start: UnixTime, end: UnixTime, step: PrometheusDuration, timeout: PrometheusDuration?,
            settings: PrometheusSettings, verifyTLS: Bool
        ) -> Call {
            var parameters = [(name: "query", value: query)]
            if let timeout { parameters.append(("timeout", timeout.text)) }
            parameters += [("start", RFC3339.format(start)), ("end", RFC3339.format(end)), ("step", step.text)]
            return Call(
                api: .queryRange, parameters: parameters, settings: settings, queryTimeout: timeout,
                verifyTLS: verifyTLS)
        }

        /// The parameters as a JSON object, the way failure messages show them.
        var parameterDump: String {
            JSONValue.object(JSONObject(parameters.map { ($0.name, JSONValue.string($0.value)) })).serializedString()
        }

        /// The parameters as `application/x-www-form-urlencoded` text, for a query string or a POST body.
        var form: String {
            parameters.map { "\(FormEncoding.escape($0.name))=\(FormEncoding.escape($0.value))" }
                .joined(separator: "&")
        }

        var endpoint: String { settings.baseURL + api.path }
    }

    /// Parameters longer than this, once encoded, are sent in a POST body instead of the URL (see
    /// `protocol.md`, "Long queries"): short queries stay readable in access logs and pass read-only proxies,
    /// long ones stay clear of the 4 to 8 KiB request-line limits of common proxies and servers.
    package static let longestQueryString = 2048

    /// Performs `call` and returns Prometheus's response document as it is, once it says `"status": "success"`.
    ///
    /// A call whose parameters are longer than ``longestQueryString`` is POSTed as a form, and sent again by
    /// GET when the server answers 405 or 501 (it does not take POST). Transient failures are retried as the
    /// settings allow, all within one deadline.
    // Not inlined: Swift 6.3's optimizer crashes (signal 11, splitting the coroutine) when it inlines this into
    // compute_mean's async body.
    @inline(never)
    package func perform(_ call: Call) async throws -> PrometheusDocument {
        let response = try await exchange(call)
        return PrometheusDocument(value: try readDocument(response, of: call), reservation: response.reservation)
    }

    /// ``document(in:of:)``, once the budget has given the room its tree takes.
    private func readDocument(_ response: HTTPResponse, of call: Call) throws(FailedActivity) -> JSONValue {
        if let reservation = response.reservation, !reservation.grow(by: response.body.count * Self.treeCostPerByte) {
            guard response.isSuccess else { return try document(in: response, of: call, readsTree: false) }
            let hint =
                call.api == .queryRange
                ? " (query_interval passes a range answer on as it arrives, without this cost)" : ""
            throw FailedActivity(
                "\(call.api.failurePrefix) \(call.parameterDump) failed: the answer of \(response.body.count) bytes is read into a document of up to \(Self.treeCostPerByte) times its size, and the memory budget for answers (\(reservation.memory.limit) bytes, --max-response-memory) has not that much room left\(hint)",
                reason: .memoryBudgetExceeded, detail: ["url": .string(call.endpoint)])
        }
        return try document(in: response, of: call)
    }

    /// The room a document read into a tree takes in the memory budget, per byte of the answer: a range answer of
    /// 250 MB took 3.4 GB (13.7 times) as a tree and the list query_values makes of it.
    package static let treeCostPerByte = 16

    /// How every answer of a successful Prometheus API call begins (Go writes the `status` member first).
    private static let successPrefix = Array(#"{"status":"success""#.utf8)

    /// Performs `call` like ``perform(_:)``, but returns a successful document as its checked text
    /// (``JSONOutput/text(_:)``) instead of parsing it: for the probes that return Prometheus's answer as it
    /// is, so a large range result costs one pass over its bytes, not a parse and a rewrite.
    package func performAsIs(_ call: Call) async throws -> JSONOutput {
        var response = try await exchange(call)
        guard response.isSuccess, response.body.starts(with: Self.successPrefix) else {
            return .value(try readDocument(response, of: call))
        }
        let body = response.body
        response.body = []  // the only reference left, so the text is checked and compacted in place
        do {
            var text = try JSONText(validating: consume body)
            text.keepsAlive = response.reservation  // the bytes stay counted until the answer is written
            return .text(text)
        } catch {
            throw FailedActivity(
                "\(call.api.failurePrefix) \(call.parameterDump) failed: the answer is not valid JSON (\(error.description))",
                reason: .badResponse, detail: ["status": .number(JSONNumber(response.status))])
        }
    }

    /// Sends `call` (by POST when long, by GET again when POST is refused) and returns the final answer.
    private func exchange(_ call: Call) async throws -> HTTPResponse {
        let form = call.form
        let deadline = call.settings.deadline(queryTimeout: call.queryTimeout)
        let started = ContinuousClock.now
        var tls = call.settings.tls
        tls.verifyPeer = tls.verifyPeer && call.verifyTLS
        let getURL = form.isEmpty ? call.endpoint : call.endpoint + "?" + form
        var request = HTTPRequest(
            url: getURL,
            headers: [HTTPHeader(name: "Accept", value: "application/json")],
            timeout: deadline,
            connectTimeout: deadline,
            maximumResponseSize: maximumResponseSize,
            tls: tls,
            credentials: call.settings.credentials,
            retry: RetryPolicy(maximumAttempts: call.settings.maximumAttempts))
        if form.utf8.count > Self.longestQueryString {
            request.url = call.endpoint
            request.method = .post(body: Array(form.utf8), contentType: "application/x-www-form-urlencoded")
        }
        logger.debug(
            "Querying with: \(call.parameterDump) at \(call.endpoint)\(request.method == .get ? " by GET" : " by POST")"
        )
        do {
            var response = try await http.send(request)
            if request.method != .get, response.status == 405 || response.status == 501 {
                logger.debug("\(call.endpoint) answered \(response.status) to POST: sending the query by GET")
                request.url = getURL
                request.method = .get
                request.timeout = max(deadline - (ContinuousClock.now - started), .milliseconds(1))
                response = try await http.send(request)
            }
            return response
        } catch var error as HTTPError {
            if error.mayWantClientCertificate, call.settings.tls.clientCertificate == nil {
                error.message +=
                    " (the server may want a client certificate: 'prometheus_client_cert' and secret 'prometheus_client_key')"
            }
            throw FailedActivity.transport(
                error, prefix: "\(call.api.failurePrefix) \(call.parameterDump) failed",
                service: "Prometheus", baseURL: call.settings.baseURL, url: call.endpoint,
                deadline: deadline, deadlineSetting: "configuration 'prometheus_http_timeout'")
        }
    }

    /// The document of a successful answer, or the failure an answer says; `readsTree` false when the budget has
    /// no room for the body as a tree, so that an error answer is judged by its text.
    private func document(in response: HTTPResponse, of call: Call, readsTree: Bool = true) throws(FailedActivity)
        -> JSONValue
    {
        let prefix =
            "\(call.api.failurePrefix) \(call.parameterDump) failed"
            + (response.attempts > 1 ? " after \(response.attempts) attempts" : "")
        let parsed = readsTree ? try? JSONValue(parsing: response.body) : nil
        var detail: JSONObject = ["status": .number(JSONNumber(response.status))]
        if response.attempts > 1 { detail["attempts"] = .number(JSONNumber(response.attempts)) }

        if response.status == 401 || response.status == 403 {
            detail["body"] = .string(Shortened.text(response.body))
            let sent = Self.describe(call.settings.credentials)
            throw response.status == 401
                ? FailedActivity(
                    "\(prefix): HTTP 401: \(call.settings.baseURL) wants credentials it accepts; the call sent \(sent): \(Shortened.text(response.body))",
                    reason: .unauthorized, detail: detail)
                : FailedActivity(
                    "\(prefix): HTTP 403: \(call.settings.baseURL) refuses access to the credentials the call sent (\(sent)): \(Shortened.text(response.body))",
                    reason: .forbidden, detail: detail)
        }

        if let parsed, parsed["status"] == "error" {
            // Folded, cleaned and shortened as any text a server wrote: they go into messages and logs.
            let errorType = parsed["errorType"]?.stringValue.map { Shortened.text($0) } ?? "unknown"
            let message = parsed["error"]?.stringValue.map { Shortened.text($0) } ?? "no error message"
            detail["errorType"] = .string(errorType)
            detail["error"] = .string(message)
            throw FailedActivity(
                "\(prefix): HTTP \(response.status): \(errorType): \(message)", reason: .prometheusError,
                detail: detail)
        }
        guard response.isSuccess else {
            detail["body"] = .string(Shortened.text(response.body))
            throw FailedActivity(
                "\(prefix): HTTP \(response.status): \(Shortened.text(response.body))", reason: .httpStatus,
                detail: detail)
        }
        guard let parsed else {
            let contentType = response.header("Content-Type") ?? "no content type"
            detail["body"] = .string(Shortened.text(response.body))
            throw FailedActivity(
                "\(prefix): the answer is not JSON (HTTP \(response.status), \(contentType)): \(Shortened.text(response.body))",
                reason: .badResponse, detail: detail)
        }
        guard parsed["status"] == "success" else {
            detail["body"] = .string(Shortened.text(response.body))
            throw FailedActivity(
                "\(prefix): the answer is not a Prometheus API response (no \"status\": \"success\"): \(Shortened.text(response.body))",
                reason: .badResponse, detail: detail)
        }
        return parsed
    }

    /// What credentials a call sent, in words that name no secret.
    private static func describe(_ credentials: HTTPCredentials) -> String {
        var parts: [String] = []
        switch credentials.authentication {
        case nil: break
        case .bearer?: parts.append("a bearer token")
        case .basic?: parts.append("a user name and password")
        }
        if !credentials.headers.isEmpty {
            parts.append(
                "header\(credentials.headers.count == 1 ? "" : "s") "
                    + credentials.headers.map(\.name).joined(separator: ", "))
        }
        return parts.isEmpty ? "no credentials" : parts.joined(separator: " and ")
    }
}

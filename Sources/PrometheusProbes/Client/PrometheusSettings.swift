import ActivityHTTP
import ChaosToolkit
import HTTPClient
import JSON

/// Where a call's Prometheus is, how the plugin reaches it and how long it waits, read from the call's
/// configuration and secrets (`protocol.md`, "Reaching Prometheus", has every key with examples).
///
/// - `prometheus_base_url`: the server's URL, default `http://localhost:9090` (or the plugin's
///   `--prometheus-base-url`); a path prefix (`http://host/prometheus`) and a trailing slash both work.
/// - `prometheus_http_timeout`: the plugin's own deadline for the whole exchange, retries included, in seconds
///   or as a duration string (`"45s"`), default 30. It is never shorter than a query's own `timeout` plus 5
///   seconds, so Prometheus's answer to a slow query arrives before the plugin gives up.
/// - `prometheus_http_attempts`: attempts at most when the failure is transient, default 3.
/// - `prometheus_verify_tls`, `prometheus_ca_cert`, `prometheus_client_cert`, `prometheus_client_key`: TLS.
/// - `prometheus_bearer_token`, `prometheus_username`, `prometheus_password`, `prometheus_headers`: who the
///   call speaks for.
package struct PrometheusSettings: Sendable {
    /// The base URL without trailing slashes.
    package let baseURL: String
    /// The deadline for one exchange, before a query's `timeout` is taken into account.
    package let httpTimeout: Duration
    /// Attempts at most for a transient failure.
    package let maximumAttempts: Int
    /// Certificate verification and the client certificate.
    package let tls: TLSOptions
    /// The `Authorization` and identifying headers.
    package let credentials: HTTPCredentials

    /// The built-in base URL, as in the Python original.
    package static let builtInBaseURL = "http://localhost:9090"
    /// The built-in HTTP deadline.
    package static let defaultHTTPTimeout: Duration = .seconds(30)
    /// The built-in number of attempts: one try and two retries.
    package static let defaultAttempts = 3
    /// The most attempts a configuration may ask for.
    package static let mostAttempts = 10

    /// The settings of `call`, falling back to `defaultBaseURL`.
    package init(for call: ActivityCall, defaultBaseURL: String) throws(FailedActivity) {
        try self.init(configuration: call.configuration, secrets: call.secrets, defaultBaseURL: defaultBaseURL)
    }

    /// Reads the settings from `configuration` and `secrets`, falling back to `defaultBaseURL`.
    package init(configuration: ActivityMapping, secrets: ActivityMapping, defaultBaseURL: String)
        throws(FailedActivity)
    {
        let read = SettingsReader(configuration: configuration, secrets: secrets)
        let base = try read.string("prometheus_base_url", in: .configurationOnly, example: "\"http://localhost:9090\"")
        let url = base ?? defaultBaseURL
        baseURL = try Self.validatedBaseURL(
            url, source: "configuration 'prometheus_base_url'", shown: configuration.shown("prometheus_base_url", url))

        switch try read.value("prometheus_http_timeout", in: .configurationOnly) {
        case nil: httpTimeout = Self.defaultHTTPTimeout
        case (let value, _)?:
            guard let duration = PrometheusDuration(value), duration.seconds <= 86_400 * 365 else {
                throw FailedActivity(
                    "configuration 'prometheus_http_timeout' must be a positive number of seconds or a duration such as \"30s\", at most a year, not \(configuration.shown("prometheus_http_timeout", value))",
                    reason: .invalidConfiguration)
            }
            httpTimeout = .milliseconds(Int64((duration.seconds * 1000).rounded(.up)))
        }

        switch try read.value("prometheus_http_attempts", in: .configurationOnly) {
        case nil: maximumAttempts = Self.defaultAttempts
        case (let value, _)?:
            guard let attempts = value.numberValue?.intValue, (1...Self.mostAttempts).contains(attempts) else {
                throw FailedActivity(
                    "configuration 'prometheus_http_attempts' must be a whole number from 1 (no retry) to \(Self.mostAttempts), not \(configuration.shown("prometheus_http_attempts", value))",
                    reason: .invalidConfiguration)
            }
            maximumAttempts = attempts
        }

        tls = try Self.tlsOptions(read)
        credentials = try Self.credentials(read)
    }

    /// The deadline for a query whose server-side timeout is `queryTimeout`.
    package func deadline(queryTimeout: PrometheusDuration?) -> Duration {
        guard let queryTimeout else { return httpTimeout }
        let needed = Duration.milliseconds(Int64(min(queryTimeout.seconds, 86_400 * 365) * 1000)) + .seconds(5)
        return max(httpTimeout, needed)
    }

    /// `text` as a base URL without trailing slashes, or a failure saying that `source` must be an http(s) URL,
    /// showing `text` as `shown` (quoted, unless it came from the environment).
    package static func validatedBaseURL(_ text: String, source: String, shown: String? = nil) throws(FailedActivity)
        -> String
    {
        switch BaseURL.parse(text) {
        case .success(let base):
            return base
        case .failure(.notAnHTTPURL):
            throw FailedActivity(
                "\(source) must be an http or https URL without a query, such as \"http://localhost:9090\", not \(shown ?? "'\(text)'")",
                reason: .invalidConfiguration)
        case .failure(.holdsCredentials):
            // Not echoed: the URL holds a password.
            throw FailedActivity(
                "\(source) must not hold a user name or password, which would show in logs and messages: give them as secrets 'prometheus_username' and 'prometheus_password'",
                reason: .invalidConfiguration)
        }
    }

    private static func tlsOptions(_ read: SettingsReader) throws(FailedActivity) -> TLSOptions {
        var verify = true
        if let (value, source) = try read.value("prometheus_verify_tls", in: .either) {
            guard case .bool(let flag) = value else {
                throw read.failure(
                    "'prometheus_verify_tls' must be true or false, not \(value.typeDescription)", source)
            }
            verify = flag
        }
        let authorities = try read.pem("prometheus_ca_cert", in: .either)
        let certificate = try read.pem("prometheus_client_cert", in: .either)
        let key = try read.pem("prometheus_client_key", in: .secretsOnly)
        if (certificate == nil) != (key == nil) {
            throw FailedActivity(
                certificate == nil
                    ? "secret 'prometheus_client_key' needs its certificate, 'prometheus_client_cert'"
                    : "'prometheus_client_cert' needs its private key, secret 'prometheus_client_key'",
                reason: .invalidSecrets)
        }
        return TLSOptions(
            verifyPeer: verify, trustedCertificates: authorities, clientCertificate: certificate, clientKey: key)
    }

    private static func credentials(_ read: SettingsReader) throws(FailedActivity) -> HTTPCredentials {
        let token = try read.credential("prometheus_bearer_token", in: .secretsOnly, example: "\"eyJhbGciOi...\"")
        let username = try read.credential("prometheus_username", in: .either, example: "\"chaos\"")
        let password = try read.credential("prometheus_password", in: .secretsOnly, example: "\"...\"")
        var authentication: HTTPAuthentication?
        switch (token, username, password) {
        case (nil, nil, nil): authentication = nil
        case (let token?, nil, nil): authentication = .bearer(token: token)
        case (nil, let username?, let password?): authentication = .basic(username: username, password: password)
        case (nil, _?, nil):
            throw FailedActivity(
                "'prometheus_username' needs a password: secret 'prometheus_password'", reason: .invalidSecrets)
        case (nil, nil, _?):
            throw FailedActivity(
                "secret 'prometheus_password' needs a user name: 'prometheus_username'", reason: .invalidSecrets)
        case (_?, _, _):
            throw FailedActivity(
                "secrets give both a bearer token and a user name or password: give one way to authenticate",
                reason: .invalidSecrets)
        }

        var headers: [HTTPHeader] = []
        // Configuration first, then secrets, which win for a name both give.
        for source in [SettingsReader.Source.configuration, .secrets] {
            guard
                let value = try (source == .configuration ? read.configuration : read.secrets).value(
                    "prometheus_headers")
            else { continue }
            guard let members = value.objectValue else {
                throw read.failure(
                    "'prometheus_headers' must be a mapping of header names to strings, such as {\"X-Scope-OrgID\": \"tenant-a\"}, not \(value.typeDescription)",
                    source)
            }
            for (name, value) in members {
                guard HTTPHeaderSyntax.isValidName(name) else {
                    throw read.failure(
                        "'prometheus_headers' has a header name that is not a valid HTTP token: '\(name)'", source)
                }
                guard let text = value.stringValue, HTTPHeaderSyntax.isValidValue(text) else {
                    throw read.failure("'prometheus_headers' header '\(name)' must be a string on one line", source)
                }
                headers.removeAll { $0.name.lowercased() == name.lowercased() }
                headers.append(HTTPHeader(name: name, value: text))
            }
        }
        if authentication != nil, headers.contains(where: { $0.name.lowercased() == "authorization" }) {
            throw FailedActivity(
                "'prometheus_headers' sets Authorization while secrets also give a bearer token or a password: give one way to authenticate",
                reason: .invalidSecrets)
        }
        return HTTPCredentials(authentication: authentication, headers: headers)
    }
}

/// Reads settings keys from a call's configuration and secrets, with messages that name where a key was found
/// and never quote a secret's value.
struct SettingsReader {
    enum Source: Equatable {
        case configuration
        case secrets
    }

    /// Where a key may be given.
    enum Place {
        case configurationOnly
        /// A secret: refused in the configuration, which journals and logs show.
        case secretsOnly
        /// Either; the secrets win when both give it.
        case either
    }

    let configuration: ActivityMapping
    let secrets: ActivityMapping

    func value(_ key: String, in place: Place) throws(FailedActivity) -> (JSONValue, Source)? {
        switch place {
        case .configurationOnly:
            return try configuration.value(key).map { ($0, .configuration) }
        case .secretsOnly:
            if configuration.values[key] != nil {
                throw FailedActivity(
                    "configuration '\(key)' holds a secret, which the configuration would show in journals and logs: give it in the experiment's secrets instead",
                    reason: .invalidConfiguration)
            }
            return try secrets.value(key).map { ($0, .secrets) }
        case .either:
            if let value = try secrets.value(key) { return (value, .secrets) }
            return try configuration.value(key).map { ($0, .configuration) }
        }
    }

    /// A non-empty string, or `nil` when not given.
    func string(_ key: String, in place: Place, example: String) throws(FailedActivity) -> String? {
        try text(key, in: place, example: example)?.text
    }

    /// A credential: a non-empty string that can go into a header, or `nil` when not given. A line break or any
    /// other control character is refused, never trimmed, with a message that names the key and not the value: a
    /// token read from a file with its trailing newline would otherwise end the header block early, or add headers.
    func credential(_ key: String, in place: Place, example: String) throws(FailedActivity) -> String? {
        guard let (text, source) = try text(key, in: place, example: example) else { return nil }
        guard HTTPHeaderSyntax.isValidValue(text) else {
            let hint = text.hasSuffix("\n") ? " (it ends with a line break: was it read from a file?)" : ""
            throw failure("'\(key)' must be one line without control characters\(hint)", source)
        }
        return text
    }

    /// PEM text given as it is, or read here from the regular file a path names (see ``PEMFile``).
    func pem(_ key: String, in place: Place) throws(FailedActivity) -> PEM? {
        let example = "\"/etc/ssl/ca.pem\" or \"-----BEGIN CERTIFICATE-----...\""
        guard let (text, source) = try text(key, in: place, example: example) else { return nil }
        if text.contains("-----BEGIN ") { return PEM(text) }
        switch PEMFile.read(path: text) {
        case .success(let contents): return PEM(contents)
        case .failure(let problem):
            let path = (source == .secrets ? secrets : configuration).shown(key, text)
            throw failure(
                "'\(key)' names \(PEMFile.describe(problem)): \(path) (give a path or the PEM text itself)", source)
        }
    }

    private func text(_ key: String, in place: Place, example: String) throws(FailedActivity) -> (
        text: String, source: Source
    )? {
        guard let (value, source) = try value(key, in: place) else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            throw failure(
                "'\(key)' must be a non-empty string such as \(example), not \(value.typeDescription)", source)
        }
        return (text, source)
    }

    func failure(_ message: String, _ source: Source) -> FailedActivity {
        source == .secrets
            ? FailedActivity("secret " + message, reason: .invalidSecrets)
            : FailedActivity("configuration " + message, reason: .invalidConfiguration)
    }
}

/// One HTTP exchange to perform: where, how, and how long it may take.
package struct HTTPRequest: Sendable {
    /// The largest body accepted unless a request says otherwise: 256 MiB.
    package static let defaultMaximumResponseSize = 256 << 20

    /// The request method and, for `POST` and `PUT`, its body.
    package enum Method: Sendable, Equatable {
        case get
        case post(body: [UInt8], contentType: String)
        case put(body: [UInt8], contentType: String)
    }

    /// The absolute `http` or `https` URL, query string included, already percent-encoded.
    package var url: String
    /// The method, `GET` by default.
    ///
    /// Stored as plain fields, not as the enum: Swift keeps a payload enum's case in spare bits of the body's
    /// pointer, where the leak sanitizer cannot recognise it, and it reported live bodies as leaked.
    package var method: Method {
        get {
            switch verb {
            case .get: .get
            case .post: .post(body: body, contentType: contentType)
            case .put: .put(body: body, contentType: contentType)
            }
        }
        set {
            switch newValue {
            case .get: (verb, body, contentType) = (.get, [], "")
            case .post(let body, let contentType): (verb, self.body, self.contentType) = (.post, body, contentType)
            case .put(let body, let contentType): (verb, self.body, self.contentType) = (.put, body, contentType)
            }
        }
    }

    private enum Verb: Sendable {
        case get, post, put
    }

    private var verb = Verb.get
    private var body: [UInt8] = []
    private var contentType = ""
    /// Extra request headers, sent in order.
    package var headers: [HTTPHeader]
    /// The deadline for the whole exchange, from the first connection attempt to the last byte of the body.
    package var timeout: Duration
    /// The longest wait for a connection to be established (never longer than ``timeout``).
    package var connectTimeout: Duration
    /// The largest response body accepted; a longer one fails with ``HTTPError/Kind/responseTooLarge``.
    package var maximumResponseSize: Int
    /// How the server's certificate is checked on `https` URLs, and the client certificate, if any.
    package var tls: TLSOptions
    /// Who the request speaks for: sent only to the origin of ``url``, never logged.
    package var credentials: HTTPCredentials

    /// Whether the request proves who it speaks for, with ``credentials`` or a client certificate: then it
    /// follows redirects within its own origin only, since another server must not be handed either.
    package var carriesCredentials: Bool { !credentials.isEmpty || tls.clientCertificate != nil }
    /// How transient failures are tried again within ``timeout``; one attempt by default.
    package var retry: RetryPolicy

    /// A request for `url` with the default limits: 30 s in all, 10 s to connect, 256 MiB of body, one attempt.
    package init(
        url: String,
        method: Method = .get,
        headers: [HTTPHeader] = [],
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        maximumResponseSize: Int = HTTPRequest.defaultMaximumResponseSize,
        tls: TLSOptions = TLSOptions(),
        credentials: HTTPCredentials = HTTPCredentials(),
        retry: RetryPolicy = .once
    ) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseSize = maximumResponseSize
        self.tls = tls
        self.credentials = credentials
        self.retry = retry
        self.method = method
    }
}

/// One header line of a request or a response.
package struct HTTPHeader: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension HTTPRequest {
    /// The method and URL, as log lines show the request.
    var line: String {
        switch method {
        case .get: "GET \(url)"
        case .post(let body, _): "POST \(url) (\(body.count) bytes)"
        case .put(let body, _): "PUT \(url) (\(body.count) bytes)"
        }
    }
}

/// A complete HTTP response: the last one, when redirects were followed.
package struct HTTPResponse: Sendable {
    /// The status code, such as 200 or 503.
    package let status: Int
    /// The response headers, in the order received.
    package let headers: [HTTPHeader]
    /// The body, exactly as received (settable, so a caller can move it out without a copy).
    package var body: [UInt8]
    /// How many attempts the exchange took (see ``RetryPolicy``); 1 when the first answer was kept.
    package internal(set) var attempts: Int = 1
    /// Where a redirect that was not followed points (a `Location` resolved against the request's URL).
    var redirectURL: String?
    /// The room the body holds in the client's ``ResponseMemory``, given back when the last holder lets go: keep
    /// it with the bytes when moving them out of the response.
    package internal(set) var reservation: BodyReservation?

    package init(status: Int, headers: [HTTPHeader], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name`, compared without regard to case.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Whether the status is a success (2xx).
    package var isSuccess: Bool { (200..<300).contains(status) }
}

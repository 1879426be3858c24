import CCurl

/// One libcurl easy handle reused for every request, so its connection to the server stays alive: the fastest
/// a client on this machine can fetch from Prometheus, the "limit" the plugin is measured against.
///
/// It sends what the plugin sends (a `GET` with `Accept: application/json`) and keeps the body in memory, as the
/// plugin must. Not thread-safe: one thread drives it.
final class KeptAliveFetcher {
    private let handle: UnsafeMutableRawPointer
    private let sink = BodySink()
    private var headers: UnsafeMutablePointer<curl_slist>?

    /// The last response's body.
    var body: [UInt8] { sink.bytes }

    init() throws {
        guard Self.globalInit, let handle = curl_easy_init() else {
            throw BenchmarkError("libcurl could not be initialised")
        }
        self.handle = handle
        headers = curl_slist_append(nil, "Accept: application/json")
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 30_000)
        _ = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
        _ = ccurl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, appendToSink)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
    }

    /// Fetches `url` and returns the size of the body; throws unless the server answered 200.
    @discardableResult
    func get(_ url: String) throws -> Int {
        sink.bytes.removeAll(keepingCapacity: true)
        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, url)
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw BenchmarkError("libcurl: \(String(cString: curl_easy_strerror(code))) for \(url)")
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard status == 200 else {
            throw BenchmarkError(
                "HTTP \(status) for \(url): \(String(decoding: sink.bytes.prefix(300), as: UTF8.self))")
        }
        return sink.bytes.count
    }

    /// The version of the libcurl both this fetcher and the plugin use.
    static var libraryVersion: String { String(cString: curl_version()) }

    /// `curl_global_init` runs once, before any handle exists.
    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// Where the fetcher's write callback puts the body.
private final class BodySink {
    var bytes: [UInt8] = []
}

private let appendToSink: ccurl_data_callback = { buffer, size, count, context in
    let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

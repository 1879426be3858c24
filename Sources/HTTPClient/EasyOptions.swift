import CCurl

/// Sets the options of one libcurl easy handle, checking each: the first option libcurl refuses (one this libcurl
/// was built without, a value out of range, no memory) is kept, and the transfer fails with it instead of
/// running with settings it was not given.
struct EasyOptions {
    private let easy: UnsafeMutableRawPointer
    /// The first option refused, and libcurl's code for why.
    private(set) var refused: (option: CURLoption, code: CURLcode)?

    init(_ easy: UnsafeMutableRawPointer) {
        self.easy = easy
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        check(option, ccurl_easy_setopt_long(easy, option, value))
    }

    mutating func set(_ option: CURLoption, offset value: curl_off_t) {
        check(option, ccurl_easy_setopt_off(easy, option, value))
    }

    mutating func set(_ option: CURLoption, _ value: String) {
        check(option, ccurl_easy_setopt_string(easy, option, value))
    }

    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        check(option, ccurl_easy_setopt_pointer(easy, option, value))
    }

    mutating func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>) {
        check(option, ccurl_easy_setopt_slist(easy, option, value))
    }

    mutating func set(_ option: CURLoption, callback value: ccurl_data_callback) {
        check(option, ccurl_easy_setopt_data_callback(easy, option, value))
    }

    /// A blob option (PEM text); libcurl copies the bytes.
    mutating func set(_ option: CURLoption, blob value: String) {
        var bytes = Array(value.utf8)
        check(option, ccurl_easy_setopt_blob(easy, option, &bytes, bytes.count))
    }

    mutating func share(_ share: UnsafeMutableRawPointer?) {
        check(CURLOPT_SHARE, ccurl_easy_setopt_share(easy, share))
    }

    private mutating func check(_ option: CURLoption, _ code: CURLcode) {
        if code != CURLE_OK, refused == nil { refused = (option, code) }
    }

    /// The failure of a transfer whose options could not all be set.
    var failure: HTTPError? {
        refused.map { option, code in
            let name = curl_easy_option_by_id(option).flatMap { $0.pointee.name.map { String(cString: $0) } }
            return HTTPError(
                kind: .optionRefused, code: code,
                message:
                    "\(HTTPClient.libcurlVersion.prefix { $0 != " " }) refused option CURLOPT_\(name ?? "\(option.rawValue)"): "
                    + String(cString: curl_easy_strerror(code)))
        }
    }
}

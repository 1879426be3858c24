import HTTPClient
import Testing

/// The URL reading that replaced Foundation's `URLComponents`: as strict, and the same parts.
@Suite("Reading an http(s) URL")
struct HTTPURLTests {
    @Test func splitsAURLIntoItsParts() throws {
        let url = try #require(HTTPURL("HTTPS://chaos:secret@Prometheus.example:9443/a/b?x=1#top"))
        #expect(url.scheme == "https")
        #expect(url.userInfo == "chaos:secret")
        #expect(url.host == "Prometheus.example")
        #expect(url.port == 9443)
        #expect(url.path == "/a/b")
        #expect(url.query == "x=1")
        #expect(url.fragment == "top")
    }

    @Test func readsAnIPv6HostInBracketsAndItsPort() throws {
        let url = try #require(HTTPURL("http://[::1]:9090"))
        #expect(url.host == "[::1]")
        #expect(url.port == 9090)
        #expect(url.path == "")
    }

    @Test(arguments: [
        "localhost:9090", "ftp://host", "http:/host", "http://", "http://:9090", "http://host:port",
        "http://host:99999", "http://local host", "http://host/a b", "http://host/%zz", "http://hôst",
        "http://[::1", "http://host\"", "http://host/<x>",
    ])
    func refusesWhatIsNotAnAbsoluteHTTPURL(_ text: String) {
        #expect(HTTPURL(text) == nil)
    }

    @Test func takesAnEmptyPortAsNone() throws {
        #expect(try #require(HTTPURL("http://host:/")).port == nil)
    }
}

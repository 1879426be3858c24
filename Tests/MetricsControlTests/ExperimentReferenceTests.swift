import ChaosToolkit
import Foundation
import JSON
import Testing

@testable import MetricsControl

@Suite("Hashing experiments as chaostoolkit-lib does")
struct ExperimentReferenceTests {
    /// Digests from Python's `hashlib.blake2b(message, digest_size=12)` and the first 16 bytes of the 64-byte one.
    @Test(arguments: [
        ([UInt8](), "b8e1dda3ac0aa3820ad2990b", "786a02f742015903c6c6fd852552d272"),
        (Array("abc".utf8), "48b4f1f9042a2d5033b382b5", "ba80a53f981c4d0d6a2797b69f12f6e9"),
        (Array((0..<768).map { UInt8($0 % 256) }), "187d35a57da6c3b6082d05f0", "323e97a7a859ee63c9013debb0ca9958"),
    ])
    func blake2bMatchesPython(_ message: [UInt8], _ twelve: String, _ sixtyFourPrefix: String) {
        #expect(BLAKE2b.hash(message, length: 12).hexadecimal == twelve)
        #expect(String(BLAKE2b.hash(message, length: 64).hexadecimal.prefix(32)) == sixtyFourPrefix)
    }

    /// An experiment with every trap of Python's `json.dumps`: key order, non-ASCII, an astral character,
    /// control characters, floats in both notations, a big integer and a negative zero.
    private let experiment = try! JSONValue(
        parsing: #"""
            {"title": "Caf\u00e9 \ud83d\ude00 test", "version": "1.0.0", "steady-state-hypothesis": {"title": "ok", "probes": [{"type": "probe", "tolerance": [0, 0.01], "x": 1e16, "y": 1e15, "z": 1e-05, "w": 0.0001, "v": 2.5, "n": -0, "big": 123456789012345678901234567890}]}, "b": true, "c": null, "tab\t": "a/b\"\\\n\u0001\u007f"}
            """#)

    @Test func writesTheCanonicalJSONPythonWrites() {
        var text: [UInt8] = []
        ExperimentReference.writePythonJSON(experiment, to: &text)
        #expect(
            String(decoding: text, as: UTF8.self) == #"""
                {"b": true, "c": null, "steady-state-hypothesis": {"probes": [{"big": 123456789012345678901234567890, "n": 0, "tolerance": [0, 0.01], "type": "probe", "v": 2.5, "w": 0.0001, "x": 1e+16, "y": 1000000000000000.0, "z": 1e-05}], "title": "ok"}, "tab\t": "a/b\"\\\n\u0001\u007f", "title": "Caf\u00e9 \ud83d\ude00 test", "version": "1.0.0"}
                """#)
    }

    @Test func hashesTheExperimentAsExperimentHashDoes() {
        #expect(ExperimentReference.of(experiment) == "246324c7a369907b0c321da8")
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.1, "0.1"), (100.0, "100.0"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (1e-5, "1e-05"), (0.0001, "0.0001"), (-2.5, "-2.5"), (1.5e-10, "1.5e-10"), (123456.789, "123456.789"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"), (0.0, "0.0"),
    ])
    func writesFloatsAsPythonsRepr(_ value: Double, _ expected: String) {
        #expect(PythonNumber.floatRepr(value) == expected)
    }
}

@Suite("Pushing to a Pushgateway")
struct PushgatewayPathTests {
    @Test func escapesTheGroupingKeyAsPrometheusClientDoes() throws {
        let gateway = try Pushgateway(
            url: "localhost:9091/", job: "chaos toolkit",
            groupingKey: [("zone", "eu/west"), ("empty", ""), ("chaostoolkit_experiment_ref", "abc")])
        #expect(gateway.url == "http://localhost:9091")
        #expect(
            gateway.groupURL
                == "http://localhost:9091/metrics/job/chaos+toolkit/chaostoolkit_experiment_ref/abc/empty@base64/=/zone@base64/ZXUvd2VzdA=="
        )
    }

    @Test func writesOnlyTouchedMetricsWithSortedLabels() {
        var metrics = RunMetrics(libraryVersion: "1.44.0", traceID: "t", experimentReference: "r")
        metrics.started()
        let before = metrics.exposition
        #expect(
            before.contains(
                #"chaostoolkit_inprogress_experiment{chaostoolkit_experiment_ref="r",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="t",source="chaostoolkit"} 1.0"#
            ))
        #expect(!before.contains("chaostoolkit_experiment_status{"))
        #expect(before.contains("# TYPE chaostoolkit_experiment_duration_dist histogram"))
        metrics.finished(status: "completed", deviated: false, duration: 0.3, at: .init(secondsSince1970: 1))
        let after = metrics.exposition
        #expect(
            after.contains(
                #"chaostoolkit_experiment_status{chaostoolkit_experiment_ref="r",chaostoolkit_experiment_status="completed",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="t",source="chaostoolkit"} 1.0"#
            ))
        #expect(
            after.contains(
                #"chaostoolkit_experiment_status="failed",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="t",source="chaostoolkit"} 0.0"#
            ))
        #expect(!after.contains("chaostoolkit_deviated_experiment_total{"))
        #expect(after.contains(#"le="0.25",source="chaostoolkit"} 0.0"#))
        #expect(after.contains(#"le="0.5",source="chaostoolkit"} 1.0"#))
        #expect(after.contains(#"le="+Inf",source="chaostoolkit"} 1.0"#))
        #expect(
            after.contains(
                #"chaostoolkit_inprogress_experiment{chaostoolkit_experiment_ref="r",chaostoolkit_lib_version="1.44.0",chaostoolkit_run_trace_id="t",source="chaostoolkit"} 0.0"#
            ))
    }

    @Test func escapesQuotesEvenBeforeACombiningMark() {
        #expect(ExpositionText.escape("a\"\u{301}b\\\u{301}\n") == "a\\\"\u{301}b\\\\\u{301}\\n")
    }

    /// The encoder that replaced Foundation's, against it: every length of padding, every byte.
    @Test func encodesBase64URLAsPythonsUrlsafeB64encodeDoes() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(($0 * 97 + length * 31) % 256) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(Pushgateway.base64URL(bytes) == expected, "\(length) bytes")
        }
    }

    @Test func base64EncodesAValueWithASlashEvenBeforeACombiningMark() throws {
        let gateway = try Pushgateway(url: "http://gw", job: "j", groupingKey: [("team", "a/\u{301}b")])
        #expect(gateway.groupURL.contains("/team@base64/"))
    }

    /// Issue 12, finding 9: a grouping-key name is a path segment; `a/../../../../admin?x=` sent `PUT /admin?x=/v/b`
    /// onto the gateway's admin API.
    @Test(arguments: ["a/../../../../admin?x=", "", "1zone", "zone-name", "zöne"])
    func refusesAGroupingKeyNameThatIsNotALabelName(_ name: String) {
        let failure = #expect(throws: FailedActivity.self) {
            try Pushgateway(url: "http://gw", job: "j", groupingKey: [(name, "v")])
        }
        #expect(failure?.reason == .invalidArgument)
        #expect(
            failure?.message
                == "grouping_key names must be Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*), not '\(name)'")
    }

    /// Issue 12, finding 9: a password in the gateway's URL showed in the failure message, the log and discovery.
    @Test(arguments: ["http://user:s3cret@gw:9091", "ftp://gw", "http://gw/?x=1"])
    func refusesAGatewayURLThatIsNotAPlainHTTPURLWithoutQuotingAPassword(_ url: String) {
        let failure = #expect(throws: FailedActivity.self) { try Pushgateway(url: url, job: "j", groupingKey: []) }
        #expect(failure?.reason == .invalidArgument)
        #expect(failure?.message.contains("s3cret") == false)
    }

    @Test(arguments: [
        (1_717_000_000.123, "1.717000000123e+09"), (1_234_567.0, "1.234567e+06"), (123_456.0, "123456.0"),
        (12.5, "12.5"), (0.005, "0.005"), (Double.infinity, "+Inf"),
    ])
    func writesValuesAsFloatToGoString(_ value: Double, _ expected: String) {
        #expect(ExpositionText.number(value) == expected)
    }

    @Test func writesCreatedFamiliesOnlyWithTheirSamples() {
        var metrics = RunMetrics(libraryVersion: "v", traceID: "t", experimentReference: "r")
        #expect(!metrics.exposition.contains("_created"))
        metrics.finished(status: "failed", deviated: true, duration: 1, at: .init(secondsSince1970: 1_717_000_000))
        #expect(
            metrics.exposition.contains(
                #"chaostoolkit_deviated_experiment_created{chaostoolkit_experiment_ref="r",chaostoolkit_lib_version="v",chaostoolkit_run_trace_id="t",source="chaostoolkit"} 1.717e+09"#
            ))
        #expect(metrics.exposition.contains("# TYPE chaostoolkit_experiment_duration_dist_created gauge"))
    }

    @Test func readsDeviatedAsPythonsTruthiness() {
        #expect(MetricsControl.isTruthy(true) && MetricsControl.isTruthy(1) && MetricsControl.isTruthy("yes"))
        #expect(!MetricsControl.isTruthy(false) && !MetricsControl.isTruthy(0) && !MetricsControl.isTruthy(nil))
        #expect(!MetricsControl.isTruthy("") && !MetricsControl.isTruthy([]) && !MetricsControl.isTruthy([:]))
    }

    @Test func makesA32CharacterHexadecimalTraceID() {
        let id = MetricsControl.randomTraceID()
        #expect(id.count == 32)
        #expect(id.allSatisfy { $0.isHexDigit })
        #expect(id != MetricsControl.randomTraceID())
    }
}

import Foundation
import JSON
import TestSupport
import Testing

/// `chaostoolkit-prometheus call PROBE ...` and `discover`: one probe a process, for a Chaos Toolkit `process`
/// provider.
@Suite("One-shot mode")
struct OneShotTests {
    /// What one run printed and how it exited.
    private struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let finished = try await Subprocess.run(
            PluginProcess.executable.path, arguments: arguments, environment: environment, timeout: .seconds(60))
        let run = Run(status: finished.status, output: finished.outputText, error: finished.errorText)
        #expect(!run.output.contains(Canary.secret) && !run.error.contains(Canary.secret))
        return run
    }

    private func prometheus() async throws -> String { try await PrometheusServer.shared().baseURL }

    @Test func printsTheResultAsOneJSONLineAndExitsZero() async throws {
        let run = try await run([
            "call", "query_value", "--prometheus-base-url", try await prometheus(), "--arguments",
            #"{"query": "vector(0.25)"}"#,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output == "0.25\n")
    }

    /// Issue 12, finding 5: redaction covers the one-shot output, a success document echoing a secret included.
    @Test func aSecretEchoedInTheResultIsPrintedAsStars() async throws {
        let stub = try StubHTTPServer { request in
            .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"seen":"\#(request.headers["authorization"] ?? "")"},"value":[1795612549,"1"]}]}}"#
            )
        }
        let run = try await run([
            "call", "query", "--prometheus-base-url", stub.baseURL, "--arg", "query=up",
            "--secrets", #"{"prometheus_bearer_token": "one-shot-t0ken"}"#,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains(#""seen":"Bearer ***""#), "\(run.output)")
        #expect(!run.output.contains("one-shot-t0ken"))
    }

    @Test func takesStringArgumentsWithoutJSONQuoting() async throws {
        let run = try await run([
            "call", "chaosprometheus.probes.check_threshold", "--prometheus-base-url", try await prometheus(),
            "--arg", #"query=mean_test{series="a"}"#, "--arguments", #"{"operator": "==", "threshold": 2}"#,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output == "true\n")
    }

    @Test func readsJSONFromAFileNamedWithAnAt() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString).json")
        try #"{"prometheus_bearer_token": "\#(Canary.secret)"}"#.write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let stub = try StubHTTPServer { request in
            let authorized = request.headers["authorization"] == "Bearer " + Canary.secret ? "1" : "0"
            return .init(
                status: 200,
                body: #"{"status":"success","data":{"resultType":"scalar","result":[1,""# + authorized + #""]}}"#)
        }
        let run = try await run([
            "call", "query_value", "--prometheus-base-url", stub.baseURL, "--arg", "query=x", "--secrets",
            "@" + file.path,
        ])
        #expect(run.output == "1\n", "\(run.error)")
    }

    @Test func aFailedProbeExitsOneWithItsMessageOnStandardError() async throws {
        let run = try await run([
            "call", "query_value", "--arg", "query=no_such_metric_anywhere", "--prometheus-base-url",
            try await prometheus(),
        ])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(
            run.error
                == "chaostoolkit-prometheus: query_value failed (no_data): the query 'no_such_metric_anywhere' returned no series, so there is nothing to judge: give 'on_empty' to use a number instead\n"
        )
    }

    @Test(arguments: [
        (["call", "nope"], "no probe named 'nope'"),
        (["call"], "call needs the name of a probe"),
        (["call", "query", "--arguments", "[1]"], "--arguments must be a JSON object"),
        (
            ["call", "query", "--arguments", #"{"q": 1}"#],
            "argument 'q' is not part of the function signature in activity 'query'"
        ),
        (["call", "query"], "required argument 'query' is missing from activity 'query'"),
        (["call", "query", "--arg", "query"], "--arg takes NAME=TEXT"),
        (["call", "before_experiment_control"], "is a control"),
        (["--arguments", "{}"], "--arguments belongs to 'call PROBE'"),
        (["call", "query", "--secrets", "@/nonexistent/secrets.json"], "--secrets names no readable file"),
        (["call", "query", "--configuration", "@/dev/zero"], "--configuration names a file larger than 16 MiB"),
    ])
    func aBadCommandLineExits64Saying(_ arguments: [String], _ expected: String) async throws {
        let run = try await run(arguments)
        #expect(run.status == 64)
        #expect(run.output.isEmpty)
        #expect(run.error.contains(expected), "\(run.error)")
    }

    @Test func neverEchoesJSONThatCouldHoldSecrets() async throws {
        let run = try await run([
            "call", "query", "--arg", "query=up", "--secrets", "{\"prometheus_password\": \"\(Canary.secret)\"",
        ])
        #expect(run.status == 64)
        #expect(run.error.contains("--secrets must be a JSON object"))
    }

    @Test func discoverPrintsTheCatalogue() async throws {
        let run = try await run(["discover"])
        #expect(run.status == 0)
        let document = try JSONValue(parsing: Array(run.output.utf8))
        #expect(document["extension"]?["name"] == "chaostoolkit-prometheus")
    }

    @Test func resolvesEnvironmentReferencesAndTakesTheConfiguration() async throws {
        let stub = try StubHTTPServer { request in
            let authorized = request.headers["authorization"] == "Bearer " + Canary.secret ? "1" : "0"
            return .init(
                status: 200,
                body: #"{"status":"success","data":{"resultType":"scalar","result":[1,""# + authorized + #""]}}"#)
        }
        let run = try await run(
            [
                "call", "query_value", "--arguments", #"{"query": "x"}"#,
                "--configuration", #"{"prometheus_base_url": "\#(stub.baseURL)"}"#,
                "--secrets", #"{"prometheus_bearer_token": {"type": "env", "key": "ONE_SHOT_TOKEN"}}"#,
            ],
            environment: ["ONE_SHOT_TOKEN": Canary.secret])
        #expect(run.output == "1\n", "\(run.error)")
    }

    @Test func anArgOverridesTheSameNameInArguments() async throws {
        let run = try await run([
            "call", "query_value", "--prometheus-base-url", try await prometheus(),
            "--arguments", #"{"query": "vector(1)"}"#, "--arg", "query=vector(2)",
        ])
        #expect(run.output == "2\n", "\(run.error)")
    }

}

@Suite("Discovery of the probes that judge")
struct JudgingDiscoveryTests {
    /// Every new probe with its arguments' types and defaults, as `discover` gives them.
    @Test(
        arguments: [
            (
                "query_value",
                [
                    ("query", "string", nil), ("when", "string", JSONValue.null), ("reduce", "string", .null),
                    ("on_empty", "number", .null),
                ]
            ),
            (
                "query_values",
                [("query", "string", nil), ("start", "string", .null), ("end", "string", .null), ("step", "number", 1)]
            ),
            (
                "check_threshold",
                [
                    ("operator", "string", nil), ("threshold", "any", nil), ("match", "string", "all"),
                    ("detail", "boolean", false),
                ]
            ),
            (
                "wait_for_threshold",
                [("timeout", "number", 300), ("interval", "number", 10), ("consecutive", "integer", 1)]
            ),
            ("change_ratio", [("baseline", "string", "10 minutes ago"), ("when", "string", .null)]),
            ("alerts", [("state", "string", "firing"), ("matchers", "list", [])]),
            ("targets", [("job", "string", .null), ("health", "string", "any"), ("matchers", "list", [])]),
        ] as [(String, [(String, String, JSONValue?)])])
    func documentsEachArgumentWithItsTypeAndDefault(_ probe: String, _ expected: [(String, String, JSONValue?)])
        async throws
    {
        let run = try await PluginProcess.run([#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#])
        let activities = try #require(run.messages.first?["result"]?["activities"]?.arrayValue)
        let activity = try #require(activities.first { $0["name"] == .string(probe) }, "\(probe) is not discovered")
        #expect(activity["type"] == "probe")
        #expect(activity["mod"] == "chaosprometheus.probes")
        #expect((activity["doc"]?.stringValue?.count ?? 0) > 100)
        let arguments = activity["arguments"]?.arrayValue ?? []
        for (name, type, defaultValue) in expected {
            let argument = try #require(
                arguments.first { $0["name"] == .string(name) }, "\(probe) has no argument \(name)")
            #expect(argument["type"] == .string(type), "\(probe).\(name)")
            #expect(argument["default"] == defaultValue, "\(probe).\(name)")
        }
    }
}

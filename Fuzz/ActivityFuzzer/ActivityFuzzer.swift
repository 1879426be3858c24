import ChaosToolkit
import CivilCalendar
import Dispatch
import FuzzEntry
import HTTPClient
import JSON
import Locking
import MetricsControl
import PrometheusProbes
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Every activity of the plugin, called with whatever arguments, configuration and secrets the input holds, against
/// a stub server that answers with whatever status and body the input holds. What must hold: no input traps, and
/// every call ends with a result that writes as one JSON line and reads back the same, or with one of the errors
/// the protocol has words for (`FailedActivity`, `ActivityArgumentError`).
///
/// The input is a JSON object: `activity` (a number, taken modulo the number of activities), `arguments`,
/// `configuration`, `secrets` (objects), and the stub's `status` and `body`. The server is always the stub on
/// 127.0.0.1 (no input reaches another address), with a 2 s deadline and one attempt, and a wait lasts 300 ms;
/// the status is a final one (200 to 599).
func check(_ bytes: [UInt8]) {
    guard let input = try? JSONValue(parsing: bytes), let object = input.objectValue else { return }
    let activities = Fixture.catalogue.activities
    let index = (object["activity"]?.numberValue?.intValue).map { abs($0 % activities.count) } ?? 0
    let activity = activities[index]
    // No 1xx: an interim answer is not an answer, and the client rightly waits for the final one until its
    // deadline, which for a push is 30 s, longer than the fuzzer's timeout.
    let status = min(max(object["status"]?.numberValue?.intValue ?? 200, 200), 599)
    let body = object["body"]?.stringValue ?? #"{"status":"success","data":{"resultType":"vector","result":[]}}"#
    Fixture.reply.withLock { $0 = StubHTTPServer.Reply(status: status, body: body) }

    var arguments = object["arguments"]?.objectValue ?? [:]
    var configuration = object["configuration"]?.objectValue ?? [:]
    let secrets = object["secrets"]?.objectValue ?? [:]
    configuration["prometheus_base_url"] = .string(Fixture.stub.baseURL)
    configuration["prometheus_http_timeout"] = 2
    configuration["prometheus_http_attempts"] = 1
    if activity.descriptor.name == "wait_for_threshold" { arguments["timeout"] = "300ms" }
    if activity.descriptor.name == "configure_control" { arguments["pushgateway_url"] = .string(Fixture.stub.baseURL) }

    let outcome = Locked<Result<JSONOutput, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            let result = try await activity.run(
                arguments: arguments, configuration: configuration, secrets: secrets, environment: Fixture.environment)
            outcome.withLock { $0 = .success(result) }
        } catch {
            outcome.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    switch outcome.withLock({ $0 }) {
    case .success(let result)?:
        let line = result.serialized()
        precondition(!line.contains(UInt8(ascii: "\n")), "a raw newline in the result of \(activity.descriptor.name)")
        precondition((try? JSONValue(parsing: line)) != nil, "the result of \(activity.descriptor.name) is not JSON")
    case .failure(let error)?:
        precondition(
            error is FailedActivity || error is ActivityArgumentError,
            "\(activity.descriptor.name) failed with \(type(of: error)): \(error)")
    case nil:
        preconditionFailure("\(activity.descriptor.name) ended without an outcome")
    }
}

/// What every input shares: the stub server and the catalogue, made once.
enum Fixture {
    static let reply = Locked(StubHTTPServer.Reply(status: 200, body: ""))
    // A test fixture: without its stub the fuzzer cannot run at all, so failing to start it stops at once.
    static let stub: StubHTTPServer = {
        do {
            return try StubHTTPServer { _ in reply.withLock { $0 } }
        } catch {
            fatalError("the stub server did not start: \(error)")
        }
    }()
    static let environment = ["FUZZ_NUMBER": "42", "FUZZ_TEXT": "some text", "FUZZ_URL": stub.baseURL]
    static let catalogue: ActivityCatalogue = {
        let http = HTTPClient()
        let environment = ProbeEnvironment(
            client: PrometheusClient(http: http, logger: .disabled),
            now: { UnixTime(secondsSince1970: 1_795_612_549.25) },
            timeZone: .utc, logger: .disabled)
        return ActivityCatalogue(
            extensionName: PrometheusExtension.name, version: PrometheusExtension.version, target: "prometheus",
            activities: PrometheusExtension.probes(environment) + PrometheusExtension.explorationProbes(environment)
                + MetricsControl(http: http, defaultPushgatewayURL: stub.baseURL, logger: .disabled).activities)
    }()
}

#if FUZZING
/// SwiftPM links an executable's `main` to `<module>_main`: that is where libFuzzer's driver starts.
@_cdecl("ActivityFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzEntry.runFuzzer(argc, argv, check: check)
}
#else
/// Without the fuzzer: replays the inputs named on the command line.
@main
struct Replay {
    static func main() { FuzzEntry.replay(CommandLine.arguments.dropFirst(), check: check) }
}
#endif

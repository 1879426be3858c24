import ChaosToolkit
import FileContents
import JSON
import PluginLog
import PrometheusProbes

#if canImport(Glibc)
import Glibc
#endif

/// The one-shot commands, `call` and `discover`, for hosts that run a command per probe, as a Chaos Toolkit
/// `process` provider does: the result as JSON on standard output, failures on standard error, and the exit
/// status saying which.
enum OneShot {
    /// Exit statuses of `call`.
    enum Status: Int32 {
        /// The probe ran; its result is on standard output.
        case success = 0
        /// The probe ran and failed (a `FailedActivity`); why is on standard error.
        case failed = 1
        /// The command line or the arguments do not fit; nothing ran.
        case usage = 64
        /// The result could not be written: standard output is closed (`EX_IOERR`).
        case outputClosed = 74
        /// The process could not start what it needs (out of descriptors or threads: `EX_OSERR`).
        case cannotStart = 71
    }

    /// Runs `request` against `catalogue` and writes the outcome; returns the exit status.
    static func call(
        _ request: CommandLineOptions.OneShotCall, catalogue: ActivityCatalogue, environment: [String: String]
    ) async -> Status {
        let probe = request.probe
        guard let activity = catalogue.activity(named: probe) else {
            let probes = catalogue.activities.filter { $0.descriptor.kind == .probe }.map(\.descriptor.name)
            return report(.usage, "no probe named '\(probe)'; the probes are \(probes.joined(separator: ", "))")
        }
        guard activity.descriptor.kind == .probe else {
            return report(
                .usage, "'\(probe)' is a control, which keeps its run between hooks: use it through the JSON-RPC mode")
        }
        let parts: [JSONObject]
        do {
            parts = try [
                object(request.arguments, flag: "--arguments"), object(request.configuration, flag: "--configuration"),
                object(request.secrets, flag: "--secrets"),
            ]
        } catch {
            return report(.usage, error.message)
        }
        var arguments = parts[0]
        for (name, value) in request.stringArguments { arguments[name] = .string(value) }
        do {
            let result = try await activity.run(
                arguments: arguments, configuration: parts[1], secrets: parts[2], environment: environment)
            return written(result)
        } catch let error as ActivityArgumentError {
            return report(.usage, error.message)
        } catch let failure as FailedActivity {
            return report(.failed, "\(probe) failed (\(failure.reason)): \(failure.message)")
        } catch {
            return report(.failed, "\(probe) failed: \(error)")
        }
    }

    /// Checks the experiment in the file `path` (``ExperimentValidation``) and writes the report: `.success` when
    /// it has no problem, `.failed` when it has, `.usage` when the file is not an experiment.
    static func validate(
        _ path: String, catalogue: ActivityCatalogue, validation: ProbeValidation, environment: [String: String]
    ) async -> Status {
        let experiment: JSONObject
        do {
            experiment = try object("@" + path, flag: "validate")
        } catch {
            return report(.usage, "validate needs an experiment as a JSON object: \(error.message)")
        }
        let report = await ExperimentValidation.report(
            of: experiment, catalogue: catalogue, validation: validation, environment: environment)
        let status = written(report)
        guard status == .success else { return status }
        return report["problems"]?.arrayValue?.isEmpty == false ? .failed : .success
    }

    /// Writes the discovery document.
    static func discover(_ catalogue: ActivityCatalogue) -> Status {
        written(catalogue.discoveryDocument)
    }

    /// The JSON object in `text`, or in the file `text` names after an `@`.
    static func object(_ text: String, flag: String) throws(UsageError) -> JSONObject {
        var bytes = Array(text.utf8)
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            // Read to its end, a FIFO too, such as a shell's `<(...)`.
            switch FileContents.read(path, largest: largestFile, regularFileOnly: false) {
            case .success(let contents): bytes = contents
            case .failure(.tooLarge):
                throw UsageError("\(flag) names a file larger than \(largestFile >> 20) MiB: '\(path)'")
            case .failure: throw UsageError("\(flag) names no readable file: '\(path)'")
            }
        }
        guard let value = try? JSONValue(parsing: bytes), let object = value.objectValue else {
            // The text is not echoed: it may hold secrets.
            throw UsageError("\(flag) must be a JSON object, such as {\"query\": \"up\"}")
        }
        return object
    }

    /// The most a `@FILE` may hold: far more than any arguments, configuration or secrets, and a bound on
    /// `/dev/zero`.
    static let largestFile = 16 << 20

    /// `.success` once `document` is on standard output, or `.outputClosed` (said on standard error) when it
    /// could not be written.
    private static func written(_ document: JSONValue) -> Status {
        written(.value(document))
    }

    private static func written(_ document: JSONOutput) -> Status {
        StandardStream.output.write(document)
            ? .success : report(.outputClosed, "the result could not be written: standard output is closed")
    }

    private static func report(_ status: Status, _ message: String) -> Status {
        StandardStream.error.write("chaostoolkit-prometheus: \(Logger.oneLine(message))")
        return status
    }
}

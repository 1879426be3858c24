import ChaosToolkit
import CivilCalendar
import JSON

extension Activity {
    /// `compute_mean(query, window="1d", mean_type="arithmetic")`: one number, the mean of every sample of
    /// every series a range query over the last `window` returns.
    static func computeMean(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "compute_mean", module: PrometheusExtension.probesModule,
                doc: """
                    Compute the mean of every sample of every series that a range query of `query` returns over \
                    the last `window` (a duration such as "1d", "30m", "1h30m", or a time such as "2 hours ago" \
                    or an RFC 3339 date, up to now). The step is chosen to give about 1,000 points per series \
                    (at least 1 s apart, the last at now), well under Prometheus's limit of 11,000. `mean_type` is "arithmetic" \
                    (default), "geometric" or "harmonic". NaN samples are left out; a geometric or harmonic \
                    mean of zero or negative values fails, and so does an infinite mean or a query without \
                    data. Returns a number.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [
                    .query, .window, .meanType,
                ],
                returnType: "number")
        ) { call in
            try await computeMean(
                of: try call.arguments.requiredString(.query), window: try call.arguments.requiredString(.window),
                meanType: try call.arguments.choice(.meanType), call: call, environment: environment)
        }
    }

    /// `nodes_cpu_usage_mean(window="1d")`: the arithmetic mean CPU usage of all nodes, in percent, from the
    /// node exporter's `node_cpu_seconds_total`.
    static func nodesCPUUsageMean(_ environment: ProbeEnvironment) -> Activity {
        Activity(
            ActivityDescriptor(
                kind: .probe, name: "nodes_cpu_usage_mean", module: PrometheusExtension.probesModule,
                doc: """
                    Compute the mean CPU usage of all nodes, in percent (0 to 100), over the last `window` \
                    (default "1d"): `compute_mean` of \
                    `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m])))`, which the node exporter's \
                    metrics provide. Returns a number.
                    """ + " " + PrometheusExtension.connectionDoc,
                arguments: [.window],
                returnType: "number")
        ) { call in
            try await computeMean(
                of: nodesCPUUsageQuery, window: try call.arguments.requiredString(.window), meanType: .arithmetic,
                call: call,
                environment: environment)
        }
    }

    static let nodesCPUUsageQuery = #"100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m])))"#

    /// The number of points per series `compute_mean` asks for, at most.
    static let meanPointsPerSeries = 1000.0

    /// Where `window` (a duration such as `"1h"` or a time such as `"2 hours ago"`) starts, before `now`.
    static func windowStart(_ window: String, now: UnixTime, environment: ProbeEnvironment) throws(FailedActivity)
        -> UnixTime
    {
        let start: UnixTime
        do {
            start = try TimeExpression.parse(window, now: now, timeZone: environment.timeZone)
        } catch {
            throw FailedActivity(
                String(describing: error), reason: .invalidTime,
                detail: ["argument": "window", "value": .string(window)])
        }
        guard start < now else {
            throw FailedActivity(
                "window '\(window)' must reach back into the past, but it starts at \(RFC3339.format(start))",
                reason: .invalidArgument, detail: ["argument": "window"])
        }
        return start
    }

    private static func computeMean(
        of query: String, window: String, meanType: MeanType, call: ActivityCall, environment: ProbeEnvironment
    ) async throws -> JSONValue {
        let settings = try call.settings(in: environment)
        let now = environment.now()
        let start = try windowStart(window, now: now, environment: environment)
        let range = now.seconds(since: start)
        let seconds = max(1, (range / meanPointsPerSeries).rounded(.up))
        guard let step = PrometheusDuration(.number(JSONNumber(Int(clamping: seconds)))) else {
            throw FailedActivity(
                "a window of \(Int(clamping: range)) s has no step Prometheus can take", reason: .invalidArgument,
                detail: ["argument": "window"])
        }
        // Prometheus evaluates start, start + step, ... up to end: starting a whole number of steps before now
        // makes now itself the last point, so the newest samples always count.
        let alignedStart = now.adding(seconds: -seconds * (range / seconds).rounded(.down))
        await ActivityProgress.report(
            "asking for \(Int(range / seconds) + 1) steps of \(Int(seconds)) s per series over the last \(Int(range)) s"
        )
        // As Prometheus wrote it: read as a tree, a large matrix took about 16 times its size in memory.
        let document = try await environment.client.performAsIs(
            .rangeQuery(
                query, start: alignedStart, end: now, step: step, timeout: nil, settings: settings, verifyTLS: true))
        var running = RunningMean(meanType)
        switch document {
        case .text(let text): try forEachSampleOfMatrix(text: text.bytes, query: query) { running.add($0) }
        default: try forEachSampleOfMatrix(document.value, query: query) { running.add($0) }
        }
        await ActivityProgress.report("read \(running.sampleCount) samples; computing the \(meanType.rawValue) mean")
        do {
            let mean = try running.mean()
            environment.logger.debug("\(meanType.rawValue) mean of \(running.sampleCount) samples of \(query): \(mean)")
            return JSONValue(mean)
        } catch {
            throw failure(error, meanType: meanType, query: query, window: window, sampleCount: running.sampleCount)
        }
    }

    /// Every sample value of every series of a range query's answer, read straight from its compact text: each
    /// `"values":[[t,"v"],...]` array. In compact JSON a quote inside a string is always escaped, so the bytes
    /// `"values":[` and `"resultType":"matrix"` can only be the member names themselves.
    static func forEachSampleOfMatrix(
        text bytes: [UInt8], query: String, _ body: (Double) -> Void
    ) throws(FailedActivity) {
        let notAMatrix = FailedActivity(
            "the range query of '\(query)' did not answer with a matrix", reason: .badResponse)
        guard bytes.firstRange(of: Array(#""resultType":"matrix""#.utf8)) != nil else { throw notAMatrix }
        let marker = Array(#""values":["#.utf8)
        // No nested function captures `position`: a captured variable is checked for exclusive access at run time
        // on every use in unoptimized builds, which made reading a large answer ten times slower there.
        var position = 0
        var failedAt: Int?
        bytes.withUnsafeBufferPointer { bytes in
            func skip(_ byte: UInt8, at position: inout Int) -> Bool {
                guard position < bytes.count, bytes[position] == byte else { return false }
                position += 1
                return true
            }
            while let found = bytes[position...].firstRange(of: marker) {
                position = found.upperBound
                // A series without samples.
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { continue }
                while true {
                    guard skip(UInt8(ascii: "["), at: &position) else {
                        failedAt = position
                        return
                    }
                    // The timestamp.
                    while position < bytes.count, bytes[position] != UInt8(ascii: ",") { position += 1 }
                    guard skip(UInt8(ascii: ","), at: &position), skip(UInt8(ascii: "\""), at: &position) else {
                        failedAt = position
                        return
                    }
                    let start = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: "\""),
                        bytes[position] != UInt8(ascii: "\\")
                    {
                        position += 1
                    }
                    guard let value = SampleValue.parse(UnsafeBufferPointer(rebasing: bytes[start..<position])) else {
                        failedAt = start
                        return
                    }
                    body(value)
                    guard skip(UInt8(ascii: "\""), at: &position), skip(UInt8(ascii: "]"), at: &position) else {
                        failedAt = position
                        return
                    }
                    guard skip(UInt8(ascii: ","), at: &position) else { break }
                }
                guard skip(UInt8(ascii: "]"), at: &position) else {
                    failedAt = position
                    return
                }
            }
        }
        if let failedAt {
            let shown = String(decoding: bytes[failedAt..<min(bytes.count, failedAt + 60)], as: UTF8.self)
            throw FailedActivity(
                "the range query of '\(query)' returned a sample that is not a number: \(shown)", reason: .badResponse)
        }
    }

    /// Every sample value of every series of a range query's answer, parsed (a server whose document does not
    /// begin as Prometheus's does).
    private static func forEachSampleOfMatrix(
        _ document: JSONValue, query: String, _ body: (Double) -> Void
    ) throws(FailedActivity) {
        for entry in try RangeSeries.matrix(of: document, query: query) {
            for point in entry["values"]?.arrayValue ?? [] {
                guard let text = point.arrayValue?.last?.stringValue, let value = SampleValue.parse(text) else {
                    throw FailedActivity(
                        "the range query of '\(query)' returned a sample that is not a number: \(point.serializedString())",
                        reason: .badResponse)
                }
                body(value)
            }
        }
    }

    private static func failure(
        _ error: MeanType.Failure, meanType: MeanType, query: String, window: String, sampleCount: Int
    ) -> FailedActivity {
        switch error {
        case .noSamples:
            let nan = sampleCount > 0 ? " (its \(sampleCount) samples are all NaN)" : ""
            return FailedActivity(
                "the query '\(query)' returned no data over the last \(window)\(nan)", reason: .noData,
                detail: ["samples": .number(JSONNumber(sampleCount))])
        case .nonPositive(let value, let count):
            return FailedActivity(
                "a \(meanType.rawValue) mean needs positive values, but \(count) of the \(sampleCount) samples of '\(query)' are zero or negative (such as \(value))",
                reason: .nonPositiveValue, detail: ["samples": .number(JSONNumber(sampleCount))])
        case .nonFinite(let mean):
            return FailedActivity(
                "the \(meanType.rawValue) mean of the \(sampleCount) samples of '\(query)' is \(mean.isNaN ? "NaN" : mean > 0 ? "+Inf" : "-Inf"): some samples are infinite",
                reason: .nonFiniteMean, detail: ["samples": .number(JSONNumber(sampleCount))])
        }
    }
}

extension ActivityArgument {
    /// How far back `compute_mean` and `nodes_cpu_usage_mean` look.
    static let window = ActivityArgument.optional("window", .string, default: "1d")
    static let meanType = ActivityArgument.optional(
        "mean_type", .oneOf(MeanType.allCases.map(\.rawValue)), default: "arithmetic")
}

import CivilCalendar

/// The five metrics of one experiment run, as the Python control's `prometheus_client` registry holds them.
///
/// Every sample carries the labels `source="chaostoolkit"`, `chaostoolkit_lib_version`,
/// `chaostoolkit_run_trace_id` and `chaostoolkit_experiment_ref`. As in `prometheus_client`, a metric has a
/// sample only once it has been touched: before the run only the in-progress gauge has one, and the deviated
/// counter only when the run deviated.
struct RunMetrics: Sendable {
    /// The run statuses the status enum knows, in its order.
    static let statuses = ["completed", "failed", "aborted", "interrupted"]
    /// `prometheus_client`'s default histogram buckets.
    static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

    let labels: [(name: String, value: String)]
    private var status: String?
    private var deviated: (count: Double, created: Double)?
    private var inProgress: Double?
    private var duration: Double?
    private var durations: (bucketCounts: [Double], count: Double, sum: Double, created: Double)?

    init(libraryVersion: String, traceID: String, experimentReference: String) {
        labels = [
            ("source", "chaostoolkit"), ("chaostoolkit_lib_version", libraryVersion),
            ("chaostoolkit_run_trace_id", traceID), ("chaostoolkit_experiment_ref", experimentReference),
        ]
    }

    /// `before_experiment_control`: one more run in progress.
    mutating func started() {
        inProgress = (inProgress ?? 0) + 1
    }

    /// `after_experiment_control`: the run is over, with its journal's status, deviation and duration.
    mutating func finished(status: String, deviated: Bool, duration: Double, at now: UnixTime) {
        if deviated {
            self.deviated = ((self.deviated?.count ?? 0) + 1, self.deviated?.created ?? now.secondsSince1970)
        }
        inProgress = (inProgress ?? 0) - 1
        self.status = status
        self.duration = duration
        var histogram =
            durations ?? (Array(repeating: 0, count: Self.bucketBounds.count + 1), 0, 0, now.secondsSince1970)
        for (index, bound) in (Self.bucketBounds + [.infinity]).enumerated() where duration <= bound {
            histogram.bucketCounts[index] += 1
        }
        histogram.count += 1
        histogram.sum += duration
        durations = histogram
    }

    /// The metrics in the Prometheus text exposition format (version 0.0.4), as `prometheus_client` writes
    /// them: the families in registration order, each with its HELP and TYPE even when it has no sample yet.
    var exposition: String {
        var text = ExpositionText(labels: labels)
        text.family("chaostoolkit_experiment_status", type: "gauge", help: "Chaos Toolkit experiment runs status")
        if let status {
            for state in Self.statuses {
                text.sample(
                    "chaostoolkit_experiment_status", extra: [("chaostoolkit_experiment_status", state)],
                    state == status ? 1 : 0)
            }
        }
        text.family(
            "chaostoolkit_deviated_experiment_total", type: "counter", help: "Chaos Toolkit deviated experiments")
        if let deviated { text.sample("chaostoolkit_deviated_experiment_total", deviated.count) }
        // As generate_latest does, a `_created` family is written only with its sample.
        if let deviated {
            text.family(
                "chaostoolkit_deviated_experiment_created", type: "gauge", help: "Chaos Toolkit deviated experiments")
            text.sample("chaostoolkit_deviated_experiment_created", deviated.created)
        }
        text.family("chaostoolkit_inprogress_experiment", type: "gauge", help: "Chaos Toolkit experiments in progress")
        if let inProgress { text.sample("chaostoolkit_inprogress_experiment", inProgress) }
        text.family("chaostoolkit_experiment_duration", type: "gauge", help: "Chaos Toolkit experiment duration")
        if let duration { text.sample("chaostoolkit_experiment_duration", duration) }
        let histogramHelp = "Chaos Toolkit experiment duration distribution"
        text.family("chaostoolkit_experiment_duration_dist", type: "histogram", help: histogramHelp)
        if let durations {
            // The counts are cumulative already: an observation counts in every bucket whose bound it is under.
            for (index, bound) in (Self.bucketBounds + [.infinity]).enumerated() {
                text.sample(
                    "chaostoolkit_experiment_duration_dist_bucket", extra: [("le", ExpositionText.number(bound))],
                    durations.bucketCounts[index])
            }
            text.sample("chaostoolkit_experiment_duration_dist_count", durations.count)
            text.sample("chaostoolkit_experiment_duration_dist_sum", durations.sum)
        }
        if let durations {
            text.family("chaostoolkit_experiment_duration_dist_created", type: "gauge", help: histogramHelp)
            text.sample("chaostoolkit_experiment_duration_dist_created", durations.created)
        }
        return text.output
    }
}

/// Lines of the Prometheus text exposition format.
struct ExpositionText {
    let labels: [(name: String, value: String)]
    private(set) var output = ""

    init(labels: [(name: String, value: String)]) {
        self.labels = labels
    }

    mutating func family(_ name: String, type: String, help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// One sample line; label names sorted, as `prometheus_client` writes them.
    mutating func sample(_ name: String, extra: [(name: String, value: String)] = [], _ value: Double) {
        let all = (labels + extra).sorted { $0.name < $1.name }
        let rendered = all.map { "\($0.name)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
        output += "\(name){\(rendered)} \(Self.number(value))\n"
    }

    /// A label value with `\`, `"` and newlines escaped, scalar by scalar: Swift's character-wise string
    /// functions would miss a quote followed by a combining mark.
    static func escape(_ value: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": escaped.append(contentsOf: "\\\"".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// A sample value as `prometheus_client`'s `floatToGoString` writes it: `+Inf`, `-Inf`, `NaN`, Python's
    /// `repr`, or Go's exponent form for a positive value with more than six digits before the point.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let repr = PythonNumber.floatRepr(value)
        guard value > 0, let dot = repr.firstIndex(of: "."), repr.distance(from: repr.startIndex, to: dot) > 6 else {
            return repr
        }
        let integer = repr[..<dot]
        let digits = integer.dropFirst() + repr[repr.index(after: dot)...]
        var mantissa = String(integer.prefix(1)) + "." + digits
        while mantissa.hasSuffix("0") || mantissa.hasSuffix(".") { mantissa.removeLast() }
        return "\(mantissa)e+0\(integer.count - 1)"
    }
}

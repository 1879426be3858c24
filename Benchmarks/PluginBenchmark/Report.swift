import Foundation

/// The run's report: every figure, and each target of issue 5 with the ratio that decides it, marked MET or
/// NOT MET, as a Markdown table (`BENCHMARKS.md` quotes it as printed).
struct Report {
    let figures: Figures
    let settings: BenchmarkSettings
    let machine: Machine

    /// One line of the table.
    struct Row {
        var figure: String
        var value: String
        var target = ""
        var ratio = ""
        var verdict = ""
    }

    /// Whether a target was met, or could not be judged.
    enum Verdict: String {
        case met = "MET"
        case notMet = "NOT MET"
        case notMeasured = "not measured"

        init(_ met: Bool) { self = met ? .met : .notMet }
    }

    var rows: [Row] {
        let limit = success(figures.roundTrips)?.limit
        let plugin = success(figures.roundTrips)?.plugin
        let python = success(figures.python)
        let adapter = success(figures.adapter)
        let large = success(figures.largeResult)
        var rows: [Row] = []

        rows.append(
            Row(
                figure: "(1) the limit: libcurl, one kept-alive connection, `GET /api/v1/query?query=up`",
                value: describe(figures.roundTrips) { Formatting.distribution($0.limit) }))
        rows.append(
            judged(
                Row(
                    figure: "(2) the plugin, one request in flight (`query` of `up`)",
                    value: describe(figures.roundTrips) { Formatting.distribution($0.plugin) }, target: "≤ 1.15 × (1)"),
                ratio: ratio(plugin?.median, limit?.median), label: "(2) / (1)"
            ) { $0 <= 1.15 })
        let floor = success(figures.roundTrips)?.floor
        var floorRow = Row(
            figure: "(2) the floor: the same calls to a process that answers each line at once and does no work",
            value: describe(figures.roundTrips) { Formatting.distribution($0.floor) })
        // What a plugin doing no work of its own would take, against the limit: the best (2) / (1) can be here.
        floorRow.ratio =
            ratio(limit?.median.flatMap { limit in floor?.median.map { limit + $0 } }, limit?.median)
            .map { "((1) + floor) / (1) = \(Formatting.ratio($0))" } ?? "—"
        rows.append(floorRow)
        rows.append(
            judged(
                Row(figure: "(2) against (4), the Python original", value: "", target: "≥ 8 × faster than (4)"),
                ratio: ratio(python?.median, plugin?.median), label: "(4) / (2)"
            ) { $0 >= 8 })
        let inverseLimit = limit?.median.map { 1 / $0 }
        rows.append(
            judged(
                Row(
                    figure: "(3) the plugin, \(settings.burst) requests written at once, answers read as they come",
                    value: describe(figures.burst) {
                        "\(Formatting.rate($0.perSecond)) (\($0.requests) in \(Formatting.time($0.seconds)))"
                    },
                    target: "> 1 / (1)" + (inverseLimit.map { " = " + Formatting.rate($0) } ?? "")),
                ratio: ratio(success(figures.burst)?.perSecond, inverseLimit), label: "(3) / (1 / (1))"
            ) { $0 > 1 })
        rows.append(
            Row(
                figure: "(4) the Python original: `chaosprometheus.probes.query(\"up\")` in-process",
                value: describe(figures.python) { Formatting.distribution($0) }))
        let curlStart = success(figures.curlStart)?.median
        rows.append(
            judged(
                Row(
                    figure: "(5) cold start, the plugin: spawn to first answer line (`query` of `up`)",
                    value: describe(figures.coldStart) { Formatting.distribution($0) },
                    target: "≤ `curl --version` + 3 ms" + (curlStart.map { " = " + Formatting.time($0 + 0.003) } ?? "")),
                measured: success(figures.coldStart)?.median.flatMap { plugin in curlStart.map { plugin - $0 } }
            ) { $0 <= 0.003 })
        rows.append(
            Row(
                figure: "(5) cold start, `curl --version` run to its end",
                value: describe(figures.curlStart) { Formatting.distribution($0) }))
        rows.append(
            judged(
                Row(
                    figure: "(5) cold start, Python: `python -c \"import chaosprometheus.probes\"`",
                    value: describe(figures.pythonImport) { Formatting.distribution($0) }, target: "≥ 10 × the plugin's"
                ),
                ratio: ratio(success(figures.pythonImport)?.median, success(figures.coldStart)?.median),
                label: "Python / plugin"
            ) { $0 >= 10 })
        rows.append(
            judged(
                Row(
                    figure: "(6) a large range result through the plugin (`query_interval`)",
                    value: describe(figures.largeResult) {
                        "\(Formatting.distribution($0.plugin)); answer line \(Formatting.megabytes($0.answerBytes))"
                    },
                    target: "≤ 1.3 × raw"),
                ratio: ratio(large?.plugin.median, large?.raw.median), label: "plugin / raw"
            ) { $0 <= 1.3 })
        rows.append(
            Row(
                figure: "(6) the same body fetched raw with libcurl (kept-alive connection)",
                value: describe(figures.largeResult) {
                    "\(Formatting.distribution($0.raw)); body \(Formatting.megabytes($0.bodyBytes)): "
                        + "\($0.series) series × \($0.steps) steps"
                }))
        let bound = large.map { 3 * $0.bodyBytes + 20_000_000 }
        rows.append(
            judged(
                Row(
                    figure: "(7) the plugin's peak memory after the large result (VmHWM)",
                    value: describe(figures.largeResult) {
                        "\(Formatting.megabytes($0.peakResident)) (VmRSS afterwards \(Formatting.megabytes($0.residentAfter)))"
                    },
                    target: "≤ 3 × body + 20 MB" + (bound.map { " = " + Formatting.megabytes($0) } ?? "")),
                ratio: ratio(large.map { Double($0.peakResident) }, bound.map(Double.init)), label: "peak / bound"
            ) { $0 <= 1 })
        rows.append(
            judged(
                Row(
                    figure: "(7) the plugin's memory idle (VmRSS)",
                    value: describe(figures.idleMemory) {
                        "\(Formatting.resident($0.afterStart)) after start; \(Formatting.resident($0.afterOneQuery)) after one query"
                    },
                    target: "< 12 MB"),
                measured: success(figures.idleMemory).map { Double($0.idle) }
            ) { $0 < 12_000_000 })
        rows.append(
            judged(
                Row(
                    figure:
                        "(8) \(settings.slowRequests) requests at once, server answering each after \(settings.slowDelayMilliseconds) ms",
                    value: describe(figures.slowServer) {
                        "\(Formatting.time($0.seconds)) until all \($0.requests) answers were read "
                            + "(at most \($0.mostConcurrent) at the server at once, \($0.connections) connections)"
                    },
                    target: "all 64 in < 300 ms"),
                measured: success(figures.slowServer).flatMap { $0.requests >= 64 ? $0.seconds : nil }
            ) { $0 < 0.300 })
        rows.append(
            judged(
                Row(
                    figure:
                        "(9) the host adapter: `chaosprometheus.probes.query(\"up\")` in-process, through the plugin",
                    value: describe(figures.adapter) { Formatting.distribution($0) }, target: "≤ 1 ms"),
                measured: adapter?.median
            ) { $0 <= 0.001 })
        rows.append(
            judged(
                Row(figure: "(9) against (4), the Python original", value: "", target: "≥ 3 × faster than (4)"),
                ratio: ratio(python?.median, adapter?.median), label: "(4) / (9)"
            ) { $0 >= 3 })
        rows.append(
            judged(
                Row(
                    figure:
                        "(10) \(settings.unreadErrorRequests) `query` calls at `--log-level trace`, standard error unread",
                    value: describe(figures.unreadStandardError) {
                        "all \($0.requests) answered in \(Formatting.time($0.seconds)); \($0.droppedLines) log lines dropped and counted"
                    },
                    target: "all answered"),
                measured: success(figures.unreadStandardError).map { Double($0.requests) }
            ) { $0 >= 10_000 })
        rows.append(
            judged(
                Row(
                    figure: "(11) the executable as the README builds it, and the libraries it links dynamically",
                    value: describe(figures.executable) {
                        "\(Formatting.megabytes($0.bytes)); \($0.libraries.joined(separator: ", "))"
                    },
                    target: "≤ 15 MB; only libcurl and the C and C++ runtimes"),
                measured: success(figures.executable).map {
                    $0.bytes <= 15_000_000 && Set($0.libraries).isSubset(of: ExecutableMeasurement.allowed) ? 1 : 0
                }
            ) { $0 == 1 })
        return rows
    }

    /// The whole report, in Markdown.
    var markdown: String {
        let rows = self.rows
        let verdicts = rows.map(\.verdict).filter { !$0.isEmpty }
        let met = verdicts.filter { $0 == Verdict.met.rawValue }.count
        var text = """
            ## chaostoolkit-prometheus benchmark (issue 5)

            \(machine.markdown)

            \(runDescription)

            | figure | value | target | ratio | verdict |
            |---|---|---|---|---|

            """
        for row in rows {
            let cells = [row.figure, row.value, row.target, row.ratio, row.verdict.isEmpty ? "" : "**\(row.verdict)**"]
            text += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        text += "\n\(met) of \(verdicts.count) targets met.\n"
        return text
    }

    private var runDescription: String {
        """
        Counts: (1), (2) and its floor \(settings.requests) requests each in \(settings.rounds) rounds, in rotating order, after \
        \(settings.warmup) warm-up requests; (3) \(settings.burst) requests; (4) and (9) \(settings.pythonCalls) calls \
        each after \(settings.pythonWarmup) warm-up calls; \
        (5) \(settings.coldStarts) plugin starts and \(settings.pythonImports) Python imports, each after one \
        uncounted; (6) \(settings.largeRuns) runs of each, alternating, of `\(settings.rangeQuery)` over \
        \(settings.rangeSeconds) s in steps of \(settings.rangeStep) s; (8) \(settings.slowRequests) requests; \
        (10) \(settings.unreadErrorRequests) requests. \
        Every answer was checked to be a successful result for its request id. MB = 10^6 bytes.
        """
    }

    private func success<Value>(_ measured: Figures.Measured<Value>?) -> Value? {
        if case .success(let value)? = measured { value } else { nil }
    }

    private func describe<Value>(_ measured: Figures.Measured<Value>?, _ text: (Value) -> String) -> String {
        switch measured {
        case .success(let value)?: text(value)
        case .failure(let error)?:
            "FAILED: " + error.description.prefix(300).split(whereSeparator: \.isNewline).joined(separator: " ")
        case nil: "not measured"
        }
    }

    private func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
        guard let numerator, let denominator, denominator > 0 else { return nil }
        return numerator / denominator
    }

    /// `row` judged on a ratio, shown as `label = value`.
    private func judged(_ row: Row, ratio: Double?, label: String, _ meets: (Double) -> Bool) -> Row {
        var row = row
        row.ratio = ratio.map { "\(label) = \(Formatting.ratio($0))" } ?? "—"
        row.verdict = (ratio.map { Verdict(meets($0)) } ?? .notMeasured).rawValue
        return row
    }

    /// `row` judged on its measured value alone.
    private func judged(_ row: Row, measured: Double?, _ meets: (Double) -> Bool) -> Row {
        var row = row
        row.ratio = "—"
        row.verdict = (measured.map { Verdict(meets($0)) } ?? .notMeasured).rawValue
        return row
    }
}

/// Figures (1) and (2): the instant query `up`, fetched straight with libcurl over one kept-alive connection (the
/// limit), and asked of the plugin with one request in flight at a time (request line written, answer line read).
///
/// Both warm up first, then run in alternating rounds, so that both see the same moments of a noisy machine.
enum RoundTripMeasurement {
    /// The per-request times of both clients.
    struct Outcome: Sendable {
        /// (1): per request, libcurl alone.
        var limit = Samples()
        /// (2): per call, through the plugin.
        var plugin = Samples()
    }

    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Outcome {
        let url = baseURL + "/api/v1/query?query=up"
        let fetcher = try KeptAliveFetcher()
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
        defer { plugin.finish() }

        var nextID = 1
        var answers: [[UInt8]] = []
        for _ in 0..<settings.warmup {
            try fetcher.get(url)
            answers.append(try plugin.call(RequestLines.queryUp(id: nextID)))
            nextID += 1
        }
        try AnswerCheck.verify(answers, ids: 1..<nextID)
        answers.removeAll(keepingCapacity: true)

        var outcome = Outcome()
        let perRound = max(settings.requests / settings.rounds, 1)
        let firstTimedID = nextID
        for round in 0..<settings.rounds {
            let lines = (nextID..<(nextID + perRound)).map { RequestLines.queryUp(id: $0) }
            nextID += perRound
            func measureLimit() throws {
                for _ in 0..<perRound {
                    let start = Monotonic.now()
                    try fetcher.get(url)
                    outcome.limit.append(Monotonic.since(start))
                }
            }
            func measurePlugin() throws {
                for line in lines {
                    let start = Monotonic.now()
                    let answer = try plugin.call(line)
                    outcome.plugin.append(Monotonic.since(start))
                    answers.append(answer)
                }
            }
            if round.isMultiple(of: 2) {
                try measureLimit()
                try measurePlugin()
            } else {
                try measurePlugin()
                try measureLimit()
            }
        }
        try AnswerCheck.verify(answers, ids: firstTimedID..<nextID)
        return outcome
    }
}

/// Figures (1) and (2): the instant query `up`, fetched straight with libcurl over one kept-alive connection (the
/// limit), and asked of the plugin with one request in flight at a time (request line written, answer line read).
///
/// Beside them, the floor of (2): the same calls to a process that answers each line at once (``TransportFloor``).
/// All three warm up first, then run in rotating rounds, so that all see the same moments of a noisy machine.
enum RoundTripMeasurement {
    /// The per-request times of both clients.
    struct Outcome: Sendable {
        /// (1): per request, libcurl alone.
        var limit = Samples()
        /// (2): per call, through the plugin.
        var plugin = Samples()
        /// The floor of (2): per line, through a process that does no work (its answers are fixed, so not checked).
        var floor = Samples()
    }

    static func run(baseURL: String, settings: BenchmarkSettings) throws -> Outcome {
        let url = baseURL + "/api/v1/query?query=up"
        let fetcher = try KeptAliveFetcher()
        let plugin = try PluginLink(executable: settings.plugin, arguments: ["--prometheus-base-url", baseURL])
        defer { plugin.finish() }
        let floor = try PluginLink(executable: try TransportFloor.executable(), arguments: [TransportFloor.argument])
        defer { floor.finish() }

        var nextID = 1
        var answers: [[UInt8]] = []
        for _ in 0..<settings.warmup {
            try fetcher.get(url)
            answers.append(try plugin.call(RequestLines.queryUp(id: nextID)))
            _ = try floor.call(RequestLines.queryUp(id: nextID))
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
            func measureFloor() throws {
                for line in lines {
                    let start = Monotonic.now()
                    _ = try floor.call(line)
                    outcome.floor.append(Monotonic.since(start))
                }
            }
            let order = [measureLimit, measurePlugin, measureFloor]
            for index in 0..<order.count { try order[(round + index) % order.count]() }
        }
        try AnswerCheck.verify(answers, ids: firstTimedID..<nextID)
        return outcome
    }
}

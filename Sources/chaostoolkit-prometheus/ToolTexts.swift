/// The titles and descriptions of the Model Context Protocol tools, written for a reader (or a model) who knows
/// Prometheus a little and the Chaos Toolkit not at all. A test checks that every probe has its texts.
enum ToolTexts {
    struct Texts {
        let title: String
        let description: String
    }

    /// What `initialize` tells the client's model about the tools as a whole.
    static let instructions = """
        Tools that query one Prometheus server, configured when this server was started (the tools take no URL \
        or credentials). Use query_value, check_threshold and change_ratio for a number or a verdict, \
        wait_for_threshold to wait for a condition, query and query_interval for Prometheus's raw answers, and \
        alerts and targets for what Prometheus itself reports, and metric_names, label_names, label_values, \
        series, metric_metadata and rules to find what to query. Every tool only reads.
        """

    /// The texts of the tool `name`; a probe without its own (a test forbids it) gets its name as title.
    static func of(_ name: String) -> Texts {
        byName[name] ?? Texts(title: name, description: "The probe \(name).")
    }

    /// Times that `when`, `start`, `end` and `baseline` accept, said once for every tool that takes one.
    private static let times =
        "Times are written as people write them: \"now\", \"5 minutes ago\", \"now-1h\", \"yesterday at noon\", \"10:00\", "
        + "\"last monday\", \"25 Nov 2026 10:00\", an RFC 3339 date such as \"2026-11-25T10:00:00Z\", or Unix seconds."

    static let byName: [String: Texts] = [
        "query": Texts(
            title: "Run a PromQL instant query",
            description: """
                Evaluates a PromQL expression at one instant (now, or `when`) on the configured Prometheus and \
                returns Prometheus's own answer: {"status": "success", "data": {"resultType": "vector", "result": \
                [{"metric": {labels}, "value": [unix_time, "value as text"]}, ...]}}. Use it to see the raw series \
                behind a question; use query_value for one number. \(times)
                """),
        "query_interval": Texts(
            title: "Run a PromQL range query",
            description: """
                Evaluates a PromQL expression at every `step` from `start` to `end` and returns Prometheus's own \
                answer: {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {labels}, \
                "values": [[unix_time, "value"], ...]}, ...]}}. Keep ranges short or steps large: the answer grows \
                with series × steps. \(times)
                """),
        "compute_mean": Texts(
            title: "Mean of a query over a window",
            description: """
                Runs a range query of `query` over the last `window` (such as "1h", "30m", "1d") and returns the \
                mean of every sample of every series as one number, {"result": 12.5}. `mean_type` picks the \
                arithmetic (default), geometric or harmonic mean.
                """),
        "nodes_cpu_usage_mean": Texts(
            title: "Mean CPU usage of all nodes",
            description: """
                Returns the mean CPU usage of all machines that the node exporter reports on, in percent (0 to 100), \
                over the last `window` (default "1d"), as {"result": 37.2}.
                """),
        "query_value": Texts(
            title: "One number from a PromQL query",
            description: """
                Evaluates a PromQL expression and returns its value as one number, {"result": 0.25}. A scalar or a \
                single series gives its value; several series need `reduce` ("min", "max", "mean", "sum" or \
                "count"). No series at all fails, unless `on_empty` gives the number to use. \(times)
                """),
        "query_values": Texts(
            title: "Every series of a PromQL query as numbers",
            description: """
                Evaluates a PromQL expression and returns each series with its labels and value as numbers: \
                {"result": [{"labels": {...}, "value": 0.25}, ...]}, or with `start` and `end`, a range: \
                {"result": [{"labels": {...}, "values": [[unix_time, 0.25], ...]}, ...]}. \(times)
                """),
        "check_threshold": Texts(
            title: "Check a PromQL value against a threshold",
            description: """
                Evaluates a PromQL expression and says whether its value meets a condition: {"result": true} or \
                {"result": false}. `operator` is one of == != < <= > >= between outside; `threshold` is a number, \
                or [low, high] for between and outside. With several series, `reduce` makes one value of them, or \
                `match` ("all" or "any") says how many must meet it. With `detail` true the result is an object \
                with the values observed.
                """),
        "wait_for_threshold": Texts(
            title: "Wait until a PromQL condition holds",
            description: """
                Evaluates a PromQL expression every `interval` (default 10 seconds) until its value meets a condition \
                for `consecutive` checks in a row, then returns the last value, {"result": 0.25}; fails when \
                `timeout` (default 300 seconds) passes first. Takes the same condition as check_threshold. Sends \
                progress after each check when the client asks for progress.
                """),
        "change_ratio": Texts(
            title: "How much a PromQL value changed",
            description: """
                Evaluates a PromQL expression now (or at `when`) and at `baseline` (default "10 minutes ago") and \
                returns the first value divided by the second, {"result": 1.2} meaning 20 % higher than at the \
                baseline. \(times)
                """),
        "alerts": Texts(
            title: "Alerts of Prometheus's alerting rules",
            description: """
                Returns the alerts of Prometheus's alerting rules in `state` ("firing", the default, "pending" or \
                "any") whose labels match every label matcher of `matchers` (such as "severity=\\"critical\\""): \
                {"result": [{"labels", "annotations", "state", "activeAt", "value"}, ...]}.
                """),
        "metric_names": Texts(
            title: "List metric names",
            description: """
                Lists the names of the metrics Prometheus holds, sorted, at most `limit` (default 200); with \
                `match` (a series selector such as '{job="api"}'), only those of the selected series. Use it to \
                find the metric a question is about before writing a query.
                """),
        "label_names": Texts(
            title: "List label names",
            description: """
                Lists the label names of the series Prometheus holds (of those that `match` selects, when \
                given), sorted: the dimensions a query can filter or aggregate on.
                """),
        "label_values": Texts(
            title: "List the values of a label",
            description: """
                Lists the values that the label `label` takes (such as every `job`, or every `instance` of \
                'up{job="api"}' with `match`), sorted, at most `limit` (default 200).
                """),
        "series": Texts(
            title: "List the series a selector selects",
            description: """
                Lists the label sets of the series that the selector `match` (such as 'up{job="api"}') selects, \
                at most `limit` (default 200): which label combinations exist, before querying their values.
                """),
        "metric_metadata": Texts(
            title: "What metrics mean",
            description: """
                Returns each metric's type (counter, gauge, histogram, summary), help text and unit, as its \
                exporter declares them: {"result": [{"metric", "type", "help", "unit"}, ...]}; of `metric` \
                alone when given. A counter only grows: query its rate(), not its value.
                """),
        "rules": Texts(
            title: "Prometheus's recording and alerting rules",
            description: """
                Lists Prometheus's rules (`type` "alert", "record" or "any", the default): {"result": [{"group", \
                "name", "type", "query", "health", "state", "labels", "annotations"}, ...]}: what is recorded \
                and what alerts on what.
                """),
        "targets": Texts(
            title: "Prometheus's scrape targets and their health",
            description: """
                Returns the scrape targets of `job` (every job when omitted) whose health is `health` ("up", \
                "down", "unknown" or "any", the default) and whose labels match every matcher of `matchers`: \
                {"result": [{"labels", "scrapePool", "scrapeUrl", "health", "lastError", "lastScrape", ...}, ...]}.
                """),
    ]

    /// What the argument `argument` of `tool` means: said for the tool alone, or for every tool taking it.
    static func describe(_ argument: String, of tool: String) -> String? {
        argumentDescriptions["\(tool).\(argument)"] ?? argumentDescriptions[argument]
    }

    /// What each argument means, by name (`tool.argument` where one tool means something else by it).
    private static let argumentDescriptions: [String: String] = [
        "metric_names.match": "A series selector that narrows the look-up, such as '{job=\"api\"}'.",
        "label_names.match": "A series selector that narrows the look-up, such as '{job=\"api\"}'.",
        "label_values.match": "A series selector that narrows the look-up, such as 'up{job=\"api\"}'.",
        "series.match": "The series selector, such as 'up{job=\"api\"}' or '{__name__=~\"http_.*\"}'.",
        "limit": "The most entries to return.",
        "label": "The label name, such as \"job\" or \"instance\".",
        "metric": "One metric's name; every metric when omitted.",
        "rules.type": "Which rules: alert, record or any.",
        "query": "The PromQL expression, such as 'rate(http_requests_total{code=~\"5..\"}[5m])'.",
        "when": "The evaluation time; now when omitted.",
        "start": "The first evaluation time of the range.",
        "end": "The last evaluation time of the range.",
        "step": "Seconds between two evaluations, or a duration such as \"15s\".",
        "timeout": "How long Prometheus may evaluate, in seconds or as a duration such as \"30s\"; for "
            + "wait_for_threshold, how long to wait in all.",
        "verify_tls": "false skips the check of Prometheus's TLS certificate.",
        "window": "How far back from now, as a duration such as \"1h\" or a time such as \"2 hours ago\".",
        "mean_type": "Which mean: arithmetic, geometric or harmonic.",
        "reduce": "How several series become one value: min, max, mean, sum or count.",
        "on_empty": "The value to use when the query finds no series; without it, no series fails.",
        "operator": "The comparison of the value with the threshold.",
        "threshold": "A number, or [low, high] (inclusive) for between and outside.",
        "match": "With several series and no reduce: whether all or any must meet the condition.",
        "detail": "true returns the values observed beside the verdict.",
        "interval": "Seconds between two checks, or a duration such as \"10s\".",
        "consecutive": "How many checks in a row must meet the condition.",
        "baseline": "The time to compare with.",
        "state": "Which alerts: firing, pending or any.",
        "matchers": "Label matchers that must all hold, each like 'severity=\"critical\"' or 'service=~\"api|web\"'.",
        "job": "The scrape job; every job when omitted.",
        "health": "Which targets: up, down, unknown or any.",
    ]
}

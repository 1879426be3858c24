/// Durations measured for one figure, in nanoseconds, and the order statistics the report quotes.
struct Samples: Sendable {
    private(set) var nanoseconds: [UInt64] = []

    init() {}

    init(_ nanoseconds: [UInt64]) {
        self.nanoseconds = nanoseconds
    }

    mutating func append(_ value: UInt64) {
        nanoseconds.append(value)
    }

    mutating func append(contentsOf other: Samples) {
        nanoseconds += other.nanoseconds
    }

    var count: Int { nanoseconds.count }

    /// The `fraction` quantile (nearest rank) in seconds, or `nil` when nothing was measured.
    func quantile(_ fraction: Double) -> Double? {
        guard !nanoseconds.isEmpty else { return nil }
        let sorted = nanoseconds.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e9
    }

    /// The median, in seconds.
    var median: Double? { quantile(0.5) }

    /// The 90th percentile, in seconds.
    var p90: Double? { quantile(0.9) }
}

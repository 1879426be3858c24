import Foundation
import TestSupport

/// How the report writes numbers: times in the unit that reads best, sizes in megabytes (10^6 bytes), ratios
/// with two decimals.
enum Formatting {
    static func time(_ seconds: Double) -> String {
        switch seconds {
        case ..<0.001: String(format: "%.3f ms", seconds * 1000)
        case ..<0.01: String(format: "%.2f ms", seconds * 1000)
        case ..<1: String(format: "%.1f ms", seconds * 1000)
        default: String(format: "%.2f s", seconds)
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// "`VmRSS` (own …, files …)"
    static func resident(_ memory: ResidentMemory) -> String {
        "\(megabytes(memory.current)) (own \(megabytes(memory.anonymous)), mapped files \(megabytes(memory.fileBacked)))"
    }

    static func ratio(_ value: Double) -> String {
        String(format: "%.2f×", value)
    }

    static func rate(_ perSecond: Double) -> String {
        String(format: "%.0f requests/s", perSecond)
    }

    /// "median …, p90 … (n = …)"
    static func distribution(_ samples: Samples) -> String {
        guard let median = samples.median, let p90 = samples.p90 else { return "no samples" }
        return "median \(time(median)), p90 \(time(p90)) (n = \(samples.count))"
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The kinds of mean `compute_mean` offers.
///
/// NaN samples ("no value", such as 0/0) are left out of every mean. Infinite samples count as IEEE
/// arithmetic says: the arithmetic and geometric means of data holding +Inf are infinite, which JSON cannot
/// carry, so they fail; a harmonic mean treats +Inf as contributing 0 to the sum of reciprocals. The geometric
/// and harmonic means are only defined for positive values: a zero or a negative sample fails.
package enum MeanType: String, CaseIterable, Sendable {
    case arithmetic, geometric, harmonic

    /// Why a mean could not be computed.
    enum Failure: Error, Equatable {
        /// No sample (or only NaN samples).
        case noSamples
        /// A zero or negative sample, for a mean that needs positive values.
        case nonPositive(Double, count: Int)
        /// The mean is not a finite number.
        case nonFinite(Double)
    }

    /// The mean of `samples`, NaN samples left out.
    func mean(of samples: [Double]) throws(Failure) -> Double {
        var running = RunningMean(self)
        for sample in samples { running.add(sample) }
        return try running.mean()
    }
}

/// Neumaier's compensated sum: accurate where a plain running sum loses digits over thousands of samples.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    mutating func add(_ value: Double) {
        let total = sum + value
        if abs(sum) >= abs(value) {
            compensation += (sum - total) + value
        } else {
            compensation += (value - total) + sum
        }
        sum = total
    }

    /// Multiplies the sum by `factor` (a power of two, or a ratio below one, so nothing overflows).
    mutating func scale(by factor: Double) {
        sum *= factor
        compensation *= factor
    }

    var value: Double { sum.isFinite ? sum + compensation : sum }

    /// The compensated sum of `values`.
    static func total(of values: [Double]) -> Double {
        var sum = CompensatedSum()
        for value in values { sum.add(value) }
        return sum.value
    }
}

/// A mean taken one sample at a time, so that a range result of millions of samples is read without keeping
/// them: `compute_mean` holds the answer's text and one of these, never a list of samples as large again.
struct RunningMean {
    let type: MeanType
    /// Every sample added, NaN included.
    private(set) var sampleCount = 0
    /// The samples that count (not NaN).
    private var count = 0
    private var sum = CompensatedSum()
    /// The arithmetic sum scaled down by 2^600: a sum of finite samples can overflow where their mean does not.
    private var scaledSum = CompensatedSum()
    private var sawInfinity = false
    private var firstNonPositive: Double?
    private var nonPositiveCount = 0
    /// The harmonic mean's sum of `smallest / x`, scaled by the smallest sample so far so that the reciprocals
    /// of tiny values cannot overflow.
    private var smallest = Double.infinity

    private static let scale = 0x1p-600

    init(_ type: MeanType) {
        self.type = type
    }

    mutating func add(_ sample: Double) {
        sampleCount += 1
        guard !sample.isNaN else { return }
        count += 1
        switch type {
        case .arithmetic:
            sum.add(sample)
            scaledSum.add(sample * Self.scale)
            if sample.isInfinite { sawInfinity = true }
        case .geometric:
            guard isPositive(sample) else { return }
            sum.add(log(sample))  // exp(mean(log x)) rather than the product, which would overflow or underflow
        case .harmonic:
            guard isPositive(sample), sample.isFinite else { return }  // +Inf adds 1/Inf = 0
            if sample < smallest {
                if smallest.isFinite { sum.scale(by: sample / smallest) }
                smallest = sample
            }
            sum.add(smallest / sample)
        }
    }

    private mutating func isPositive(_ sample: Double) -> Bool {
        guard sample <= 0 else { return true }
        if firstNonPositive == nil { firstNonPositive = sample }
        nonPositiveCount += 1
        return false
    }

    /// The mean of the samples added.
    func mean() throws(MeanType.Failure) -> Double {
        guard count > 0 else { throw .noSamples }
        if let firstNonPositive { throw .nonPositive(firstNonPositive, count: nonPositiveCount) }
        let n = Double(count)
        let result: Double
        switch type {
        case .arithmetic:
            let total = sum.value
            result = total.isFinite || sawInfinity ? total / n : scaledSum.value / n / Self.scale
        case .geometric:
            result = exp(sum.value / n)
        case .harmonic:
            result = smallest * n / sum.value
        }
        guard result.isFinite else { throw .nonFinite(result) }
        return result
    }
}

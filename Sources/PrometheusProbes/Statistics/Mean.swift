import Foundation

/// The kinds of mean `compute_mean` offers.
///
/// NaN samples ("no value", such as 0/0) are left out of every mean. Infinite samples count as IEEE
/// arithmetic says: the arithmetic and geometric means of data holding +Inf are infinite, which JSON cannot
/// carry, so they fail; a harmonic mean treats +Inf as contributing 0 to the sum of reciprocals. The geometric
/// and harmonic means are only defined for positive values: a zero or a negative sample fails.
public enum MeanType: String, CaseIterable, Sendable {
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
        let values = samples.filter { !$0.isNaN }
        guard !values.isEmpty else { throw .noSamples }
        let result: Double
        switch self {
        case .arithmetic:
            let sum = Self.sum(values)
            // A sum of finite samples can overflow where their mean does not: then average the shares.
            result = sum.isFinite || values.contains(where: \.isInfinite)
                ? sum / Double(values.count) : Self.sum(values.map { $0 / Double(values.count) })
        case .geometric:
            try Self.requirePositive(values)
            // exp(mean(log x)) rather than the product, which would overflow or underflow.
            result = exp(Self.sum(values.map { log($0) }) / Double(values.count))
        case .harmonic:
            try Self.requirePositive(values)
            // Scaled by the smallest sample, so the reciprocals of tiny values cannot overflow.
            let smallest = values.min()!
            result = smallest * Double(values.count) / Self.sum(values.map { smallest / $0 })
        }
        guard result.isFinite else { throw .nonFinite(result) }
        return result
    }

    private static func requirePositive(_ values: [Double]) throws(Failure) {
        let nonPositive = values.filter { $0 <= 0 }
        if let first = nonPositive.first { throw .nonPositive(first, count: nonPositive.count) }
    }

    /// Neumaier's compensated sum: accurate where a plain running sum loses digits over thousands of samples.
    static func sum(_ values: [Double]) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for value in values {
            let total = sum + value
            if abs(sum) >= abs(value) {
                compensation += (sum - total) + value
            } else {
                compensation += (value - total) + sum
            }
            sum = total
        }
        return sum.isFinite ? sum + compensation : sum
    }
}

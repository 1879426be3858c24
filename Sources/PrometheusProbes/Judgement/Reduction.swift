/// How several series become one value: the `reduce` argument.
package enum Reduction: String, CaseIterable, Sendable {
    case min, max, mean, sum, count

    /// The reduction of `values` (NaN already left out, at least one value).
    func reduce(_ values: [Double]) -> Double {
        switch self {
        case .min: values.min() ?? .nan
        case .max: values.max() ?? .nan
        case .mean: (try? MeanType.arithmetic.mean(of: values)) ?? .nan
        case .sum: CompensatedSum.total(of: values)
        case .count: Double(values.count)
        }
    }
}

/// A measurement that could not be carried out; the report shows its message in place of the figure.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

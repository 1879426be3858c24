import Testing

@testable import PrometheusProbes

@Suite("Means of samples")
struct MeanTests {
    @Test(arguments: [
        ("1", 1.0), ("0.5", 0.5), ("-2.5e3", -2500), ("+Inf", .infinity), ("-Inf", -.infinity), ("1e-3", 0.001),
    ])
    func readsSampleValuesAsPrometheusWritesThem(_ text: String, _ value: Double) {
        #expect(SampleValue.parse(text) == value)
    }

    @Test func readsNaN() {
        #expect(SampleValue.parse("NaN")?.isNaN == true)
    }

    @Test(arguments: ["", "0x10", "nan", "inf", "one", "1,5", " 1"])
    func refusesWhatPrometheusNeverWrites(_ text: String) {
        #expect(SampleValue.parse(text) == nil)
    }

    /// compute_mean reads samples from the bytes of the answer, the other probes from its strings: both must
    /// agree on every text, out-of-range and malformed ones included.
    @Test func readsTheSameFromBytesAsFromText() {
        let texts = [
            "1", "0.5", "-2.5e3", "+Inf", "-Inf", "NaN", "1e-3", "1e400", "1e-400", "-1e400", "1e", ".", "+", "-",
            "1_0", "007", "1.", ".5", "1e+5", "1E5", "--1", "1e5e", "0x10", "nan", "",
            "9" + String(repeating: "9", count: 80),
        ]
        for text in texts {
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { SampleValue.parse($0) }
            let fromText = SampleValue.parse(text)
            #expect(
                fromBytes == fromText || (fromBytes?.isNaN == true && fromText?.isNaN == true),
                "\(text): \(String(describing: fromBytes)) from bytes, \(String(describing: fromText)) from text")
        }
    }

    @Test func computesEachMean() throws {
        let values = [1.0, 2, 4]
        #expect(try MeanType.arithmetic.mean(of: values) == 7.0 / 3)
        #expect(abs(try MeanType.geometric.mean(of: values) - 2) < 1e-12)
        #expect(abs(try MeanType.harmonic.mean(of: values) - 3 / 1.75) < 1e-12)
    }

    @Test func leavesNaNOutOfEveryMean() throws {
        for meanType in MeanType.allCases {
            #expect(abs(try meanType.mean(of: [.nan, 3, 3, .nan]) - 3) < 1e-12)
        }
        #expect(throws: MeanType.Failure.noSamples) { try MeanType.arithmetic.mean(of: [.nan]) }
        #expect(throws: MeanType.Failure.noSamples) { try MeanType.arithmetic.mean(of: []) }
    }

    @Test func refusesNonPositiveValuesForGeometricAndHarmonicMeans() throws {
        #expect(throws: MeanType.Failure.nonPositive(0, count: 1)) { try MeanType.geometric.mean(of: [1, 0]) }
        #expect(throws: MeanType.Failure.nonPositive(-1, count: 2)) { try MeanType.harmonic.mean(of: [-1, 2, -3]) }
    }

    @Test func refusesAMeanThatIsNotFinite() throws {
        #expect(throws: MeanType.Failure.nonFinite(.infinity)) { try MeanType.arithmetic.mean(of: [1, .infinity]) }
        #expect(throws: MeanType.Failure.nonFinite(.infinity)) { try MeanType.geometric.mean(of: [1, .infinity]) }
        #expect(try MeanType.harmonic.mean(of: [1, .infinity]) == 2)
    }

    @Test func staysAccurateOverManySamples() throws {
        let values = [1e16] + Array(repeating: 1.0, count: 10_000) + [-1e16]
        #expect(try MeanType.arithmetic.mean(of: values) == 10_000.0 / 10_002)
    }

    @Test func geometricMeanOfLargeValuesDoesNotOverflow() throws {
        #expect(abs(try MeanType.geometric.mean(of: Array(repeating: 1e300, count: 10)) / 1e300 - 1) < 1e-9)
    }

    @Test func anArithmeticMeanOfHugeValuesDoesNotOverflow() throws {
        #expect(try MeanType.arithmetic.mean(of: [1e308, 1e308]) == 1e308)
    }

    @Test func aHarmonicMeanOfTinyValuesDoesNotOverflow() throws {
        let tiny = Double.leastNormalMagnitude / 1024  // subnormal: its reciprocal overflows
        let mean = try MeanType.harmonic.mean(of: [tiny, 1])
        #expect(mean > 0)
        #expect(abs(mean / (2 * tiny) - 1) < 1e-3)
    }
}

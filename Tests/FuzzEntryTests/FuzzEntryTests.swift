import Foundation
import Testing

@testable import FuzzEntry

@Suite("The fuzz targets' shared entry")
struct FuzzEntryTests {
    /// The check once sat in `Locked` as a bare function value, re-wrapped in thunks on every read: each input ran
    /// through the thunks of all those before it, and a 30 s run of the activity fuzzer ended in a timeout.
    @Test func aThousandInputsRunTheCheckThroughTheSameNumberOfFrames() {
        let depths = DepthRecorder()
        FuzzEntry.install { _ in depths.record() }
        for _ in 0..<1_000 { FuzzEntry.run([]) }
        #expect(depths.values.count == 1_000)
        let first = depths.values.first ?? 0
        let deepest = depths.values.max() ?? 0
        #expect(deepest == first, "the check ran \(deepest - first) frames deeper after 1,000 inputs")
    }
}

/// How many frames deep each run of the check found itself: counted from the return addresses on the real stack
/// (an address of a local would not do: the address sanitizer moves locals to frames of its own).
private final class DepthRecorder: @unchecked Sendable {
    private(set) var values: [Int] = []

    @inline(never)
    func record() {
        values.append(Thread.callStackReturnAddresses.count)
    }
}

import Testing

@testable import FuzzEntry

@Suite("The fuzz targets' shared entry")
struct FuzzEntryTests {
    /// The check once sat in `Locked` as a bare function value, re-wrapped in thunks on every read: each input ran
    /// through the thunks of all those before it, and a 30 s run of the activity fuzzer ended in a timeout.
    @Test func aThousandInputsRunTheCheckAtTheSameStackDepth() {
        let depths = DepthRecorder()
        FuzzEntry.install { _ in depths.record() }
        for _ in 0..<1_000 { FuzzEntry.run([]) }
        #expect(depths.values.count == 1_000)
        let first = depths.values.first ?? 0
        let deepest = depths.values.min() ?? 0  // the stack grows down
        #expect(first - deepest < 4_096, "the check ran \(first - deepest) bytes deeper after 1,000 inputs")
    }
}

/// Where on the stack each run of the check found itself.
private final class DepthRecorder: @unchecked Sendable {
    private(set) var values: [UInt] = []

    @inline(never)
    func record() {
        var marker = 0
        values.append(withUnsafePointer(to: &marker) { UInt(bitPattern: $0) })
    }
}

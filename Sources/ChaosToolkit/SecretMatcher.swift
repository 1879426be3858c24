/// Finds every occurrence of any of a set of byte patterns in one pass, comparing ASCII letters without regard to
/// case: an Aho–Corasick automaton whose scan costs one table step per byte however many patterns there are.
///
/// Bytes are grouped in classes (each byte the patterns use, folded, is a class; every other byte is class 0), so
/// the table has a row per state of only as many entries as the patterns use bytes: a few kilobytes for a token,
/// a few megabytes for a PEM key.
struct SecretMatcher: Sendable {
    /// The class of each byte.
    private let classes: [Int32]
    /// How many classes there are.
    private let classCount: Int
    /// `transitions[state * classCount + class]`: the next state, failure links already followed.
    private let transitions: [Int32]
    /// The length of the longest pattern that ends in each state (0 for none).
    private let longestMatch: [Int32]

    /// The state a scan starts in, and goes back to where a match may not continue.
    static let start: Int32 = 0

    /// A matcher of `patterns` (empty ones ignored).
    init(_ patterns: [[UInt8]]) {
        var children: [[UInt8: Int32]] = [[:]]
        var longest: [Int32] = [0]
        for pattern in patterns where !pattern.isEmpty {
            var state: Int32 = 0
            for byte in pattern {
                let folded = Self.fold(byte)
                if let child = children[Int(state)][folded] {
                    state = child
                } else {
                    children.append([:])
                    longest.append(0)
                    let child = Int32(children.count - 1)
                    children[Int(state)][folded] = child
                    state = child
                }
            }
            longest[Int(state)] = max(longest[Int(state)], Int32(pattern.count))
        }
        var classes = [Int32](repeating: 0, count: 256)
        var classCount: Int32 = 1
        for pattern in patterns {
            for byte in pattern where classes[Int(Self.fold(byte))] == 0 {
                classes[Int(Self.fold(byte))] = classCount
                classCount += 1
            }
        }
        for byte in 0..<256 { classes[byte] = classes[Int(Self.fold(UInt8(byte)))] }
        let width = Int(classCount)
        // Children keyed by class, each queued once though two bytes (a, A) lead to it. Breadth first: a state's
        // failure link is the longest proper suffix that is also a prefix, whose row is already complete.
        let byClass: [[Int32: Int32]] = children.map { row in
            var mapped: [Int32: Int32] = [:]
            for (byte, child) in row { mapped[classes[Int(byte)]] = child }
            return mapped
        }
        var transitions = [Int32](repeating: 0, count: children.count * width)
        var failure = [Int32](repeating: 0, count: children.count)
        var queue: [Int32] = Array(byClass[0].values)
        for (byteClass, child) in byClass[0] { transitions[Int(byteClass)] = child }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fallback = Int(failure[Int(state)])
            longest[Int(state)] = max(longest[Int(state)], longest[fallback])
            for byteClass in 0..<width {
                if let child = byClass[Int(state)][Int32(byteClass)] {
                    failure[Int(child)] = transitions[fallback * width + byteClass]
                    transitions[Int(state) * width + byteClass] = child
                    queue.append(child)
                } else {
                    transitions[Int(state) * width + byteClass] = transitions[fallback * width + byteClass]
                }
            }
        }
        self.classes = classes
        self.classCount = width
        self.transitions = transitions
        self.longestMatch = longest
    }

    /// Whether there is no pattern at all.
    var isEmpty: Bool { longestMatch.count == 1 }

    /// The state after `byte`.
    @inline(__always)
    func step(_ state: Int32, _ byte: UInt8) -> Int32 {
        transitions[Int(state) * classCount + Int(classes[Int(byte)])]
    }

    /// The length of the longest pattern that ends where `state` was reached, 0 when none does.
    @inline(__always)
    func matchLength(at state: Int32) -> Int {
        Int(longestMatch[Int(state)])
    }

    /// Whether any pattern occurs in `bytes`.
    func occurs(in bytes: some Sequence<UInt8>) -> Bool {
        var state = Self.start
        for byte in bytes {
            state = step(state, byte)
            if matchLength(at: state) > 0 { return true }
        }
        return false
    }

    /// ASCII letters to lower case; every other byte as it is.
    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}

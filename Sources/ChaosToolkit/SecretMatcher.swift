/// Finds every occurrence of any of a set of byte patterns in one pass, comparing ASCII letters without regard to
/// case: an Aho–Corasick automaton, built once per call, whose scan costs one table step per byte however many
/// patterns there are.
struct SecretMatcher: Sendable {
    /// `transitions[state * 256 + byte]`: the next state, failure links already followed.
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
        // Breadth first: each state's failure link is the longest proper suffix that is also a prefix.
        var transitions = [Int32](repeating: 0, count: children.count * 256)
        var failure = [Int32](repeating: 0, count: children.count)
        // Children are keyed by folded byte, so each is queued once though two bytes (a, A) lead to it.
        var queue: [Int32] = Array(children[0].values)
        for byte in 0..<256 {
            transitions[byte] = children[0][Self.fold(UInt8(byte))] ?? 0
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fallback = Int(failure[Int(state)])
            longest[Int(state)] = max(longest[Int(state)], longest[fallback])
            for (folded, child) in children[Int(state)] {
                failure[Int(child)] = transitions[fallback * 256 + Int(folded)]
                queue.append(child)
            }
            for byte in 0..<256 {
                transitions[Int(state) * 256 + byte] =
                    children[Int(state)][Self.fold(UInt8(byte))] ?? transitions[fallback * 256 + byte]
            }
        }
        self.transitions = transitions
        self.longestMatch = longest
    }

    /// Whether there is no pattern at all.
    var isEmpty: Bool { longestMatch.count == 1 }

    /// The state after `byte`.
    @inline(__always)
    func step(_ state: Int32, _ byte: UInt8) -> Int32 {
        transitions[Int(state) * 256 + Int(byte)]
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

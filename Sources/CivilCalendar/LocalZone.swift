import FileContents

#if canImport(Glibc)
import Glibc
#endif

/// A time zone: the offset from UTC at each instant, and wall-clock times read back into instants.
///
/// ``current`` is the process's own zone as glibc has it (`TZ` in any of its forms, or `/etc/localtime`), asked
/// with `localtime_r`, which never changes the environment. A zone by name reads its rules from the system's
/// time zone database (`/usr/share/zoneinfo`, TZif files, RFC 8536); past the file's last transition (2037 in
/// Debian's files) the last offset holds.
package struct LocalZone: Sendable {
    private enum Rules: Sendable {
        case process
        case fixed(Int)
        case database(ZoneTransitions)
    }

    private let rules: Rules

    /// The process's zone.
    package static let current = LocalZone(rules: .process)
    /// Coordinated Universal Time.
    package static let utc = LocalZone(rules: .fixed(0))

    private init(rules: Rules) {
        self.rules = rules
    }

    /// The zone named `identifier` (`UTC`, `Europe/Paris`), or `nil` when the database has no such zone.
    package init?(identifier: String) {
        if identifier == "UTC" || identifier == "GMT" || identifier == "Etc/UTC" {
            rules = .fixed(0)
            return
        }
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.split(separator: "/").contains(".."),
            let transitions = ZoneTransitions(path: "/usr/share/zoneinfo/" + identifier)
        else { return nil }
        rules = .database(transitions)
    }

    /// Seconds east of UTC at `time`.
    package func secondsFromGMT(at time: UnixTime) -> Int {
        switch rules {
        case .fixed(let offset):
            return offset
        case .database(let transitions):
            return transitions.offset(at: Int64(Int(clamping: time.secondsSince1970.rounded(.down))))
        case .process:
            var seconds = time_t(Int(clamping: time.secondsSince1970.rounded(.down)))
            var broken = tm()
            guard localtime_r(&seconds, &broken) != nil else { return 0 }
            return broken.tm_gmtoff
        }
    }

    /// The instant whose wall clock in this zone reads `wallClock` (seconds since 1970-01-01T00:00 of the wall
    /// clock). A wall-clock time that a change skips is read with the offset before the change, so it comes out as
    /// the same time after it (02:30 as 03:30); one that happens twice is its later occurrence. Each of the offsets
    /// a day either side is tried, and kept when it is the offset at the instant it gives, in both hemispheres:
    /// settling from a guess made at the wall clock read as UTC landed on the wrong side west of Greenwich.
    package func time(atWallClock wallClock: Double) -> UnixTime {
        let before = Double(secondsFromGMT(at: UnixTime(secondsSince1970: wallClock - 86_400)))
        let after = Double(secondsFromGMT(at: UnixTime(secondsSince1970: wallClock + 86_400)))
        let candidates = [wallClock - before, wallClock - after].filter { instant in
            Double(secondsFromGMT(at: UnixTime(secondsSince1970: instant))) == wallClock - instant
        }
        // Two: the time happens twice, and the later is taken. None: the change skips it.
        return UnixTime(secondsSince1970: candidates.max() ?? wallClock - before)
    }

    /// The wall clock of `time` in this zone, as seconds since 1970-01-01T00:00 of the wall clock.
    package func wallClock(at time: UnixTime) -> Double {
        time.secondsSince1970 + Double(secondsFromGMT(at: time))
    }
}

/// The transitions of a zone from its TZif file: the instants the offset changes, and the offset from each on.
///
/// A class, so that the enum holding it stores a plain pointer: as a struct of two arrays, Swift kept the enum's
/// case in spare bits of the second array's pointer, where the leak sanitizer could not recognise it and reported
/// the array as leaked.
final class ZoneTransitions: Sendable {
    /// Transition instants, ascending.
    let instants: [Int64]
    /// The offset from each transition on.
    let offsets: [Int]
    /// The offset before the first transition: the file's first local time type, as RFC 8536 says.
    let initialOffset: Int

    func offset(at second: Int64) -> Int {
        // The last transition at or before `second`, by binary search.
        var low = 0
        var high = instants.count
        while low < high {
            let middle = (low + high) / 2
            if instants[middle] <= second { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// Reads the TZif file at `path`; `nil` when it is not one.
    init?(path: String) {
        // A regular file of at most 1 MiB: a TZif file is a few kilobytes.
        guard case .success(let bytes) = FileContents.read(path, largest: 1 << 20, regularFileOnly: true),
            bytes.count >= 44, bytes.starts(with: Array("TZif".utf8))
        else {
            return nil
        }
        var reader = Reader(bytes: bytes, offset: 0)
        guard let first = reader.header() else { return nil }
        var timeSize = 4
        if bytes[4] >= UInt8(ascii: "2") {
            // Version 2 and later repeat the data with 64-bit times after the version 1 block: read those.
            reader.offset +=
                first.timeCount * 5 + first.typeCount * 6 + first.characterCount + first.leapCount * 8
                + first.standardCount + first.universalCount
            timeSize = 8
        }
        guard let counts = timeSize == 8 ? reader.header() : first, counts.typeCount > 0 else { return nil }
        var instants: [Int64] = []
        for _ in 0..<counts.timeCount {
            guard let instant = reader.signed(size: timeSize) else { return nil }
            instants.append(instant)
        }
        var indices: [Int] = []
        for _ in 0..<counts.timeCount {
            guard let index = reader.signed(size: 1).map({ Int(UInt8(truncatingIfNeeded: $0)) }) else { return nil }
            indices.append(index)
        }
        var typeOffsets: [Int] = []
        for _ in 0..<counts.typeCount {
            guard let offset = reader.signed(size: 4), reader.skip(2) else { return nil }
            typeOffsets.append(Int(offset))
        }
        guard indices.allSatisfy({ $0 < typeOffsets.count }) else { return nil }
        self.instants = instants
        offsets = indices.map { typeOffsets[$0] }
        initialOffset = typeOffsets[0]
    }

    private struct Counts {
        let universalCount, standardCount, leapCount, timeCount, typeCount, characterCount: Int
    }

    /// Big-endian fields of a TZif file, read without running past its end.
    private struct Reader {
        let bytes: [UInt8]
        var offset: Int

        mutating func header() -> Counts? {
            guard offset + 44 <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual("TZif".utf8) else {
                return nil
            }
            offset += 20
            var values: [Int] = []
            for _ in 0..<6 {
                guard let value = signed(size: 4), value >= 0 else { return nil }
                values.append(Int(value))
            }
            return Counts(
                universalCount: values[0], standardCount: values[1], leapCount: values[2], timeCount: values[3],
                typeCount: values[4], characterCount: values[5])
        }

        mutating func signed(size: Int) -> Int64? {
            guard offset + size <= bytes.count else { return nil }
            var value: UInt64 = 0
            for byte in bytes[offset..<(offset + size)] { value = value << 8 | UInt64(byte) }
            offset += size
            let shift = UInt64(64 - size * 8)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }

        mutating func skip(_ count: Int) -> Bool {
            guard offset + count <= bytes.count else { return false }
            offset += count
            return true
        }
    }
}

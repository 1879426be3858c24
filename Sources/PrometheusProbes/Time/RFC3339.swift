import CivilCalendar

/// Writes instants as Prometheus receives them: RFC 3339 in UTC with milliseconds.
package enum RFC3339 {
    /// `2026-11-25T13:15:49.123Z`, rounded to the millisecond (Prometheus's resolution).
    package static func format(_ time: UnixTime) -> String {
        let milliseconds = Int64(Int(clamping: (time.secondsSince1970 * 1000).rounded()))
        let (days, millisecondOfDay) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = CivilCalendar.date(daysSince1970: Int(days))
        let secondOfDay = millisecondOfDay / 1000
        return "\(padded(Int64(year), 4))-\(padded(Int64(month), 2))-\(padded(Int64(day), 2))T"
            + "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
            + ".\(padded(millisecondOfDay % 1000, 3))Z"
    }

    /// `value` in decimal, zero-padded to `width` characters, the sign included (as `%04lld` writes it).
    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// A time of day as people write it: `10:00`, `10:00:30`, `10:00:30.5`, `10am`, `3:30 pm`, `10.30`, `noon`,
/// `midnight`, `12 noon`, each with an optional `at` before it.
struct TimeOfDay {
    /// Seconds since midnight on the wall clock.
    let seconds: Double

    private init(hour: Int, minute: Int = 0, second: Double = 0) {
        seconds = Double(hour * 3600 + minute * 60) + second
    }

    /// The time of day that all of `tokens` is, or `nil`. Hours run 0 to 23, or 1 to 12 before `am`/`pm`
    /// (`12am` is midnight, `12pm` noon); minutes and seconds take two digits each.
    static func read(_ tokens: ArraySlice<TimeToken>) -> TimeOfDay? {
        var tokens = tokens
        if tokens.first?.isWord("at") == true { tokens.removeFirst() }
        switch Array(tokens) {
        case [.word("noon")], [.number("12"), .word("noon")]: return TimeOfDay(hour: 12)
        case [.word("midnight")]: return TimeOfDay(hour: 0)
        default: break
        }
        var meridiem: Int?  // hours to add after `am` (0) or `pm` (12)
        switch tokens.last {
        case .word("am")?: meridiem = 0
        case .word("pm")?: meridiem = 12
        default: break
        }
        if meridiem != nil { tokens.removeLast() }
        guard case .number(let first)? = tokens.popFirst() else { return nil }
        var hour: Int
        var (minute, second) = (0, 0.0)
        if let point = first.firstIndex(of: ".") {
            // `10.30`: hours and minutes, as dateparser reads them.
            guard tokens.isEmpty, let hours = Int(first[..<point]), first[..<point].count <= 2,
                let minutes = twoDigits(first[first.index(after: point)...]), minutes < 60
            else { return nil }
            (hour, minute) = (hours, minutes)
        } else {
            guard first.count <= 2, let hours = Int(first) else { return nil }
            hour = hours
            if !tokens.isEmpty {
                guard tokens.popFirst() == .colon, case .number(let minutes)? = tokens.popFirst(),
                    let minutesValue = twoDigits(minutes), minutesValue < 60
                else { return nil }
                minute = minutesValue
                if !tokens.isEmpty {
                    guard tokens.popFirst() == .colon, case .number(let seconds)? = tokens.popFirst(), tokens.isEmpty,
                        let secondsValue = Self.seconds(seconds)
                    else { return nil }
                    second = secondsValue
                }
            } else if meridiem == nil {
                return nil  // a bare `10` is not a time of day
            }
        }
        if let meridiem {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + meridiem
        }
        guard hour < 24 else { return nil }
        return TimeOfDay(hour: hour, minute: minute, second: second)
    }

    private static func twoDigits(_ text: Substring) -> Int? {
        text.count == 2 && text.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(text) : nil
    }

    /// `30` or `30.5`: two digits below 60, with an optional fraction.
    private static func seconds(_ text: Substring) -> Double? {
        let whole = text.prefix { $0 != "." }
        guard let value = twoDigits(whole), value < 60, text.last != "." else { return nil }
        return Double(text)
    }
}

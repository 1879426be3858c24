import CivilCalendar

/// The relative forms of a time expression: `now`, `yesterday`, `5 minutes ago`, `in 1h`, `now-5m`, `1d`.
enum RelativeTime {
    /// A span of time made of exact seconds and calendar units, as written in one expression.
    struct Span {
        var seconds: Double = 0
        var days: Double = 0
        var months = 0
        var years = 0

        /// The instant this span before (`sign` -1) or after (`sign` +1) `date`.
        func applied(to time: UnixTime, sign: Double, zone: LocalZone) -> UnixTime? {
            let wholeDays = days.rounded(.towardZero)
            let calendarTime = CivilCalendar.adding(
                years: years * Int(sign), months: months * Int(sign), days: Int(wholeDays) * Int(sign), to: time, in: zone)
            let exactSeconds = seconds + (days - wholeDays) * 86_400
            return calendarTime.adding(seconds: sign * exactSeconds)
        }
    }

    private static let maximumAmount: Double = 1e13

    static func parse(_ text: String, now: UnixTime, zone: LocalZone) -> UnixTime? {
        guard let tokens = Token.split(text), let first = tokens.first else { return nil }
        switch tokens {
        case [.word("now")], [.word("today")]: return now
        case [.word("yesterday")]: return Span(days: 1).applied(to: now, sign: -1, zone: zone)
        case [.word("tomorrow")]: return Span(days: 1).applied(to: now, sign: 1, zone: zone)
        default: break
        }
        if first == .word("now"), tokens.count > 2, case .sign(let sign) = tokens[1] {
            return span(tokens.dropFirst(2))?.applied(to: now, sign: sign, zone: zone)
        }
        if first == .word("in") {
            return span(tokens.dropFirst())?.applied(to: now, sign: 1, zone: zone)
        }
        if tokens.last == .word("ago") {
            return span(tokens.dropLast())?.applied(to: now, sign: -1, zone: zone)
        }
        return span(tokens[...])?.applied(to: now, sign: -1, zone: zone)
    }

    /// Reads one or more `amount unit` terms, separated by nothing, commas (dropped by the tokenizer) or `and`.
    private static func span(_ tokens: ArraySlice<Token>) -> Span? {
        var tokens = tokens
        var span = Span()
        var terms = 0
        while !tokens.isEmpty {
            if terms > 0, tokens.first == .word("and") { tokens.removeFirst() }
            guard tokens.count >= 2, case let amountToken = tokens.removeFirst(), let amount = amount(amountToken),
                case .word(let unitWord) = tokens.removeFirst(), let unit = TimeUnit(word: unitWord)
            else { return nil }
            guard amount <= maximumAmount else { return nil }
            switch unit {
            case .month, .year:
                // Calendar units take whole amounts, written without a decimal point.
                if case .number(let text) = amountToken, text.contains(".") { return nil }
                if unit == .month { span.months += Int(amount) } else { span.years += Int(amount) }
            case .day: span.days += amount
            case .week: span.days += amount * 7
            default: span.seconds += amount * unit.seconds!
            }
            terms += 1
            // Checked at every term, so no number of terms can overflow a sum.
            guard span.years <= 10_000, span.months <= 120_000, span.days <= 4_000_000 else { return nil }
        }
        guard terms > 0 else { return nil }
        return span
    }

    private static let numberWords = [
        "a": 1.0, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10,
    ]

    private static func amount(_ token: Token) -> Double? {
        switch token {
        case .number(let text): Double(text)
        case .word(let word): numberWords[word]
        case .sign: nil
        }
    }

    /// The pieces of a relative expression: runs of digits, runs of letters, and `+`/`-`.
    enum Token: Equatable {
        case number(String)
        case word(String)
        case sign(Double)

        /// Splits `text`; white space and commas separate tokens, anything else unexpected fails.
        static func split(_ text: String) -> [Token]? {
            var tokens: [Token] = []
            var characters = Substring(text)
            while let character = characters.first {
                if character == " " || character == "\t" || character == "," {
                    characters.removeFirst()
                } else if character == "+" || character == "-" {
                    tokens.append(.sign(character == "+" ? 1 : -1))
                    characters.removeFirst()
                } else if character.isASCII && character.isNumber || character == "." {
                    let run = characters.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
                    guard run.filter({ $0 == "." }).count <= 1, run != "." else { return nil }
                    tokens.append(.number(String(run)))
                    characters.removeFirst(run.count)
                } else if character.isASCII && character.isLetter {
                    let run = characters.prefix { $0.isASCII && $0.isLetter }
                    tokens.append(.word(String(run)))
                    characters.removeFirst(run.count)
                } else {
                    return nil
                }
            }
            return tokens
        }
    }
}

extension RelativeTime.Span {
    init(days: Double) {
        self.init()
        self.days = days
    }
}

/// The pieces a spoken time is made of: runs of digits, runs of letters, `+`/`-` and `:`.
enum TimeToken: Equatable {
    /// Digits, with at most one decimal point inside: `5`, `1.5`, `00`, `10.30`.
    case number(Substring)
    /// Letters: `minutes`, `ago`, `nov`, `pm`, `th` (the ordinal ending of `25th`).
    case word(Substring)
    /// `+` (1) or `-` (-1): a sign, or the separator of `25-nov-2026`.
    case sign(Double)
    /// The separator of `10:30`.
    case colon

    /// Splits lower-cased `text`; white space and commas only separate tokens, and any other character fails.
    static func split(_ text: String) -> [TimeToken]? {
        var tokens: [TimeToken] = []
        var characters = Substring(text)
        while let character = characters.first {
            let run: Substring
            switch character {
            case " ", "\t", ",":
                characters.removeFirst()
                continue
            case "+", "-":
                tokens.append(.sign(character == "+" ? 1 : -1))
                run = characters.prefix(1)
            case ":":
                tokens.append(.colon)
                run = characters.prefix(1)
            case _ where character.isASCII && character.isNumber || character == ".":
                run = characters.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
                guard run.filter({ $0 == "." }).count <= 1, run != "." else { return nil }
                tokens.append(.number(run))
            case _ where character.isASCII && character.isLetter:
                run = characters.prefix { $0.isASCII && $0.isLetter }
                tokens.append(.word(run))
            default:
                return nil
            }
            characters.removeFirst(run.count)
        }
        return tokens
    }

    /// The digits of a number token without a decimal point, when it has `count` of them (any count if `nil`).
    func integer(digits count: ClosedRange<Int>) -> Int? {
        guard case .number(let text) = self, count.contains(text.count), !text.contains(".") else { return nil }
        return Int(text)
    }

    /// The letters of a word token.
    var word: Substring? {
        if case .word(let text) = self { return text }
        return nil
    }

    /// Whether this is the word `word`.
    func isWord(_ word: String) -> Bool {
        if case .word(let text) = self { return text == word }
        return false
    }
}

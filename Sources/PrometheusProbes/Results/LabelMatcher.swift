import ChaosToolkit
import JSON

/// A PromQL label matcher, `name="value"`, `name!="value"`, `name=~"regex"` or `name!~"regex"`, applied to
/// the labels of alerts and targets. A regular expression must match the whole value, as in PromQL; a label
/// that is absent has the empty value, as in PromQL.
struct LabelMatcher {
    enum Kind: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case doesNotMatch = "!~"
    }

    let name: String
    let kind: Kind
    let value: String
    /// The compiled expression of `=~` and `!~`; matched against whole values, code point by code point (as
    /// Prometheus's RE2 does, where Swift's default would take a character to be a grapheme cluster).
    private let pattern: Regex<AnyRegexOutput>?

    /// Reads `text`, such as `severity=~"critical|page"` (double or single quotes).
    init(_ text: String) throws(FailedActivity) {
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        let nameEnd = trimmed.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? trimmed.endIndex
        let name = String(trimmed[..<nameEnd])
        var rest = trimmed[nameEnd...].drop { $0 == " " }
        let kind: Kind
        if rest.hasPrefix("=~") {
            kind = .matches
        } else if rest.hasPrefix("!~") {
            kind = .doesNotMatch
        } else if rest.hasPrefix("!=") {
            kind = .notEqual
        } else if rest.hasPrefix("=") {
            kind = .equal
        } else {
            throw Self.invalid(text)
        }
        rest = rest.dropFirst(kind.rawValue.count).drop { $0 == " " }
        guard !name.isEmpty, name.first.map({ !$0.isNumber }) == true, let quote = rest.first,
            quote == "\"" || quote == "'",
            rest.count >= 2, rest.last == quote
        else { throw Self.invalid(text) }
        var value = ""
        var escaped = false
        for character in rest.dropFirst().dropLast() {
            if escaped {
                value.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                value.append(character)
            }
        }
        self.name = name
        self.kind = kind
        self.value = value
        if kind == .matches || kind == .doesNotMatch {
            guard let expression = try? Regex("(?:\(value))") else {
                throw FailedActivity(
                    "label matcher '\(text)' holds a regular expression that does not compile",
                    reason: .invalidArgument,
                    detail: ["argument": "matchers"])
            }
            pattern = expression.matchingSemantics(.unicodeScalar)
        } else {
            pattern = nil
        }
    }

    /// Whether `labels` satisfy the matcher.
    func matches(_ labels: JSONObject) -> Bool {
        let actual = labels[name]?.stringValue ?? ""
        switch kind {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches: return wholeMatch(actual)
        case .doesNotMatch: return !wholeMatch(actual)
        }
    }

    private func wholeMatch(_ text: String) -> Bool {
        guard let pattern else { return false }
        return (try? pattern.wholeMatch(in: text)) != nil
    }

    private static func invalid(_ text: String) -> FailedActivity {
        FailedActivity(
            "'\(text)' is not a label matcher such as job=\"api\", severity!=\"info\", or instance=~\"web-.*\"",
            reason: .invalidArgument, detail: ["argument": "matchers"])
    }
}

extension ActivityCall {
    /// The `matchers` argument, read.
    func labelMatchers() throws(FailedActivity) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for item in arguments[.matchers].arrayValue ?? [] {
            guard let text = item.stringValue else {
                throw FailedActivity(
                    "argument 'matchers' must be a list of strings such as [\"severity=\\\"critical\\\"\"], not \(arguments[.matchers].serializedString())",
                    reason: .invalidArgument, detail: ["argument": "matchers"])
            }
            matchers.append(try LabelMatcher(text))
        }
        return matchers
    }
}

import JSON

/// The configuration or the secrets of one call: a flat mapping whose values the host may have left as
/// environment references, `{"type": "env", "key": "VAR", "default": ...}`, as an experiment writes them.
///
/// A value is resolved when it is read, from the plugin's own environment, the way chaoslib resolves it: the
/// variable's text, or `default` when the variable is not set, or the Chaos Toolkit's own error when it has
/// neither. A configuration reference may convert the text with `env_var_type` (`str`, `int`, `float`,
/// `bool` or `json`). Keys nobody reads are never resolved, so an unrelated reference cannot fail a probe.
package struct ActivityMapping: Sendable {
    /// Which of the two mappings this is; the messages of the Chaos Toolkit differ between them.
    package enum Kind: Sendable {
        case configuration
        case secrets
    }

    /// The mapping as the host sent it.
    package let values: JSONObject
    package let kind: Kind
    private let environment: [String: String]

    /// A mapping of `kind` whose environment references resolve from `environment`.
    package init(_ values: JSONObject, kind: Kind, environment: [String: String]) {
        self.values = values
        self.kind = kind
        self.environment = environment
    }

    /// The value of `key`, resolved; `nil` when absent or `null`.
    ///
    /// - Throws: ``FailedActivity`` with reason `invalid_configuration` or `invalid_secrets` when `key` is an
    ///   environment reference that cannot be resolved.
    package func value(_ key: String) throws(FailedActivity) -> JSONValue? {
        guard let raw = values[key], raw != .null else { return nil }
        let resolved = try resolve(raw, key: key)
        return resolved == .null ? nil : resolved
    }

    /// The environment variable `key` takes its value from, when the host left it as an `env` reference. A message
    /// about such a value names the variable and never quotes it: the reference may name any variable of the
    /// plugin's environment, and an error that echoed it would read that variable out.
    package func environmentVariable(of key: String) -> String? {
        guard let reference = values[key]?.objectValue, reference["type"]?.stringValue == "env" else { return nil }
        return reference["key"]?.stringValue
    }

    /// `value`, the value of `key`, as a message may show it: quoted, or, when it came from the environment, the
    /// variable's name instead (``environmentVariable(of:)``).
    package func shown(_ key: String, _ value: String) -> String {
        environmentVariable(of: key).map { "the value of environment variable \($0)" } ?? "'\(value)'"
    }

    /// `value`, the value of `key`, as a message may show it: as JSON, or the variable's name when it came from the
    /// environment.
    package func shown(_ key: String, _ value: JSONValue) -> String {
        environmentVariable(of: key).map { "the value of environment variable \($0)" } ?? value.serializedString()
    }

    /// Every text the secrets hold once resolved (the values of nested mappings too), longest first: what
    /// must never be shown. Unresolvable references contribute nothing, since they have no text.
    package var secretTexts: [String] {
        var texts: Set<String> = []
        func collect(_ value: JSONValue) {
            switch value {
            case .string(let text) where text.count >= Redaction.shortestSecret: texts.insert(text)
            case .array(let items): for item in items { collect(item) }
            case .object(let members): for member in members { collect(member.value) }
            default: break
            }
        }
        for (key, raw) in values {
            if let resolved = try? resolve(raw, key: key) { collect(resolved) }
        }
        return texts.sorted { $0.count > $1.count }
    }

    private var noun: String { kind == .configuration ? "configuration" : "secret" }

    private var reason: FailedActivity.Reason { kind == .configuration ? .invalidConfiguration : .invalidSecrets }

    private func resolve(_ raw: JSONValue, key: String) throws(FailedActivity) -> JSONValue {
        guard let reference = raw.objectValue, let type = reference["type"]?.stringValue else { return raw }
        guard type == "env" else {
            throw FailedActivity(
                "\(noun) '\(key)' is a '\(type)' reference, which the host must resolve before the call; the plugin resolves only 'env' references",
                reason: reason, detail: ["key": .string(key)])
        }
        guard let variable = reference["key"]?.stringValue else {
            throw FailedActivity(
                "\(noun) '\(key)' is an 'env' reference without a \"key\" naming the environment variable",
                reason: reason, detail: ["key": .string(key)])
        }
        guard let text = environment[variable] else {
            if let fallback = reference["default"] { return fallback }
            let message =
                kind == .configuration
                ? "Configuration makes reference to an environment key that does not exist: \(variable)"
                : "Secrets make reference to an environment key that does not exist: \(variable)"
            throw FailedActivity(message, reason: reason, detail: ["key": .string(key)])
        }
        guard kind == .configuration, let conversion = reference["env_var_type"]?.stringValue else {
            return .string(text)
        }
        return try convert(text, to: conversion, key: key, variable: variable)
    }

    /// Converts the variable's text as chaoslib's `env_var_type` does.
    private func convert(_ text: String, to type: String, key: String, variable: String) throws(FailedActivity)
        -> JSONValue
    {
        let trimmed = text.trimmingSpaces
        let converted: JSONValue?
        switch type {
        case "str", "string": converted = .string(text)
        case "int", "integer":
            converted = Int(trimmed).map { .number(JSONNumber($0)) }
        case "float", "number":
            converted = Double(trimmed).flatMap(JSONNumber.init).map(JSONValue.number)
        case "bool", "boolean":
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": converted = .bool(true)
            case "false", "0", "no", "off", "": converted = .bool(false)
            default: converted = nil
            }
        case "json": converted = try? JSONValue(parsing: Array(text.utf8))
        default:
            throw FailedActivity(
                "configuration '\(key)' has env_var_type '\(type)'; the types are str, int, float, bool and json",
                reason: reason, detail: ["key": .string(key)])
        }
        guard let converted else {
            throw FailedActivity(
                "configuration '\(key)': environment variable \(variable) is not a valid \(type) (its value is not shown)",
                reason: reason, detail: ["key": .string(key)])
        }
        return converted
    }
}

extension FailedActivity.Reason {
    /// A configuration value is unusable: an unresolvable environment reference, a base URL that is not http
    /// or https, a negative deadline.
    package static let invalidConfiguration = Self(rawValue: "invalid_configuration")
    /// A secret is unusable: an unresolvable environment reference, or a value of the wrong type.
    package static let invalidSecrets = Self(rawValue: "invalid_secrets")
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

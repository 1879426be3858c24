import JSON

/// The arguments of one call, checked against the activity's signature, with defaults filled in.
///
/// Built by ``ActivityDescriptor/bind(_:)``, so every declared argument is present (possibly `null`) and of
/// its declared type: the accessors cannot fail on a value the signature allows.
public struct ActivityArguments: Sendable {
    private let values: [String: JSONValue]

    init(values: [String: JSONValue]) {
        self.values = values
    }

    /// The value of `name`; `.null` for an optional argument without a value.
    public subscript(name: String) -> JSONValue {
        values[name] ?? .null
    }

    /// A string argument, or `nil` when it has no value.
    public func string(_ name: String) -> String? {
        self[name].stringValue
    }

    /// A boolean argument, or `nil` when it has no value.
    public func bool(_ name: String) -> Bool? {
        if case .bool(let flag) = self[name] { return flag }
        return nil
    }
}

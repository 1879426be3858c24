import JSON

/// The activities an extension offers, and how a host finds them.
public struct ActivityCatalogue: Sendable {
    /// The extension's name, as Chaos Toolkit discovery shows it.
    public let extensionName: String
    /// The extension's version.
    public let version: String
    /// What the extension acts upon, such as `prometheus`.
    public let target: String
    /// The activities, in the order discovery lists them.
    public let activities: [Activity]

    public init(extensionName: String, version: String, target: String, activities: [Activity]) {
        self.extensionName = extensionName
        self.version = version
        self.target = target
        self.activities = activities
    }

    /// The activity called `name`, or `module.name` as a Chaos Toolkit python provider names it.
    public func activity(named name: String) -> Activity? {
        activities.first { $0.descriptor.name == name || $0.descriptor.qualifiedName == name }
    }

    /// The discovery document: `{"extension": {...}, "target": ..., "activities": [...]}`, as
    /// `chaos discover` writes it.
    public var discoveryDocument: JSONValue {
        [
            "extension": ["name": .string(extensionName), "version": .string(version)],
            "target": .string(target),
            "activities": .array(activities.map(\.descriptor.discoveryEntry)),
        ]
    }
}

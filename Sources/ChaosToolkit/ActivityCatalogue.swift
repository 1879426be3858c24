import JSON

/// The activities an extension offers, and how a host finds them.
package struct ActivityCatalogue: Sendable {
    /// The extension's name, as Chaos Toolkit discovery shows it.
    package let extensionName: String
    /// The extension's version.
    package let version: String
    /// What the extension acts upon, such as `prometheus`.
    package let target: String
    /// The activities, in the order discovery lists them.
    package let activities: [Activity]

    package init(extensionName: String, version: String, target: String, activities: [Activity]) {
        self.extensionName = extensionName
        self.version = version
        self.target = target
        self.activities = activities
    }

    /// The activity called `name`, or `module.name` as a Chaos Toolkit python provider names it.
    package func activity(named name: String) -> Activity? {
        activities.first { $0.descriptor.name == name || $0.descriptor.qualifiedName == name }
    }

    /// The discovery document: `{"extension": {...}, "target": ..., "activities": [...]}`, as
    /// `chaos discover` writes it.
    package var discoveryDocument: JSONValue {
        [
            "extension": ["name": .string(extensionName), "version": .string(version)],
            "target": .string(target),
            "activities": .array(activities.map(\.descriptor.discoveryEntry)),
        ]
    }
}

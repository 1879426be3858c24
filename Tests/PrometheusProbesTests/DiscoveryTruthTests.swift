import ChaosToolkit
import JSON
import PrometheusProbes
import Testing

/// What discovery says of each argument is true: its default is of its declared type and is accepted, and a value
/// of its declared type is accepted.
@Suite("Discovery tells the truth about arguments")
struct DiscoveryTruthTests {
    static let activities: [Activity] = {
        let environment = ProbeEnvironment(
            client: PrometheusClient(http: http, logger: .disabled), now: { fixedNow }, timeZone: .utc,
            logger: .disabled)
        return PrometheusExtension.probes(environment) + PrometheusExtension.explorationProbes(environment)
    }()

    /// Every (activity, argument) pair.
    static let arguments: [ArgumentCase] = activities.flatMap { activity in
        activity.descriptor.arguments.map { ArgumentCase(activity: activity.descriptor.name, argument: $0) }
    }

    struct ArgumentCase: Sendable, CustomTestStringConvertible {
        let activity: String
        let argument: ActivityArgument
        var testDescription: String { "\(activity).\(argument.name)" }
    }

    /// Whether `value` is of the Chaos Toolkit type `name`.
    static func value(_ value: JSONValue, isOf name: String) -> Bool {
        switch name {
        case "string": value.stringValue != nil
        case "number": value.numberValue != nil
        case "integer": value.numberValue?.intValue != nil
        case "boolean": value == true || value == false
        case "mapping": value.objectValue != nil
        case "list": value.arrayValue != nil
        case "any": true
        default: false
        }
    }

    /// A value of the Chaos Toolkit type `name` that an argument of `type` should accept: the first of its
    /// choices for an enumeration.
    static func sample(for type: ArgumentType) -> JSONValue? {
        if let first = type.schema["enum"]?.arrayValue?.first { return first }
        switch type.name {
        case "string": return "x"
        case "number": return 1.5
        case "integer": return 2
        case "boolean": return true
        case "mapping": return [:]
        case "list": return []
        default: return nil  // `any`: nothing in particular to try
        }
    }

    @Test(arguments: arguments)
    func theDefaultIsOfTheDeclaredTypeAndAccepted(_ item: ArgumentCase) {
        guard let defaultValue = item.argument.defaultValue, defaultValue != .null else { return }
        #expect(
            Self.value(defaultValue, isOf: item.argument.type.name),
            "default \(defaultValue) is not a \(item.argument.type.name)")
        #expect(item.argument.type.accepts(defaultValue))
    }

    @Test(arguments: arguments)
    func aValueOfTheDeclaredTypeIsAccepted(_ item: ArgumentCase) throws {
        let sample = try #require(Self.sample(for: item.argument.type) ?? (item.argument.type.name == "any" ? 1 : nil))
        #expect(Self.value(sample, isOf: item.argument.type.name))
        #expect(item.argument.type.accepts(sample), "\(sample) refused")
    }

    @Test func everyDeclaredTypeIsAChaosToolkitTypeName() {
        for item in Self.arguments {
            #expect(
                ["string", "number", "integer", "boolean", "mapping", "list", "any"].contains(item.argument.type.name),
                "\(item.testDescription)")
        }
    }
}

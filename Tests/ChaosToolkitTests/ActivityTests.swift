import ChaosToolkit
import JSON
import Testing

private let descriptor = ActivityDescriptor(
    kind: .probe, name: "query", module: "chaosprometheus.probes", doc: "Run a query.",
    arguments: [
        .required("query", .string), .optional("when", .string, default: nil),
        .optional("step", .integer, default: 1), .optional("verify_tls", .boolean, default: true),
    ],
    returnType: "mapping")

@Suite("Binding arguments to an activity's signature")
struct ArgumentBindingTests {
    @Test func fillsInDefaults() throws {
        let arguments = try descriptor.bind(["query": "up"])
        #expect(arguments["query"] == "up")
        #expect(arguments["when"] == .null)
        #expect(arguments["step"] == 1)
        #expect(arguments["verify_tls"] == true)
    }

    @Test func takesAnExplicitNullAsNotGiven() throws {
        let arguments = try descriptor.bind(["query": "up", "step": nil, "verify_tls": nil])
        #expect(arguments["step"] == 1)
        #expect(arguments["verify_tls"] == true)
    }

    @Test func namesAMissingRequiredArgumentInTheChaosToolkitsWords() {
        let error = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["when": "now"]) }
        #expect(error?.message == "required argument 'query' is missing from activity 'query'")
        let null = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["query": nil]) }
        #expect(null?.message == "required argument 'query' is missing from activity 'query'")
    }

    @Test func namesAnUnknownArgumentInTheChaosToolkitsWords() {
        let error = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["query": "up", "foo": 1]) }
        #expect(error?.message == "argument 'foo' is not part of the function signature in activity 'query'")
    }

    @Test func saysWhichTypeWasExpected() {
        let error = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["query": 42]) }
        #expect(error?.message == "argument 'query' of activity 'query' must be a string, not a number (42)")
        let step = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["query": "up", "step": 1.5]) }
        #expect(step?.message == "argument 'step' of activity 'query' must be an integer, not a number (1.5)")
        let flag = #expect(throws: ActivityArgumentError.self) {
            try descriptor.bind(["query": "up", "verify_tls": "no"])
        }
        #expect(flag?.message == #"argument 'verify_tls' of activity 'query' must be a boolean, not a string ("no")"#)
        let list = #expect(throws: ActivityArgumentError.self) { try descriptor.bind(["query": ["up"]]) }
        #expect(list?.message == "argument 'query' of activity 'query' must be a string, not an array")
    }

    @Test func acceptsAWholeNumberWrittenWithAFractionAsAnInteger() throws {
        #expect(try descriptor.bind(["query": "up", "step": 2.0])["step"] == 2)
    }

    private enum Unit: String { case seconds }

    @Test func readsArgumentsByTheirDeclarations() throws {
        let arguments = try descriptor.bind(["query": "up"])
        #expect(try arguments.requiredString(.required("query", .string)) == "up")
        #expect(arguments.string(.optional("when", .string, default: nil)) == nil)
    }

    /// Formerly `arguments.string("query")!`: an activity reading an argument its signature does not declare as
    /// it reads it crashed the whole process, and every other call with it.
    @Test func anArgumentReadAgainstItsDeclarationFailsTheActivityInsteadOfTheProcess() throws {
        let arguments = try descriptor.bind(["query": "up"])
        let missing = #expect(throws: FailedActivity.self) { try arguments.requiredString(.required("qeury", .string)) }
        #expect(missing?.reason == .invalidArgument)
        #expect(missing?.detail["argument"] == "qeury")
        let notAChoice = #expect(throws: FailedActivity.self) {
            try arguments.choice(.required("query", .string), as: Unit.self)
        }
        #expect(notAChoice?.message.contains("'query'") == true)
    }
}

@Suite("The activity catalogue")
struct CatalogueTests {
    private let catalogue = ActivityCatalogue(
        extensionName: "chaostoolkit-prometheus", version: "1.2.3", target: "prometheus",
        activities: [Activity(descriptor) { call in call.arguments["query"] }])

    @Test func findsAnActivityByNameOrQualifiedName() {
        #expect(catalogue.activity(named: "query")?.descriptor.name == "query")
        #expect(catalogue.activity(named: "chaosprometheus.probes.query")?.descriptor.name == "query")
        #expect(catalogue.activity(named: "chaosprometheus.metrics.query") == nil)
        #expect(catalogue.activity(named: "queries") == nil)
    }

    @Test func describesItselfInTheChaosToolkitDiscoveryShape() {
        #expect(
            catalogue.discoveryDocument == [
                "extension": ["name": "chaostoolkit-prometheus", "version": "1.2.3"],
                "target": "prometheus",
                "activities": [
                    [
                        "type": "probe", "name": "query", "mod": "chaosprometheus.probes", "doc": "Run a query.",
                        "arguments": [
                            ["name": "query", "type": "string"],
                            ["name": "when", "type": "string", "default": nil],
                            ["name": "step", "type": "integer", "default": 1],
                            ["name": "verify_tls", "type": "boolean", "default": true],
                        ],
                        "return_type": "mapping",
                    ]
                ],
            ])
    }

    @Test func runsAnActivityWithItsBoundArguments() async throws {
        let result = try await catalogue.activities[0].run(
            arguments: ["query": "up"], configuration: [:], secrets: [:], environment: [:])
        #expect(result == .value("up"))
    }
}

import ChaosToolkit
import JSON
import Testing

@Suite("Configuration and secrets: environment references")
struct ActivityMappingTests {
    private func configuration(_ values: JSONObject, _ environment: [String: String] = [:]) -> ActivityMapping {
        ActivityMapping(values, kind: .configuration, environment: environment)
    }

    private func secrets(_ values: JSONObject, _ environment: [String: String] = [:]) -> ActivityMapping {
        ActivityMapping(values, kind: .secrets, environment: environment)
    }

    @Test func givesPlainValuesAsTheyAre() throws {
        let mapping = secrets(["token": "abc", "headers": ["X-Scope-OrgID": "a"]])
        #expect(try mapping.value("token") == "abc")
        #expect(try mapping.value("headers") == ["X-Scope-OrgID": "a"])
        #expect(try mapping.value("absent") == nil)
    }

    @Test func treatsNullAsAbsent() throws {
        #expect(try configuration(["prometheus_base_url": nil]).value("prometheus_base_url") == nil)
    }

    @Test func resolvesAnEnvironmentReference() throws {
        let mapping = secrets(["token": ["type": "env", "key": "PROM_TOKEN"]], ["PROM_TOKEN": "s3cret"])
        #expect(try mapping.value("token") == "s3cret")
    }

    @Test func fallsBackToTheDefaultWhenTheVariableIsNotSet() throws {
        let mapping = configuration(["url": ["type": "env", "key": "PROM_URL", "default": "http://prom:9090"]])
        #expect(try mapping.value("url") == "http://prom:9090")
    }

    @Test func prefersTheVariableToTheDefault() throws {
        let mapping = configuration(["url": ["type": "env", "key": "PROM_URL", "default": "x"]], ["PROM_URL": "y"])
        #expect(try mapping.value("url") == "y")
    }

    @Test func failsWithTheChaosToolkitsMessageForAMissingSecretVariable() {
        let failure = #expect(throws: FailedActivity.self) {
            try secrets(["token": ["type": "env", "key": "PROM_TOKEN"]]).value("token")
        }
        #expect(failure?.message == "Secrets make reference to an environment key that does not exist: PROM_TOKEN")
        #expect(failure?.reason == .invalidSecrets)
    }

    @Test func failsWithTheChaosToolkitsMessageForAMissingConfigurationVariable() {
        let failure = #expect(throws: FailedActivity.self) {
            try configuration(["url": ["type": "env", "key": "PROM_URL"]]).value("url")
        }
        #expect(failure?.message == "Configuration makes reference to an environment key that does not exist: PROM_URL")
        #expect(failure?.reason == .invalidConfiguration)
    }

    @Test func resolvesOnlyTheKeysThatAreRead() throws {
        let mapping = secrets(["unused": ["type": "env", "key": "NOT_SET"], "token": "abc"])
        #expect(try mapping.value("token") == "abc")
    }

    @Test func refusesReferencesTheHostMustResolve() {
        let failure = #expect(throws: FailedActivity.self) {
            try secrets(["token": ["type": "vault", "path": "secret/prom"]]).value("token")
        }
        #expect(failure?.message.contains("'vault' reference") == true)
    }

    @Test(
        arguments: [
            ("int", "42", 42), ("float", "2.5", 2.5), ("bool", "true", true), ("bool", "0", false),
            ("json", #"{"a": [1]}"#, ["a": [1]]), ("str", "42", "42"),
        ] as [(String, String, JSONValue)])
    func convertsConfigurationTextWithEnvVarType(_ type: String, _ text: String, _ expected: JSONValue) throws {
        let mapping = configuration(["value": ["type": "env", "key": "V", "env_var_type": .string(type)]], ["V": text])
        #expect(try mapping.value("value") == expected)
    }

    @Test func refusesTextThatIsNotOfTheGivenType() {
        let failure = #expect(throws: FailedActivity.self) {
            try configuration(["attempts": ["type": "env", "key": "V", "env_var_type": "int"]], ["V": "three"]).value(
                "attempts")
        }
        #expect(
            failure?.message
                == "configuration 'attempts': environment variable V is not a valid int (its value is not shown)")
    }

    @Test func listsEverySecretTextLongestFirst() {
        let mapping = secrets(
            [
                "token": ["type": "env", "key": "T"], "headers": ["X-Api-Key": "k3y-value"], "pin": "12",
                "password": "hunter2",
            ],
            ["T": "from-the-environment"])
        #expect(mapping.secretTexts == ["from-the-environment", "k3y-value", "hunter2"])
    }
}

@Suite("Failures never show a secret")
struct RedactionTests {
    @Test func replacesSecretsInTheMessageAndDetail() {
        let failure = FailedActivity(
            "HTTP 400: bad token hunter2-long (hunter2)", reason: .init(rawValue: "http_status"),
            detail: ["body": "hunter2-long", "nested": ["hunter2"]])
        let redacted = failure.redacting(Redaction(["hunter2-long", "hunter2"]))
        #expect(redacted.message == "HTTP 400: bad token *** (***)")
        #expect(redacted.detail == ["body": "***", "nested": ["***"]])
        #expect(redacted.reason == failure.reason)
    }

    @Test func redactsEveryFailureAnActivityThrows() async throws {
        let activity = Activity(
            ActivityDescriptor(kind: .probe, name: "echo", module: "m", doc: "", arguments: [], returnType: "string")
        ) { call -> JSONValue in
            throw FailedActivity(
                "the server said: \(try call.secrets.value("token")?.stringValue ?? "")", reason: .init(rawValue: "x"))
        }
        let failure = await #expect(throws: FailedActivity.self) {
            try await activity.run(
                arguments: [:], configuration: [:], secrets: ["token": ["type": "env", "key": "T"]],
                environment: ["T": "canary-value"])
        }
        #expect(failure?.message == "the server said: ***")
    }
}

import JSON
import PluginLog

/// An activity a host can call: its descriptor and what it does.
package struct Activity: Sendable {
    /// Runs one call; throws ``FailedActivity`` when the activity runs and fails. The result may pass a server's
    /// document on as its text.
    package typealias Body = @Sendable (ActivityCall) async throws -> JSONOutput

    package let descriptor: ActivityDescriptor
    private let body: Body

    /// An activity whose result is a value.
    package init(_ descriptor: ActivityDescriptor, body: @escaping @Sendable (ActivityCall) async throws -> JSONValue) {
        self.descriptor = descriptor
        self.body = { call in .value(try await body(call)) }
    }

    /// An activity whose result may pass a server's document on as it is (`query`, `query_interval`). A factory,
    /// not an initializer: a trailing closure would otherwise fit both.
    package static func passingTextOn(_ descriptor: ActivityDescriptor, body: @escaping Body) -> Activity {
        Activity(descriptor: descriptor, output: body)
    }

    private init(descriptor: ActivityDescriptor, output: @escaping Body) {
        self.descriptor = descriptor
        self.body = output
    }

    /// Binds `arguments` to the signature, then runs the activity, resolving environment references in
    /// `configuration` and `secrets` from `environment`.
    ///
    /// - Throws: ``ActivityArgumentError`` before anything runs when the arguments do not fit the signature;
    ///   ``FailedActivity`` when the activity fails, with every secret text replaced by `***` in its message and
    ///   detail (as in the result); `CancellationError` when the calling task is cancelled.
    package func run(
        arguments: JSONObject, configuration: JSONObject, secrets: JSONObject, environment: [String: String]
    ) async throws -> JSONOutput {
        let call = ActivityCall(
            arguments: try descriptor.bind(arguments), configuration: configuration, secrets: secrets,
            environment: environment)
        // The last line of defence: whatever an answer holds (a server's document, a message quoting a URL or
        // an error body), no secret of the call leaves.
        let redaction = call.redaction
        do {
            let result = try await redaction.whileCurrent { try await body(call) }
            return redaction.apply(to: result)
        } catch let failure as FailedActivity {
            throw failure.redacting(redaction)
        }
    }
}

/// Everything one call of an activity receives. Nothing is kept from one call to the next.
package struct ActivityCall: Sendable {
    /// The arguments, checked and with defaults filled in.
    package let arguments: ActivityArguments
    /// The experiment's configuration, as the host passes it with this call.
    package let configuration: ActivityMapping
    /// The secrets of the scopes the activity asked for, merged into one flat mapping.
    package let secrets: ActivityMapping

    package init(arguments: ActivityArguments, configuration: ActivityMapping, secrets: ActivityMapping) {
        self.arguments = arguments
        self.configuration = configuration
        self.secrets = secrets
    }

    /// A call with `configuration` and `secrets` as the host gives them, their environment references resolved
    /// from `environment`.
    package init(
        arguments: ActivityArguments, configuration: JSONObject, secrets: JSONObject, environment: [String: String]
    ) {
        self.init(
            arguments: arguments,
            configuration: ActivityMapping(configuration, kind: .configuration, environment: environment),
            secrets: ActivityMapping(secrets, kind: .secrets, environment: environment))
    }

    /// What hides this call's secrets in everything it writes.
    package var redaction: Redaction { Redaction.of(secrets.secretTexts) }
}

extension Redaction {
    /// Runs `operation` with this as the current redaction (``current``) and the task's log lines filtered by it.
    package func whileCurrent<Result>(_ operation: () async throws -> Result) async rethrows -> Result {
        let filter = isEmpty ? nil : LineFilter { apply($0) }
        return try await Redaction.$current.withValue(self) {
            try await Logger.$lineFilter.withValue(filter) { try await operation() }
        }
    }
}

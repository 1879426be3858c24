import JSON

/// An activity a host can call: its descriptor and what it does.
public struct Activity: Sendable {
    /// Runs one call; throws ``FailedActivity`` when the activity runs and fails.
    public typealias Body = @Sendable (ActivityCall) async throws -> JSONValue

    public let descriptor: ActivityDescriptor
    private let body: Body

    public init(_ descriptor: ActivityDescriptor, body: @escaping Body) {
        self.descriptor = descriptor
        self.body = body
    }

    /// Binds `arguments` to the signature, then runs the activity.
    ///
    /// - Throws: ``ActivityArgumentError`` before anything runs when the arguments do not fit the signature;
    ///   ``FailedActivity`` when the activity fails; `CancellationError` when the calling task is cancelled.
    public func run(arguments: JSONObject, configuration: JSONObject, secrets: JSONObject) async throws -> JSONValue {
        let bound = try descriptor.bind(arguments)
        return try await body(ActivityCall(arguments: bound, configuration: configuration, secrets: secrets))
    }
}

/// Everything one call of an activity receives. Nothing is kept from one call to the next.
public struct ActivityCall: Sendable {
    /// The arguments, checked and with defaults filled in.
    public let arguments: ActivityArguments
    /// The experiment's configuration, as the host passes it with this call.
    public let configuration: JSONObject
    /// The secrets of the scopes the activity asked for, merged into one flat mapping.
    public let secrets: JSONObject

    public init(arguments: ActivityArguments, configuration: JSONObject, secrets: JSONObject) {
        self.arguments = arguments
        self.configuration = configuration
        self.secrets = secrets
    }
}

/// A secret the tests hand the plugin (as a password, a bearer token, an environment variable) so that they can
/// check it never comes back: not in a response, not in a log line, not in an error message.
package enum Canary {
    /// The secret: distinctive enough that finding it anywhere in the plugin's output can only be a leak.
    /// It is the password of the ``SecuredPrometheus`` user and the bearer token of the ``TenantGateway``.
    package static let secret = "canary-7f3e9b2c-secret"

    /// The places in `run`'s output that carry the secret: each standard-output line that does, and standard
    /// error when it does. Empty when nothing leaked.
    package static func leaks(in run: PluginProcess.Finished) -> [String] {
        run.lines.filter { $0.contains(secret) }
            + (run.standardError.contains(secret) ? ["standard error: \(run.standardError)"] : [])
    }
}

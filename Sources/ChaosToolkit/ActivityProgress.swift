/// Progress an activity reports while it runs, such as each check of a wait, for hosts that can show it.
///
/// A host binds a reporter for the call (a task-local value); without one, reports go nowhere. A report is a
/// short sentence for a person, and never holds a secret: it says what was measured, not what was sent.
public enum ActivityProgress {
    /// Receives the reports of the activities that run within its binding.
    @TaskLocal public static var reporter: (@Sendable (String) async -> Void)?

    /// Reports one step, described by `message`, to the host's reporter if it bound one.
    public static func report(_ message: @autoclosure () -> String) async {
        guard let reporter else { return }
        await reporter(message())
    }
}

/// Progress an activity reports while it runs, such as each check of a wait, for hosts that can show it.
///
/// A host binds a reporter for the call (``current``, a task-local value); without one, reports go nowhere. A
/// report is a short sentence for a person, and never holds a secret: it says what was measured, not what was sent.
///
/// The reporter is a class, not a bare closure: a task-local value of an optional function type crashed in
/// `swift_task_localValuePush` in optimized builds (Swift 6.3).
package final class ActivityProgress: Sendable {
    /// Receives the reports of the activities that run within its binding.
    @TaskLocal package static var current: ActivityProgress?

    private let receive: @Sendable (String) async -> Void

    /// A reporter that hands each report to `receive`.
    package init(_ receive: @escaping @Sendable (String) async -> Void) {
        self.receive = receive
    }

    /// Reports one step, described by `message`, to the reporter the host bound, if any.
    package static func report(_ message: @autoclosure () -> String) async {
        guard let current else { return }
        await current.receive(message())
    }
}

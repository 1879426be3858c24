import Foundation

/// A process's resident memory from `/proc/<pid>/status`, in bytes: now (`VmRSS`) and at its peak so far
/// (`VmHWM`), and what is resident now split into the process's own memory (`RssAnon`) and pages of mapped files
/// (`RssFile`: its executable and shared libraries, shared with every process that maps them).
package struct ResidentMemory: Sendable {
    package let current: Int
    package let peak: Int
    package let anonymous: Int
    package let fileBacked: Int

    /// Reads the memory of process `pid`.
    package static func of(_ pid: Int32) throws -> ResidentMemory {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            throw TestSupportError("cannot read /proc/\(pid)/status")
        }
        func kilobytes(_ field: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else {
                return nil
            }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        guard let current = kilobytes("VmRSS"), let peak = kilobytes("VmHWM") else {
            throw TestSupportError("no VmRSS/VmHWM in /proc/\(pid)/status")
        }
        return ResidentMemory(
            current: current * 1024, peak: peak * 1024, anonymous: (kilobytes("RssAnon") ?? 0) * 1024,
            fileBacked: (kilobytes("RssFile") ?? 0) * 1024)
    }
}

import Foundation

/// Progress lines on standard error, so standard output holds only the report.
enum Progress {
    static func say(_ message: String) {
        FileHandle.standardError.write(Data("benchmark: \(message)\n".utf8))
    }
}

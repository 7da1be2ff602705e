import KouziBase
import Foundation
import KouziNN
import KouziTraining

/// Where the commands write their output and messages.
///
/// The standard console writes straight to the file descriptors (unbuffered), so its lines interleave
/// correctly with the progress lines that training prints. A capturing console keeps the text instead;
/// tests install one with `Console.$current.withValue(console) { … }`.
public final class Console: @unchecked Sendable {
    /// The console the commands of the current task write to.
    @TaskLocal public static var current = Console()

    private let capturing: Bool
    private let lock = NSLock()
    private var out = ""
    private var err = ""

    /// A console that writes to standard output and standard error, or, with `capturing`, keeps the text.
    public init(capturing: Bool = false) { self.capturing = capturing }

    /// The text written to standard output so far (capturing consoles only).
    public var standardOutput: String { lock.withLock { out } }

    /// The text written to standard error so far (capturing consoles only).
    public var standardError: String { lock.withLock { err } }

    /// Writes `text` and a line break to standard output.
    public func print(_ text: String) { write(text + "\n", error: false) }

    /// Writes `text` and a line break to standard error.
    public func printError(_ text: String) { write(text + "\n", error: true) }

    /// Writes a JSON value (keys sorted) as one line to standard output.
    func printJSON(_ value: JSONValue) {
        print(value.rendered())
    }

    private func write(_ text: String, error: Bool) {
        if capturing {
            lock.withLock { if error { err += text } else { out += text } }
            return
        }
        let handle = error ? FileHandle.standardError : FileHandle.standardOutput
        try? handle.write(contentsOf: Data(text.utf8))
    }
}

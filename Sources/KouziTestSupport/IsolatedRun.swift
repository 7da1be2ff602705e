import Foundation
import Testing

/// Runs one test alone in a fresh copy of the test binary and returns its output, so a whole-process figure
/// (resident memory, threads) is not disturbed by the suites running beside it.
///
/// Inside the copy (marked by the environment variable `marker`), or where the binary cannot be started again,
/// it returns nil: the caller then runs the measurement itself.
///
/// ```swift
/// if let (status, output) = try isolatedRun(of: "memoryStaysFlat", marker: "KOUZI_MEMORY_CHILD") {
///     #expect(status == 0, "\(output)")
///     return
/// }
/// try measure()
/// ```
public func isolatedRun(of test: String, marker: String) throws -> (status: Int32, output: String)? {
    let environment = ProcessInfo.processInfo.environment
    let binary = CommandLine.arguments.first ?? ""
    guard environment[marker] != "1", binary.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: binary) else {
        return nil
    }
    let child = Process()
    child.executableURL = URL(fileURLWithPath: binary)
    child.arguments = ["--testing-library", "swift-testing", "--filter", test]
    child.environment = environment.merging([marker: "1"]) { $1 }
    let pipe = Pipe()
    child.standardOutput = pipe
    child.standardError = pipe
    try child.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    return (child.terminationStatus, output)
}

/// Whether this process is the isolated copy started by ``isolatedRun(of:marker:)``.
public func isIsolatedRun(marker: String) -> Bool { ProcessInfo.processInfo.environment[marker] == "1" }

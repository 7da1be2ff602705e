import Foundation
import Testing

/// The built `kouzi` executable, found in the products directory beside the test bundle.
enum Executable {
    static let path: String? = {
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = running.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("kouzi").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// Runs the executable with `arguments`; returns the exit status and both streams.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}

@Suite("The kouzi executable")
struct ExecutableTests {
    @Test(.enabled(if: Executable.path != nil, "the kouzi executable was not found next to the test bundle"))
    func exitCodesAndJSONErrors() throws {
        let help = try Executable.run(["--help"])
        #expect(help.status == 0 && help.output.contains("SUBCOMMANDS:") && help.output.contains("demo"))

        let usage = try Executable.run(["train", "--epochs", "0", "--spec", "s.json", "--data", "d.csv", "--json"])
        #expect(usage.status == 2)
        #expect(usage.error.hasPrefix("error: --epochs must be at least 1, got 0"))
        #expect(usage.output == "{\"error\":\"--epochs must be at least 1, got 0\"}\n")

        let missing = try Executable.run(["evaluate", "--model", "/nonexistent/m.kouzi", "--data", "/nonexistent/d.csv", "--json"])
        #expect(missing.status == 1)
        #expect(missing.output == "{\"error\":\"model '/nonexistent/m.kouzi' does not exist\"}\n")
        #expect(missing.error == "error: model '/nonexistent/m.kouzi' does not exist\n")

        let summary = try Executable.run(["summary", "--spec", CLI.exampleSpec("mlp-mnist.json")])
        #expect(summary.status == 0 && summary.output.contains("Total params: 109386"))
        let json = try Executable.run(["summary", "--spec", CLI.exampleSpec("mlp-mnist.json"), "--json"])
        #expect(try CLI.object(json.output)["total_params"] as? Int == 109_386)
    }
}

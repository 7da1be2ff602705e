import ArgumentParser
import Foundation

/// The `kouzi` command line: train, evaluate, predict with, summarise and demo models.
///
/// ```
/// kouzi train --spec examples/specs/logistic-iris.json --data iris.csv --target species
/// kouzi evaluate --model logistic-iris.kouzi --data iris.csv
/// kouzi predict --model logistic-iris.kouzi --input new.csv --format json
/// ```
///
/// Every command takes `--json` for machine-readable output. Errors go to standard error as
/// `error: …`; with `--json` they are also printed as `{"error": "…"}` on standard output. The exit
/// status is 0 on success, 2 for a usage error (an unknown option, a missing or invalid argument) and
/// 1 for any other failure.
public struct KouziCommand: ParsableCommand {
    /// The subcommands and the help text.
    public static let configuration = CommandConfiguration(
        commandName: "kouzi",
        abstract: "Train, evaluate and use neural network models.",
        discussion: """
        Quick start:
          kouzi demo        (train the MNIST MLP and print its test accuracy)
          kouzi train --spec examples/specs/logistic-iris.json \\
              --data iris.csv --target species
          kouzi predict --model logistic-iris.kouzi --input new-flowers.csv

        Add --json to any command for machine-readable output.
        """,
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, SummaryCommand.self, ExportCommand.self,
                      ImportCommand.self, DemoCommand.self,
                      ServeCommand.self, WorkerCommand.self, DatasetsCommand.self, ModelsCommand.self, JobsCommand.self,
                      DeploymentsCommand.self, TuneCommand.self, RunsCommand.self, TokensCommand.self])

    /// Exit status of a usage error.
    public static let usageExitCode: Int32 = 2
    /// Exit status of a runtime failure.
    public static let failureExitCode: Int32 = 1

    /// Creates the root command; ArgumentParser calls it while parsing.
    public init() {}

    /// Runs the command line of this process and exits with its status.
    public static func main() {
        Foundation.exit(execute(Array(CommandLine.arguments.dropFirst())))
    }

    /// Parses and runs `arguments` (without the program name), writing to ``Console/current``.
    ///
    /// - Returns: the exit status: 0, ``usageExitCode`` or ``failureExitCode``.
    public static func execute(_ arguments: [String]) -> Int32 {
        let console = Console.current
        let wantsJSON = arguments.contains("--json")
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                console.print(fullMessage(for: error))
                return 0
            }
            let message = self.message(for: error)
            report(message, json: wantsJSON, console: console)
            let usage = fullMessage(for: error).split(separator: "\n").filter { $0.hasPrefix("Usage:") || $0.contains("--help") }
            if !usage.isEmpty && !wantsJSON { console.printError(usage.joined(separator: "\n")) }
            return usageExitCode
        }
        do {
            try command.run()
            return 0
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                console.print(fullMessage(for: error))
                return 0
            }
            if error is ValidationError {
                report(message(for: error), json: wantsJSON, console: console)
                return usageExitCode
            }
            report(String(describing: error), json: wantsJSON, console: console)
            return failureExitCode
        }
    }

    private static func report(_ message: String, json: Bool, console: Console) {
        var text = message
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        console.printError("error: " + text)
        if json { console.printJSON(.object(["error": .string(text)])) }
    }
}

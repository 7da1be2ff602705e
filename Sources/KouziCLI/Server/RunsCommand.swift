import ArgumentParser
import Foundation
import KouziNN

/// `kouzi runs …`: experiments and runs tracked on a server (by training jobs or MLflow clients).
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List experiments and runs, show a run and its metric history.",
        subcommands: [Experiments.self, List.self, Show.self])

    struct Experiments: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the project's experiments.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        func run() throws {
            let value = try options.client().json("GET", project.path + "/experiments")
            options.emit(value) { value in
                table(["ID", "NAME", "TAGS"], value.items.map { [$0.text("id"), $0.text("name"), $0["tags"].map { $0.rendered() } ?? "-"] })
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an experiment's runs, newest first.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The experiment id.") var experiment: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/experiments/\(experiment)/runs")
            options.emit(value) { value in
                table(["RUN", "NAME", "STATUS", "PARAMS", "METRICS"], value.items.map { run in
                    let metrics = (run["latestMetrics"]?.items ?? []).map { "\($0.text("key"))=\($0.text("value"))" }
                    return [run.text("id"), run.text("name"), run.text("status"), run["params"].map { $0.rendered() } ?? "-",
                            metrics.isEmpty ? "-" : metrics.joined(separator: " ")]
                })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a run, or with --metric one metric's history.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The run id (32 hex characters).") var runID: String
        @Option(help: "A metric key: print its points by step.") var metric: String?
        func run() throws {
            let client = try options.client()
            guard let metric else {
                let value = try client.json("GET", project.path + "/runs/\(runID)")
                options.emit(value) { [$0.rendered(pretty: true)] }
                return
            }
            let key = metric.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? metric
            let value = try client.json("GET", project.path + "/runs/\(runID)/metrics/\(key)")
            options.emit(value) { value in
                table(["STEP", "VALUE", "TIMESTAMP"], value.items.map { [$0.text("step"), $0.text("value"), $0.text("timestamp")] })
            }
        }
    }
}

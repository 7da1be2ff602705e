import KouziBase
import ArgumentParser
import Foundation
import KouziNN

/// `kouzi tune`: a hyper-parameter search on a server.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune", abstract: "Search hyper-parameters on a server: grid, random, or successive halving.",
        discussion: """
        Each --search names a hyper-parameter and its values (name=a,b,c) or a range to sample (name=min:max, or \
        name=min:max:log for a log scale). Trials run as child jobs; the best is registered.

        Example:
          kouzi tune --template mlp_classifier --dataset 2 --dataset-version 1 --target species \\
              --strategy successive_halving --trials 9 --set epochs=27 --min-epochs 3 \\
              --search units=16,64,256 --search learning_rate=0.0003:0.03:log --metric val_accuracy --follow
        """)

    @OptionGroup var options: ClientOptions
    @OptionGroup var project: ProjectOption
    @OptionGroup var training: TrainingSubmissionOptions
    @Option(help: "grid, random or successive_halving.") var strategy = "random"
    @Option(name: .customLong("search"), help: ArgumentHelp("A searched hyper-parameter (repeatable).", valueName: "name=values|min:max[:log]"))
    var dimensions: [String] = []
    @Option(help: "Configurations sampled (random, successive_halving).") var trials: Int?
    @Option(help: "The per-epoch log key that ranks trials (default val_loss).") var metric: String?
    @Option(help: "min or max (default: max for accuracy-like keys).") var mode: String?
    @Option(help: "Epochs of the first rung (successive_halving).") var minEpochs: Int?
    @Option(help: "Keep the best 1/eta of each rung (successive_halving).") var eta: Int?
    @Flag(help: "Follow the search until it ends.") var follow = false

    func validate() throws {
        guard !dimensions.isEmpty else { throw ValidationError("name at least one --search") }
        for d in dimensions where !d.contains("=") { throw ValidationError("--search takes name=values or name=min:max, got '\(d)'") }
    }

    /// `name=a,b` → values; `name=lo:hi[:log]` → a range.
    static func dimension(_ text: String) throws -> (String, JSONValue) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts[0], spec = parts.count > 1 ? parts[1] : ""
        let range = spec.split(separator: ":").map(String.init)
        if range.count >= 2, let lo = Double(range[0]), let hi = Double(range[1]) {
            var d: [String: JSONValue] = ["min": .number(lo), "max": .number(hi)]
            if range.count > 2 { d["log"] = .bool(range[2] == "log") }
            return (name, .object(d))
        }
        let values = spec.split(separator: ",").map { TrainingSubmissionOptions.value(String($0)) }
        guard !values.isEmpty else { throw ValidationError("--search \(name) has no values") }
        return (name, .object(["values": .array(values)]))
    }

    func run() throws {
        var body: [String: JSONValue] = [
            "training": try training.body(), "strategy": .string(strategy),
            "space": .object(Dictionary(try dimensions.map(Self.dimension)) { $1 }),
        ]
        if let trials { body["trials"] = .number(Double(trials)) }
        if let metric { body["metric"] = .string(metric) }
        if let mode { body["mode"] = .string(mode) }
        if let minEpochs { body["minEpochs"] = .number(Double(minEpochs)) }
        if let eta { body["eta"] = .number(Double(eta)) }
        let client = try options.client()
        let job = try client.json("POST", project.path + "/tuning", body: .object(body))
        options.emit(job) { ["search job \($0.text("id")) queued (\(strategy))"] }
        if follow { try JobFollower(client: client, project: project).follow(Int64(job.text("id")) ?? 0) }
    }
}

import KouziBase
import ArgumentParser
import Foundation
import KouziNN

/// `kouzi jobs …`: training, evaluation and tuning jobs on a server.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Submit, list, follow and cancel training and evaluation jobs on a server.",
        discussion: """
        Examples:
          kouzi jobs templates
          kouzi jobs submit --template cnn_image_classifier --dataset 1 --dataset-version 1 --test-version 2 --follow
          kouzi jobs submit --template mlp_classifier --dataset 2 --dataset-version 1 --target species --set epochs=40
          kouzi jobs follow 7
        """,
        subcommands: [Templates.self, Submit.self, List.self, Show.self, Logs.self, Follow.self, Cancel.self, Evaluate.self,
                      Predict.self])

    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the algorithm templates and their hyper-parameters.")
        @OptionGroup var options: ClientOptions
        func run() throws {
            let value = try options.client().json("GET", "/api/v1/templates")
            options.emit(value) { value in
                value.items.flatMap { template -> [String] in
                    ["\(template.text("id")) (\(template.text("task")); \(template["dataKinds"]?.items.compactMap(\.stringValue).joined(separator: ", ") ?? "")): \(template.text("summary"))"]
                        + (template["hyperparameters"]?.items ?? []).map { h in
                            let range = h["choices"]?.items.compactMap(\.stringValue).joined(separator: "|")
                                ?? "\(h.text("minimum"))…\(h.text("maximum"))"
                            return "    \(h.text("name")) = \(h.text("defaultValue"))  [\(range)]  \(h.text("description"))"
                        }
                }
            }
        }
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a training job from a template or a model spec.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @OptionGroup var training: TrainingSubmissionOptions
        @Flag(help: "Follow the job's progress until it ends.") var follow = false
        func run() throws {
            let client = try options.client()
            let job = try client.json("POST", project.path + "/jobs", body: try training.body())
            options.emit(job) { ["job \($0.text("id")) queued: \(training.template ?? "spec") → model '\($0.text("modelName"))'"] }
            if follow { try JobFollower(client: client, project: project).follow(Int64(job.text("id")) ?? 0) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Option(help: "Only jobs in this state (queued, running, succeeded, failed, cancelled).") var state: String?
        @Option(help: "Only jobs of this kind (train, evaluate, tune).") var kind: String?
        @Option(help: "Only the trials of this search job.") var parent: Int64?
        func run() throws {
            let value = try options.client().json("GET", project.path + "/jobs",
                                                  query: ["state": state, "kind": kind, "parent": parent.map(String.init)])
            options.emit(value) { value in
                table(["ID", "KIND", "STATE", "MODEL", "PROGRESS", "RESULT"], value.items.map { job in
                    [job.text("id"), job.text("kind"), job.text("state"), job.text("modelName"), JobFollower.progress(job),
                     JobFollower.outcome(job)]
                })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job: request, progress, result.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The job id.") var job: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/jobs/\(job)")
            options.emit(value) { job in
                ["job \(job.text("id")) (\(job.text("kind"))): \(job.text("state")), attempt \(job.text("attempts")) of \(job.text("maxAttempts"))",
                 "  request:  \(job["request"]?.rendered() ?? "-")",
                 "  progress: \(JobFollower.progress(job))",
                 "  result:   \(job["result"]?.rendered() ?? "-")",
                 "  run:      \(job.text("runID"))"] + (job["error"].map { _ in ["  error:    \(job.text("error"))"] } ?? [])
            }
        }
    }

    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's log.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The job id.") var job: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/jobs/\(job)/logs")
            options.emit(value) { $0.items.map { $0.text("line") } }
        }
    }

    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's log and progress as it runs, until it ends.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The job id.") var job: Int64
        func run() throws { try JobFollower(client: try options.client(), project: project).follow(job) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a queued job, or stop a running one at its next step.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The job id.") var job: Int64
        func run() throws {
            let value = try options.client().json("POST", project.path + "/jobs/\(job)/cancel")
            options.emit(value) { ["job \($0.text("id")): \($0.text("state"))\($0["cancelRequested"]?.boolValue == true && $0.text("state") == "running" ? " (stopping)" : "")"] }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue the evaluation of a model version on a dataset version.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @OptionGroup var target: RemoteEvaluationOptions
        func run() throws { try target.submit(options, project) }
    }
}

extension JobsCommand {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a batch prediction: a model version over a dataset version, written as the dataset's next version.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Option(help: "The registered model id.") var modelId: Int64
        @Option(help: "Its version number or alias.") var modelVersion: String = "latest"
        @Option(help: "The dataset id.") var dataset: Int64
        @Option(help: "Its version.") var datasetVersion: Int64
        @Flag(help: "Follow the job until it ends.") var follow = false
        func run() throws {
            let client = try options.client()
            let job = try client.json("POST", project.path + "/predictions", body: .object([
                "model": .number(Double(modelId)), "version": .string(modelVersion),
                "dataset": .object(["id": .number(Double(dataset)), "version": .number(Double(datasetVersion))]),
            ]))
            options.emit(job) { ["prediction job \($0.text("id")) queued"] }
            if follow { try JobFollower(client: client, project: project).follow(Int64(job.text("id")) ?? 0) }
        }
    }
}

/// What `jobs submit` and `tune` send: template or spec, data, settings.
struct TrainingSubmissionOptions: ParsableArguments {
    @Option(help: "A template id (see `kouzi jobs templates`).") var template: String?
    @Option(help: ArgumentHelp("A model spec (JSON) instead of a template.", valueName: "file")) var spec: String?
    @Option(help: "The training dataset id.") var dataset: Int64
    @Option(help: "Its version.") var datasetVersion: Int64
    @Option(help: "A dataset scored after training (default: the training dataset, with --test-version).") var testDataset: Int64?
    @Option(help: "The version scored after training (default: the validation part).") var testVersion: Int64?
    @Option(help: "The column to predict (tables).") var target: String?
    @Option(help: "The column of sentences (text templates).") var textColumn: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("A hyper-parameter, e.g. --set epochs=5 (repeatable).", valueName: "name=value"))
    var settings: [String] = []
    @Option(help: "Seed of initialisation, splits and shuffling.") var seed: UInt64?
    @Option(help: "The registered model that receives the trained version (default: the template id).") var model: String?
    @Option(help: "The experiment the run is recorded under (default: training).") var experiment: String?

    func validate() throws {
        guard (template == nil) != (spec == nil) else { throw ValidationError("give either --template or --spec") }
        for s in settings where !s.contains("=") { throw ValidationError("--set takes name=value, got '\(s)'") }
    }

    /// A value as JSON: a number, true/false, or text.
    static func value(_ text: String) -> JSONValue {
        if let n = Double(text) { return .number(n) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }

    func body() throws -> JSONValue {
        var body: [String: JSONValue] = ["dataset": .object(["id": .number(Double(dataset)), "version": .number(Double(datasetVersion))])]
        if let template { body["template"] = .string(template) }
        if let spec {
            guard let data = FileManager.default.contents(atPath: spec) else { throw CLIError.missingPath(kind: "model spec", path: spec) }
            do { body["spec"] = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
                throw CLIError.failed("\(spec) is not JSON: \(error)")
            }
        }
        if let testVersion {
            body["test"] = .object(["id": .number(Double(testDataset ?? dataset)), "version": .number(Double(testVersion))])
        }
        if let target { body["target"] = .string(target) }
        if let textColumn { body["textColumn"] = .string(textColumn) }
        if !settings.isEmpty {
            body["hyperparameters"] = .object(Dictionary(settings.map { s -> (String, JSONValue) in
                let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], Self.value(parts.count > 1 ? parts[1] : ""))
            }) { $1 })
        }
        if let seed { body["seed"] = .number(Double(seed)) }
        if let model { body["model"] = .string(model) }
        if let experiment { body["experiment"] = .string(experiment) }
        return .object(body)
    }
}

/// The model version and data of an evaluation on a server.
struct RemoteEvaluationOptions: ParsableArguments {
    @Option(help: "The registered model id.") var modelId: Int64
    @Option(help: "Its version number or alias.") var modelVersion: String = "latest"
    @Option(help: "The labelled dataset id.") var dataset: Int64
    @Option(help: "Its version.") var datasetVersion: Int64
    @Flag(help: "Follow the evaluation until it ends and print its scores.") var follow = false

    func submit(_ options: ClientOptions, _ project: ProjectOption) throws {
        try Self.submit(options, project, modelID: modelId, version: modelVersion, dataset: dataset,
                        datasetVersion: datasetVersion, follow: follow)
    }

    static func submit(_ options: ClientOptions, _ project: ProjectOption, modelID: Int64, version: String, dataset: Int64,
                       datasetVersion: Int64, follow: Bool) throws {
        let client = try options.client()
        let job = try client.json("POST", project.path + "/evaluations", body: .object([
            "model": .number(Double(modelID)), "version": .string(version),
            "dataset": .object(["id": .number(Double(dataset)), "version": .number(Double(datasetVersion))]),
        ]))
        options.emit(job) { ["evaluation job \($0.text("id")) queued"] }
        if follow { try JobFollower(client: client, project: project).follow(Int64(job.text("id")) ?? 0) }
    }
}

/// Prints a job's new log lines and progress until it ends; fails when the job does not succeed.
struct JobFollower {
    let client: APIClient
    let project: ProjectOption

    func follow(_ id: Int64) throws {
        let console = Console.current
        var seen: Int64 = 0, lastProgress = ""
        while true {
            let job = try client.json("GET", project.path + "/jobs/\(id)")
            for line in try client.json("GET", project.path + "/jobs/\(id)/logs", query: ["after": String(seen)]).items {
                seen = Int64(line.text("seq")) ?? seen
                console.print("[job \(id)] \(line.text("line"))")
            }
            let state = job.text("state")
            if ["succeeded", "failed", "cancelled"].contains(state) {
                console.print("job \(id) \(state)" + (state == "succeeded" ? ": \(Self.outcome(job))" : job["error"].map { _ in ": \(job.text("error"))" } ?? ""))
                guard state == "succeeded" else { throw ExitCode(1) }
                return
            }
            let progress = Self.progress(job)
            if progress != lastProgress && progress != "-" {
                console.print("[job \(id)] \(progress)")
                lastProgress = progress
            }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    /// `epoch 2/5 step 300/938 loss=0.41 accuracy=0.86 eta 64 s`, or `-`.
    static func progress(_ job: JSONValue) -> String {
        guard let p = job["progress"], p.objectValue != nil else { return "-" }
        if p["rows"] != nil {
            return "rows \(p.text("rows"))/\(p.text("total"))" + (p["etaSeconds"]?.doubleValue.map { " eta \(Int($0.rounded())) s" } ?? "")
        }
        let metrics = (p["metrics"]?.objectValue ?? [:]).keys.sorted().map { key in
            "\(key)=\(String(format: "%.4f", p["metrics"]?[key]?.doubleValue ?? 0))"
        }
        let eta = p["etaSeconds"]?.doubleValue.map { " eta \(Int($0.rounded())) s" } ?? ""
        return "epoch \(p.text("epoch"))/\(p.text("epochs")) step \(p.text("step"))/\(p.text("steps")) " + metrics.joined(separator: " ") + eta
    }

    /// The scores and registered version of a finished job, or `-`.
    static func outcome(_ job: JSONValue) -> String {
        guard let result = job["result"], result.objectValue != nil else { return "-" }
        let metrics = (result["metrics"]?.objectValue ?? [:]).keys.sorted().map { key in
            "\(key)=\(String(format: "%.4f", result["metrics"]?[key]?.doubleValue ?? 0))"
        }.joined(separator: " ")
        let model = result["modelVersion"] == nil ? "" : " → model \(result.text("modelId")) v\(result.text("modelVersion"))"
        if result["rows"] != nil {
            return "\(result.text("rows")) rows → dataset \(result.text("datasetId")) v\(result.text("datasetVersion"))"
        }
        let best = result["bestJob"] == nil ? "" : "best trial \(result.text("bestJob")) \(result.text("metric"))=\(result.text("score"))"
        return (best + metrics + model).isEmpty ? "-" : best + metrics + model
    }
}

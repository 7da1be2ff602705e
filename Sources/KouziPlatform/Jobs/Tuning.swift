import Foundation
import KouziNN
import KouziTensor
import KouziTraining

/// One searched hyper-parameter: a list of values, or a range to sample (on a log scale when asked).
public struct SearchDimension: Codable, Sendable, Equatable {
    public var values: [JSONValue]?
    public var min: Double?
    public var max: Double?
    public var log: Bool?

    public init(values: [JSONValue]? = nil, min: Double? = nil, max: Double? = nil, log: Bool? = nil) {
        self.values = values
        self.min = min
        self.max = max
        self.log = log
    }
}

/// A hyper-parameter search as submitted: the training job to vary, the space, the strategy and the score.
///
/// Strategies: `grid` (every combination of listed values), `random` (`trials` samples), and
/// `successive_halving` (`trials` samples trained for `minEpochs`; the best 1/`eta` continue from their
/// checkpoints for `eta` times more epochs, and so on up to the `epochs` setting: Hyperband's inner loop).
public struct TuningSubmission: Codable, Sendable, Equatable {
    public var training: TrainingSubmission
    public var space: [String: SearchDimension]
    public var strategy: String
    public var trials: Int?
    /// The per-epoch log key that ranks trials, read at each trial's last epoch (default `val_loss`).
    public var metric: String?
    /// `min` or `max` (default: `max` for accuracy, AUC, F1 and R² keys, else `min`).
    public var mode: String?
    public var minEpochs: Int?
    public var eta: Int?

    public init(training: TrainingSubmission, space: [String: SearchDimension], strategy: String, trials: Int? = nil,
                metric: String? = nil, mode: String? = nil, minEpochs: Int? = nil, eta: Int? = nil) {
        self.training = training
        self.space = space
        self.strategy = strategy
        self.trials = trials
        self.metric = metric
        self.mode = mode
        self.minEpochs = minEpochs
        self.eta = eta
    }

    var metricKey: String { metric ?? "val_loss" }

    var maximize: Bool {
        if let mode { return mode == "max" }
        let k = metricKey.lowercased()
        return ["acc", "auc", "f1", "r2", "precision", "recall"].contains { k.contains($0) }
    }

    /// Checks the search: known strategy, dimensions that are hyper-parameters of the plan, values in range.
    func check(_ plan: TrainingPlan) throws -> [Hyperparameter] {
        guard ["grid", "random", "successive_halving"].contains(strategy) else {
            throw PlatformError.invalid("strategy", "'\(strategy)' is not one of grid, random, successive_halving")
        }
        guard !space.isEmpty else { throw PlatformError.invalid("space", "name at least one hyper-parameter to search") }
        if let mode, mode != "min" && mode != "max" { throw PlatformError.invalid("mode", "must be min or max, got '\(mode)'") }
        let declared = plan.declaredHyperparameters
        var dimensions: [Hyperparameter] = []
        for name in space.keys.sorted() {
            guard let h = declared.first(where: { $0.name == name }) else {
                throw PlatformError.invalid("space", "'\(name)' is not a hyper-parameter of \(plan.modelName) (have: \(declared.map(\.name).joined(separator: ", ")))")
            }
            if strategy == "successive_halving" && name == "epochs" {
                throw PlatformError.invalid("space", "successive halving sets epochs itself; search other settings")
            }
            let d = space[name]!
            do {
                if let values = d.values {
                    guard !values.isEmpty else { throw PlatformError.invalid("space", "\(name): the list of values is empty") }
                    for v in values { _ = try h.validate(v) }
                } else if let lo = d.min, let hi = d.max, strategy != "grid", h.kind == .integer || h.kind == .number {
                    guard lo <= hi, !(d.log == true && lo <= 0) else {
                        throw PlatformError.invalid("space", "\(name): the range \(lo)…\(hi) is empty or not positive on a log scale")
                    }
                    _ = try h.validate(.number(h.kind == .integer ? lo.rounded(.up) : lo))
                    _ = try h.validate(.number(h.kind == .integer ? hi.rounded(.down) : hi))
                } else {
                    throw PlatformError.invalid("space", "\(name): give \"values\"" + (strategy == "grid" ? "" : " or a numeric \"min\"/\"max\" range"))
                }
            } catch { throw JobService.map(error) }
            dimensions.append(h)
        }
        let count = trials ?? 8
        guard (1...100).contains(count) else { throw PlatformError.invalid("trials", "must be in 1…100, got \(count)") }
        if strategy == "grid" {
            let size = space.values.reduce(1) { $0 * ($1.values?.count ?? 1) }
            guard size <= 100 else { throw PlatformError.invalid("space", "the grid has \(size) combinations; the limit is 100") }
        }
        if strategy == "successive_halving" {
            guard (2...10).contains(eta ?? 3) else { throw PlatformError.invalid("eta", "must be in 2…10") }
            guard (1...1000).contains(minEpochs ?? 1) else { throw PlatformError.invalid("minEpochs", "must be in 1…1000") }
            guard (minEpochs ?? 1) <= plan.values.int("epochs") else {
                throw PlatformError.invalid("minEpochs", "is above the epochs setting (\(plan.values.int("epochs"))), the largest budget")
            }
        }
        return dimensions
    }

    /// The configurations to try (grid: all combinations in order; otherwise `trials` seeded samples).
    func configurations(_ dimensions: [Hyperparameter], seed: UInt64) -> [[String: JSONValue]] {
        if strategy == "grid" {
            return dimensions.reduce([[:]]) { partial, h in
                partial.flatMap { config in space[h.name]!.values!.map { config.merging([h.name: $0]) { $1 } } }
            }
        }
        var rng = SeededGenerator(seed: seed &+ 0x7475_6e65)
        return (0..<(trials ?? 8)).map { _ in
            var config: [String: JSONValue] = [:]
            for h in dimensions {
                let d = space[h.name]!
                if let values = d.values {
                    config[h.name] = values[Int.random(in: 0..<values.count, using: &rng)]
                } else {
                    let lo = d.min!, hi = d.max!
                    let u = Double.random(in: 0...1, using: &rng)
                    var x = d.log == true ? Foundation.exp(Foundation.log(lo) + u * (Foundation.log(hi) - Foundation.log(lo))) : lo + u * (hi - lo)
                    if h.kind == .integer { x = Swift.min(Swift.max(x.rounded(), lo.rounded(.up)), hi.rounded(.down)) }
                    config[h.name] = .number(x)
                }
            }
            return config
        }
    }

    /// Epoch budgets of the rungs: minEpochs, ×eta, … up to the epochs setting (one rung for grid and random).
    func budgets(maxEpochs: Int) -> [Int] {
        guard strategy == "successive_halving" else { return [maxEpochs] }
        var budgets = [minEpochs ?? 1]
        while budgets.last! * (eta ?? 3) <= maxEpochs { budgets.append(budgets.last! * (eta ?? 3)) }
        if budgets.last! < maxEpochs { budgets.append(maxEpochs) }
        return budgets
    }
}

extension JobService {
    /// Queues a hyper-parameter search after checking the training job and the space (editors).
    public func submitTuning(_ principal: Principal, projectID: Int64, _ submission: TuningSubmission) async throws -> Job {
        try await accounts.require(principal, .editor, in: projectID)
        let plan: TrainingPlan
        do { plan = try TrainingPlan(submission.training.request, catalogue: catalogue) } catch { throw Self.map(error) }
        if plan.template?.task == .recommendation {
            throw PlatformError.invalid("training", "searches tune network templates; train recommender settings as separate jobs")
        }
        _ = try submission.check(plan)
        let checked = try await checkTraining(principal, projectID: projectID, submission.training)
        let request = try jsonText(submission)
        return try await store.write { tx in
            try await Self.insert(tx, projectID: projectID, kind: .tune, parentID: nil, request: request,
                                  dataset: submission.training.dataset, test: submission.training.test,
                                  modelName: checked.modelName, modelID: nil, modelVersion: nil,
                                  experiment: checked.experiment, maxAttempts: checked.maxAttempts, userID: principal.userID)
        }
    }
}

extension JobRunner {
    /// Runs a search: creates each rung's trials as child training jobs (other workers may take them too), runs
    /// queued ones itself, ranks the finished ones, promotes the best to the next rung from their checkpoints,
    /// and registers the best trial's model.
    func tune(_ job: Job, control: JobControl) async throws -> JobOutcome {
        let jobs = platform.jobs
        let submission = try job.submission(as: TuningSubmission.self)
        let plan = try TrainingPlan(submission.training.request, catalogue: jobs.catalogue)
        let dimensions = try submission.check(plan)
        let maxEpochs = plan.values.int("epochs")
        var survivors = submission.configurations(dimensions, seed: plan.seed).map { (config: $0, previous: Int64?.none) }
        var ranked: [(job: Job, score: Double)] = []
        let budgets = submission.budgets(maxEpochs: maxEpochs)
        try await jobs.log(jobID: job.id, "\(submission.strategy) search over \(dimensions.map(\.name).joined(separator: ", ")): "
            + "\(survivors.count) configurations, epoch budgets \(budgets.map(String.init).joined(separator: " → ")), "
            + "ranked by \(submission.maximize ? "highest" : "lowest") \(submission.metricKey)")
        for (rung, budget) in budgets.enumerated() {
            let children = try await jobs.createTrials(parent: job, submission: submission, rung: rung, budget: budget, configs: survivors)
            try await runTrials(parent: job, children: children.map(\.id), control: control)
            if control.shouldStop { return JobOutcome(state: .cancelled) }
            let finished = try await jobs.trials(of: job.id, ids: children.map(\.id))
            ranked = finished.compactMap { child in
                guard child.state == .succeeded, let value = child.result?.objectValue?["final"]?.objectValue?[submission.metricKey]?.doubleValue else { return nil }
                return (child, value)
            }.sorted { submission.maximize ? $0.score > $1.score : $0.score < $1.score }
            guard !ranked.isEmpty else {
                throw PlatformError(.unprocessable, code: "no_trial_succeeded",
                                    "no trial of rung \(rung + 1) succeeded with a '\(submission.metricKey)' score; see the trials' logs")
            }
            try await jobs.log(jobID: job.id, "rung \(rung + 1) (\(budget) epochs): " + ranked.map {
                "job \($0.job.id) \(submission.metricKey)=\(String(format: "%.4f", $0.score))"
            }.joined(separator: ", "))
            let keep = Swift.max(1, ranked.count / (submission.eta ?? 3))
            survivors = ranked.prefix(keep).map { (Self.hyperparameters(of: $0.job).filter { $0.key != "epochs" }, $0.job.id) }
        }
        let best = ranked[0]
        let trialDirectory = workDirectory(best.job.id)
        let package = trialDirectory.appendingPathComponent("model.zip").path
        try ModelPackage.pack(directory: trialDirectory.appendingPathComponent("model.kouzi").path, to: package)
        let report = try JSONDecoder().decode(EvaluationReport.self, from: try JSONEncoder().encode(best.job.result?.objectValue?["report"] ?? .null))
        let split = best.job.result?.objectValue?["reportSplit"]?.stringValue ?? "validation"
        let version = try await platform.models.registerTrained(
            projectID: job.projectID, modelName: job.modelName ?? plan.modelName, packagePath: package, userID: job.createdBy,
            update: ModelVersionUpdate(description: "Best trial (job \(best.job.id)) of search job \(job.id)",
                                       metrics: Dictionary(uniqueKeysWithValues: report.metrics.map { ("\(split)_\($0.key)", $0.value) }),
                                       tags: ["kouzi.job": String(best.job.id), "kouzi.tuning_job": String(job.id)]),
            lineage: ModelLineage(datasetID: job.dataset.id, datasetVersion: job.dataset.version, runID: best.job.runID))
        let evaluation = try await jobs.recordEvaluation(projectID: job.projectID, modelID: version.modelID, modelVersion: version.number,
                                                         dataset: job.test ?? job.dataset, jobID: best.job.id, report: report,
                                                         userID: job.createdBy)
        try await jobs.markBest(trial: best.job.id, parent: job.id)
        if let runID = best.job.runID { try await platform.tracking.setTags(runID: runID, ["kouzi.best_trial": "true"]) }
        for child in try await jobs.trials(of: job.id, ids: nil) { try? FileManager.default.removeItem(at: workDirectory(child.id)) }
        try await jobs.log(jobID: job.id, "best: job \(best.job.id) with \(submission.metricKey)=\(String(format: "%.4f", best.score)); "
            + "registered as model \(version.modelID) version \(version.number)")
        let result: JSONValue = .object([
            "bestJob": .number(Double(best.job.id)), "metric": .string(submission.metricKey), "score": .number(best.score),
            "hyperparameters": .object(Self.hyperparameters(of: best.job)),
            "modelId": .number(Double(version.modelID)), "modelVersion": .number(Double(version.number)),
            "evaluationId": .number(Double(evaluation.id)),
            "ranking": .array(ranked.map { .object(["job": .number(Double($0.job.id)), "score": .number($0.score)]) }),
        ])
        return JobOutcome(state: .succeeded, result: try jsonText(result), modelID: version.modelID, modelVersion: version.number)
    }

    /// Runs queued trials of `parent` in this slot until every one of `children` has finished.
    private func runTrials(parent: Job, children: [Int64], control: JobControl) async throws {
        let jobs = platform.jobs
        while true {
            if control.shouldStop {
                try await jobs.cancelTrials(of: parent.id)
                return
            }
            if let trial = try await jobs.claim(worker: options.workerName, parentID: parent.id) {
                await execute(trial)
                continue
            }
            let pending = try await jobs.trials(of: parent.id, ids: children).filter { !$0.state.isFinished }
            if pending.isEmpty { return }
            try await Task.sleep(nanoseconds: UInt64(options.pollInterval * 1e9))
        }
    }

    static func hyperparameters(of job: Job) -> [String: JSONValue] {
        job.request.objectValue?["hyperparameters"]?.objectValue ?? [:]
    }
}

extension JobService {
    /// Creates one rung's trials: the training submission with each configuration and the rung's epoch budget,
    /// continuing from the previous rung's checkpoint of the same configuration.
    func createTrials(parent: Job, submission: TuningSubmission, rung: Int, budget: Int,
                      configs: [(config: [String: JSONValue], previous: Int64?)]) async throws -> [Job] {
        let requests = try configs.map { entry -> String in
            var training = submission.training
            training.hyperparameters = (training.hyperparameters ?? [:]).merging(entry.config) { $1 }
                .merging(submission.strategy == "successive_halving" ? ["epochs": .number(Double(budget))] : [:]) { $1 }
            training.warmStartJob = entry.previous
            return try jsonText(training)
        }
        return try await store.write { tx in
            var created: [Job] = []
            for request in requests {
                created.append(try await Self.insert(tx, projectID: parent.projectID, kind: .train, parentID: parent.id, request: request,
                                                     dataset: parent.dataset, test: parent.test, modelName: parent.modelName,
                                                     modelID: nil, modelVersion: nil, experiment: parent.experiment,
                                                     maxAttempts: Int(parent.maxAttempts), userID: parent.createdBy))
            }
            try await Self.appendLog(tx, jobID: parent.id, "rung \(rung + 1): queued trials \(created.map { String($0.id) }.joined(separator: ", ")) for \(budget) epochs")
            return created
        }
    }

    /// The trials of a search (all, or those with the given ids).
    func trials(of parentID: Int64, ids: [Int64]?) async throws -> [Job] {
        try await store.read { tx in
            try await tx.query("SELECT * FROM jobs WHERE parent_id = ? ORDER BY id", parentID).map(Job.init(row:))
                .filter { ids?.contains($0.id) ?? true }
        }
    }

    /// Cancels a search's queued trials and asks its running ones to stop.
    func cancelTrials(of parentID: Int64) async throws {
        try await store.write { tx in
            let now = Clock.nowMillis()
            try await tx.execute("UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE parent_id = ? AND state = 'queued'",
                                 now, now, parentID)
            try await tx.execute("UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE parent_id = ? AND state = 'running'", now, parentID)
        }
    }

    /// Marks the best trial in its result.
    func markBest(trial: Int64, parent: Int64) async throws {
        try await store.write { tx in
            guard let row = try await tx.first("SELECT result FROM jobs WHERE id = ? AND parent_id = ?", trial, parent) else { return }
            var result = try row.optionalJSON("result", as: JSONValue.self)?.objectValue ?? [:]
            result["best"] = .bool(true)
            try await tx.execute("UPDATE jobs SET result = ?, updated_at = ? WHERE id = ?", try jsonText(JSONValue.object(result)),
                                 Clock.nowMillis(), trial)
        }
    }
}

import KouziInference
import KouziTraining

extension TrainingPlan {
    /// Checks `request` against the standard catalogue (every task Kouzi ships).
    public init(_ request: TrainingRequest) throws {
        try self.init(request, catalogue: TaskCatalogue.standard.training)
    }
}

extension TrainingSession {
    /// A session that reads its data with the standard catalogue's data kinds.
    public convenience init(plan: TrainingPlan, train: TrainingDataSource, test: TrainingDataSource?, checkpointDirectory: String) {
        self.init(plan: plan, train: train, test: test, checkpointDirectory: checkpointDirectory,
                  catalogue: TaskCatalogue.standard.training)
    }
}

extension EdgeModel {
    /// Loads a bundle or model directory served by the standard catalogue's codecs.
    public convenience init(path: String) throws {
        try self.init(path: path, codecs: TaskCatalogue.standard.codecs)
    }
}

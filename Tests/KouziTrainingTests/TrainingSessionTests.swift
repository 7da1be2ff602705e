import Foundation
import KouziBase
@testable import KouziInference
import KouziNN
@testable import KouziTasks
@testable import KouziTraining
import Testing

@Suite("Training sessions: checkpoints, resume, reports")
struct TrainingSessionTests {
    func plan(_ hyper: [String: JSONValue], template: String = "mlp_classifier", target: String = "label") throws -> TrainingPlan {
        try TrainingPlan(TrainingRequest(template: template, target: target, hyperparameters: hyper, seed: 7))
    }

    @Test func aResumedSessionEndsExactlyWhereAnUninterruptedOneDoes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeBlobsCSV(to: dir + "/blobs.csv")
        let settings: [String: JSONValue] = ["epochs": .number(4), "units": .number(16), "dropout": .number(0),
                                             "batch_size": .number(16)]
        let whole = TrainingSession(plan: try plan(settings), train: .csv(path: dir + "/blobs.csv"), test: nil,
                                    checkpointDirectory: dir + "/ckpt-whole")
        let reference = try whole.run(output: dir + "/whole.kouzi")
        #expect(reference.history.count == 4 && reference.resumedAfterEpoch == 0)

        // The first attempt stops after two epochs, as a killed worker would.
        let first = TrainingSession(plan: try plan(settings), train: .csv(path: dir + "/blobs.csv"), test: nil,
                                    checkpointDirectory: dir + "/ckpt")
        var epochsSeen: [Int] = []
        first.onEpoch = { epoch, _ in epochsSeen.append(epoch) }
        first.shouldStop = { epochsSeen.count == 2 }
        #expect(throws: TrainingCancelled.self) { try first.run(output: dir + "/resumed.kouzi") }
        #expect(BackupAndRestore.latestBackup(in: dir + "/ckpt")?.epoch == 2)

        let second = TrainingSession(plan: try plan(settings), train: .csv(path: dir + "/blobs.csv"), test: nil,
                                     checkpointDirectory: dir + "/ckpt")
        var restored: [[String: Double]] = []
        second.onResume = { restored = $0 }
        second.onEpoch = { epoch, _ in epochsSeen.append(epoch) }
        let resumed = try second.run(output: dir + "/resumed.kouzi")
        #expect(resumed.resumedAfterEpoch == 2 && restored.count == 2)
        #expect(epochsSeen == [1, 2, 3, 4], "no epoch is lost or repeated")
        #expect(resumed.history.count == 4)
        for (a, b) in zip(reference.history, resumed.history) {
            #expect(abs(a["loss"]! - b["loss"]!) < 1e-6, "loss \(a["loss"]!) vs \(b["loss"]!)")
        }
        #expect(abs(reference.report!.metrics["accuracy"]! - resumed.report!.metrics["accuracy"]!) < 1e-9)
        let a = try Sequential.load(from: dir + "/whole.kouzi"), b = try Sequential.load(from: dir + "/resumed.kouzi")
        for (p, q) in zip(a.namedParameters, b.namedParameters) {
            #expect(zip(p.parameter.value.scalars, q.parameter.value.scalars).allSatisfy { abs($0 - $1) < 1e-5 }, "\(p.name)")
        }
    }

    @Test func aTableClassifierLearnsAndReportsPerClassScores() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeBlobsCSV(rows: 400, to: dir + "/train.csv")
        try writeBlobsCSV(rows: 200, to: dir + "/test.csv")
        let session = TrainingSession(plan: try plan(["epochs": .number(15), "units": .number(16)]),
                                      train: .csv(path: dir + "/train.csv"), test: .csv(path: dir + "/test.csv"),
                                      checkpointDirectory: dir + "/ckpt")
        var progress: [TrainingProgress] = []
        session.onProgress = { progress.append($0) }
        let outcome = try session.run(output: dir + "/model.kouzi")
        #expect(outcome.reportSplit == "test" && outcome.report!.examples == 200)
        #expect(outcome.report!.metrics["accuracy"]! > 0.9, "\(outcome.report!.metrics)")
        #expect(outcome.report!.metrics["roc_auc"]! > 0.95)
        #expect(outcome.report!.classes == ["no", "yes"])
        #expect(outcome.report!.confusionMatrix!.flatMap { $0 }.reduce(0, +) == 200)
        #expect(outcome.report!.perClass!.map(\.support).reduce(0, +) == 200)
        #expect(progress.last?.epoch == 15 && progress.last?.step == progress.last?.steps && progress.last?.etaSeconds ?? 1 < 1e-9)
        let loaded = try SupervisedModel(path: dir + "/model.kouzi")
        #expect(loaded.hasSavedPreprocessing && loaded.model.classLabels == ["no", "yes"])
    }

    @Test func theTextTemplateLearnsFromATextColumn() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeSentencesCSV(to: dir + "/reviews.csv")
        let request = TrainingRequest(template: "lstm_text_classifier", target: "sentiment",
                                      hyperparameters: ["epochs": .number(6), "sequence_length": .number(8),
                                                        "embedding_dim": .number(16), "units": .number(16),
                                                        "validation_split": .number(0.25)], seed: 3)
        let outcome = try TrainingSession(plan: try TrainingPlan(request), train: .csv(path: dir + "/reviews.csv"), test: nil,
                                          checkpointDirectory: dir + "/ckpt").run(output: dir + "/text.kouzi")
        #expect(outcome.reportSplit == "validation")
        #expect(outcome.report!.metrics["accuracy"]! > 0.95, "\(outcome.report!.metrics)")
        let loaded = try SupervisedModel(path: dir + "/text.kouzi")
        #expect(loaded.preprocessing.text?.column == "review")
    }

    @Test func regressionReportsRMSEMAEAndR2InTargetUnits() {
        let report = EvaluationReport.regression(predicted: [1, 2, 3, 5], truth: [1, 2, 3, 4])
        #expect(abs(report.metrics["rmse"]! - 0.5) < 1e-12 && abs(report.metrics["mae"]! - 0.25) < 1e-12)
        #expect(abs(report.metrics["r2"]! - (1 - 1 / 5.0)) < 1e-12)
    }

    @Test func theConfusionMatrixAndROCCurveFollowTheirDefinitions() {
        let p = Predictions(classNames: ["a", "b", "c"], classIDs: [0, 1, 2, 2, 1],
                            probabilities: [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]])
        let report = EvaluationReport.classification(classes: p.classNames, predicted: p.classIDs, probabilities: p.probabilities,
                                                     truth: [0, 1, 2, 1, 0])
        #expect(report.confusionMatrix! == [[1, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(abs(report.metrics["accuracy"]! - 0.6) < 1e-12)
        let b = report.perClass![1]
        #expect(b.precision == 0.5 && b.recall == 0.5 && b.support == 2)
        let curve = report.rocCurves![0]
        #expect(curve.falsePositiveRate.first == 0 && curve.falsePositiveRate.last == 1 && curve.truePositiveRate.last == 1)
        #expect(curve.auc == 1, "class a has the two highest scores")
    }
}

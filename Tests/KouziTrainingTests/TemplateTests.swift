import Foundation
import KouziBase
import KouziNN
@testable import KouziTasks
@testable import KouziTraining
import Synchronization
import Testing

@Suite("Algorithm templates and training plans")
struct TemplateTests {
    let table = DatasetDescription(kind: "table", columns: [("x1", "float"), ("x2", "float"), ("colour", "categorical"),
                                                           ("label", "categorical")])

    @Test func everyTemplateBuildsAModelFromItsDefaults() throws {
        for network in SupervisedTemplates.networks {
            let template = network.template
            let values = try HyperparameterValues([:], declared: template.hyperparameters)
            let facts = DataFacts(imageShape: template.dataKinds == ["images"] ? [28, 28] : nil, classCount: 3)
            let spec = try network.spec(for: facts, values)
            let input: [Int] = template.readsText ? [values.int("sequence_length")] : template.dataKinds == ["images"] ? [28, 28, 1] : [5]
            let model = try spec.makeModel(inputShape: input)
            let output = try model.outputShape(for: [-1] + input)
            #expect(output == [-1, template.task == .classification ? 3 : 1], "\(template.id)")
        }
        let all = TaskCatalogue.standard.training.templates
        #expect(Set(all.map(\.id)).count == all.count)
    }

    @Test func hyperparametersOutOfRangeUnknownOrMistypedAreRefused() throws {
        let request = { (h: [String: JSONValue]) in TrainingRequest(template: "mlp_classifier", target: "label", hyperparameters: h) }
        do {
            _ = try TrainingPlan(request(["learning_rate": .number(20)]))
            Issue.record("a learning rate of 20 was accepted")
        } catch let TrainingError.invalidConfiguration(field, message) {
            #expect(field == "hyperparameters.learning_rate" && message.hasPrefix("20 is above the allowed range"))
        }
        #expect(throws: TrainingError.invalidConfiguration(field: "hyperparameters.epochs", message: "must be a whole number, got 2.5")) {
            try TrainingPlan(request(["epochs": .number(2.5)]))
        }
        #expect(throws: TrainingError.self) { try TrainingPlan(request(["epochs": .number(0)])) }
        #expect(throws: TrainingError.self) { try TrainingPlan(request(["activation": .string("swish")])) }
        #expect(throws: TrainingError.self) { try TrainingPlan(request(["epochs": .string("ten")])) }
        do {
            _ = try TrainingPlan(request(["epoch": .number(3)]))
            Issue.record("an unknown hyper-parameter was accepted")
        } catch let error as TrainingError {
            #expect(error.description.contains("unknown hyper-parameter") && error.description.contains("epochs"))
        }
        let plan = try TrainingPlan(request(["units": .number(16)]))
        #expect(plan.values.int("units") == 16 && plan.values.int("epochs") == 20)
        #expect(plan.parameters["units"] == "16" && plan.parameters["learning_rate"] == "0.001" && plan.parameters["target"] == "label")
    }

    @Test func specsWithUnknownLayersOrTwoSourcesAreRefused() throws {
        let spec: JSONValue = .object(["layers": .array([.object(["type": .string("Dense"), "units": .number(2)]),
                                                         .object(["type": .string("Quantum")])]),
                                       "optimizer": .string("adam"), "loss": .string("sparse_categorical_crossentropy")])
        do {
            _ = try TrainingPlan(TrainingRequest(spec: spec, target: "label"))
            Issue.record("an unknown layer was accepted")
        } catch let TrainingError.invalidConfiguration(field, message) {
            #expect(field == "spec.layers[1]" && message.contains("unknown layer type 'Quantum'"))
        }
        #expect(throws: TrainingError.self) { try TrainingPlan(TrainingRequest(template: "mlp_classifier", spec: spec)) }
        #expect(throws: TrainingError.self) { try TrainingPlan(TrainingRequest()) }
        #expect(throws: TrainingError.self) { try TrainingPlan(TrainingRequest(template: "gradient_boosting")) }
    }

    @Test func dataThatDoesNotFitTheTemplateIsRefused() throws {
        func check(_ id: String, _ data: DatasetDescription, target: String?, text: String? = nil) throws {
            try TrainingPlan(TrainingRequest(template: id, target: target, textColumn: text)).check(data)
        }
        try check("mlp_classifier", table, target: "label")
        #expect(throws: TrainingError.self) { try check("cnn_image_classifier", table, target: "label") }
        #expect(throws: TrainingError.self) { try check("mlp_classifier", table, target: "price") }
        #expect(throws: TrainingError.self) { try check("mlp_classifier", table, target: nil) }
        #expect(throws: TrainingError.self) { try check("linear_regression", table, target: "label") }
        #expect(throws: TrainingError.self) { try check("mlp_classifier", DatasetDescription(kind: "audio"), target: nil) }
        try check("lstm_text_classifier", table, target: "label")
        #expect(throws: TrainingError.self) { try check("lstm_text_classifier", table, target: "label", text: "x9") }
        let numbers = DatasetDescription(kind: "table", columns: [("a", "float"), ("y", "integer")])
        try check("linear_regression", numbers, target: "y")
        #expect(throws: TrainingError.self) { try check("lstm_text_classifier", numbers, target: "y") }
        try check("cnn_image_classifier", DatasetDescription(kind: "images"), target: nil)
        #expect(throws: TrainingError.self) { try check("cnn_image_classifier", DatasetDescription(kind: "images"), target: "label") }
    }
}

@Suite("Weight seeds")
struct WeightSeedTests {
    @Test func aThreadsOwnGeneratorIgnoresModelsBuiltBesideIt() {
        let draws = Mutex<[[UInt64]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let mine: [UInt64] = i % 2 == 0
                ? WeightSeed.withSeed(42) { (0..<200).map { _ in WeightSeed.next() } }
                : (0..<200).map { _ in WeightSeed.next() }
            if i % 2 == 0 { draws.withLock { $0.append(mine) } }
        }
        let all = draws.withLock { $0 }
        #expect(all.count == 4 && Set(all).count == 1, "every thread seeded with 42 drew the same seeds")
    }
}

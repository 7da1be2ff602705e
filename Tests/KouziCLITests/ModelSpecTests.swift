import Foundation
import KouziNN
import Testing
@testable import KouziCLI
import KouziTraining

/// The message of the error `body` throws, or "no error".
private func errorMessage(_ body: () throws -> Void) -> String {
    do { try body() } catch { return String(describing: error) }
    return "no error"
}

/// The message of parsing `json` as a spec and building it (for `inputShape` when given).
private func specError(_ json: String, inputShape: [Int]? = nil) -> String {
    errorMessage { _ = try ModelSpec(data: Data(json.utf8)).makeModel(inputShape: inputShape) }
}

private let dense = #"{"type": "Dense", "units": 2}"#

@Suite("Model specs")
struct ModelSpecTests {
    @Test func exampleSpecsBuildCompiledModels() throws {
        let mlp = try ModelSpec(contentsOf: CLI.exampleSpec("mlp-mnist.json"))
        #expect(mlp.name == "mlp-mnist" && mlp.inputShape == [784])
        #expect(mlp.optimizer == .init(name: "adam", options: ["learning_rate": 0.001]))
        let model = try mlp.makeModel()
        #expect(model.parameterCount == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10)
        #expect(try model.outputShape(for: [-1, 784]) == [-1, 10])
        #expect(model.optimizer?.name == "adam" && model.loss?.name == "sparse_categorical_crossentropy")
        #expect(model.metrics.map(\.name) == ["accuracy"])

        let iris = try ModelSpec(contentsOf: CLI.exampleSpec("logistic-iris.json")).makeModel(inputShape: [4])
        #expect(iris.inputShape == [4] && iris.parameterCount == 15)
        let diabetes = try ModelSpec(contentsOf: CLI.exampleSpec("regression-diabetes.json")).makeModel(inputShape: [10])
        #expect(diabetes.loss?.name == "mse" && diabetes.metrics.map(\.name) == ["mae", "r2"])
    }

    @Test func theDemoTrainsTheExampleMLP() throws {
        let embedded = try ModelSpec(data: Data(DemoCommand.specJSON.utf8))
        #expect(embedded == (try ModelSpec(contentsOf: CLI.exampleSpec("mlp-mnist.json"))))
    }

    @Test func decodesWithJSONDecoderAndReadsOptionObjects() throws {
        let json = #"{"layers": [\#(dense)], "optimizer": {"name": "sgd", "lr": 0.1, "nesterov": true, "momentum": 0.9},"#
            + #" "loss": {"name": "categorical_crossentropy", "from_logits": true}, "metrics": ["accuracy", "f1"]}"#
        let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        #expect(spec.optimizer.options == ["lr": 0.1, "nesterov": 1, "momentum": 0.9])
        #expect(spec.loss == .init(name: "categorical_crossentropy", options: ["from_logits": 1]))
        let model = try spec.makeModel(inputShape: [3])
        #expect(model.optimizer?.learningRate == 0.1)
        #expect(model.loss?.options["from_logits"] == 1)
        #expect(spec.inputShape == nil && model.inputShape == [3])
    }

    @Test func unknownLayerTypesListTheKnownOnes() throws {
        do {
            _ = try ModelSpec(data: Data(#"{"layers": [{"type": "Conv9"}], "optimizer": "adam", "loss": "mse"}"#.utf8)).makeModel()
            Issue.record("expected an error")
        } catch let NNError.unknownLayer(name, known) {
            #expect(name == "Conv9" && known.contains("Dense") && known.contains("Activation"))
        }
    }

    @Test func unknownOptimizersLossesAndMetricsAreNamed() {
        #expect(throws: NNError.self) { try ModelSpec(data: Data(#"{"layers": [\#(dense)], "optimizer": "adamx", "loss": "mse"}"#.utf8)) }
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adamx", "loss": "mse"}"#)
            .contains("unknown optimizer 'adamx' (known: sgd"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam", "loss": "hinge"}"#).contains("unknown loss 'hinge' (known: mse"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam", "loss": "mse", "metrics": ["bleu"]}"#)
            .contains("unknown metric 'bleu' (known: accuracy"))
        #expect(specError(#"{"layers": [{"type": "Dense", "units": 2, "activation": "swish"}], "optimizer": "adam", "loss": "mse"}"#)
            == "model spec: layers[0]: unknown activation 'swish' (known: linear, relu, sigmoid, tanh, leaky_relu, gelu, "
            + "softmax, log_softmax, softplus)")
    }

    @Test func missingAndIllTypedFieldsAreNamed() {
        #expect(specError(#"{"optimizer": "adam", "loss": "mse"}"#) == "model spec: missing field 'layers'")
        #expect(specError(#"{"layers": [\#(dense)], "loss": "mse"}"#) == "model spec: missing field 'optimizer'")
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam"}"#) == "model spec: missing field 'loss'")
        #expect(specError(#"{"layers": {}, "optimizer": "adam", "loss": "mse"}"#)
            .hasPrefix("model spec: field 'layers' must be a non-empty list"))
        #expect(specError(#"{"layers": [3], "optimizer": "adam", "loss": "mse"}"#).hasPrefix("model spec: layers[0] must be an object"))
        #expect(specError(#"{"layers": [{"type": "Dense"}], "optimizer": "adam", "loss": "mse"}"#)
            == "model spec: layers[0]: Dense: missing field 'units'")
        #expect(specError(#"{"layers": [\#(dense), {"type": "Dense", "units": "ten"}], "optimizer": "adam", "loss": "mse"}"#)
            == "model spec: layers[1]: Dense: field 'units' must be an integer, got \"ten\"")
        #expect(specError(#"{"layers": [{"units": 3}], "optimizer": "adam", "loss": "mse"}"#).contains("has no \"type\" string"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam", "loss": "mse", "metrics": "accuracy"}"#)
            .hasPrefix("model spec: field 'metrics' must be a list of metric names"))
        #expect(specError(#"{"input_shape": [0], "layers": [\#(dense)], "optimizer": "adam", "loss": "mse"}"#)
            .hasPrefix("model spec: field 'input_shape' must be a non-empty list of positive integers"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam", "loss": "mse", "epochs": 3}"#)
            .hasPrefix("model spec: unknown field 'epochs' (allowed: description, input_shape"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": {"name": "adam", "learning_rat": 0.1}, "loss": "mse"}"#)
            .hasPrefix("model spec: optimizer option 'learning_rat' is unknown"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": {"name": "adam", "learning_rate": 0}, "loss": "mse"}"#)
            == "model spec: optimizer learning_rate must be a positive number, got 0.0")
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": {"learning_rate": 1}, "loss": "mse"}"#)
            .hasPrefix("model spec: field 'optimizer' needs a \"name\" string"))
        #expect(specError(#"{"layers": [\#(dense)], "optimizer": "adam", "loss": {"name": "mse", "from_logits": "yes"}}"#)
            .hasPrefix("model spec: loss option 'from_logits' must be a number or true/false"))
        #expect(specError("[1, 2]") == "model spec: expected a JSON object, got [1, 2]")
    }

    @Test func shapesMustAgree() {
        #expect(specError(#"{"input_shape": [784], "layers": [\#(dense)], "optimizer": "adam", "loss": "mse"}"#, inputShape: [4])
            == "model spec: input_shape [784] does not match the data's sample shape [4]")
        let sized = #"{"type": "Dense", "units": 2, "input_size": 4}"#
        #expect(specError(#"{"input_shape": [3], "layers": [\#(sized)], "optimizer": "adam", "loss": "mse"}"#)
            .contains("expected input […, 4], got shape [-1, 3]"))
    }

    @Test func invalidJSONNamesTheLineAndColumn() throws {
        let text = "{\"layers\": [\(dense)],\n  \"optimizer\": adam, \"loss\": \"mse\"}"
        #expect(specError(text) == "invalid JSON at line 2, column 16: invalid value")
        #expect(specError("") == "invalid JSON: the text is empty")
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try CLI.write("{\"layers\": [\(dense)]\n\"optimizer\": \"adam\"}", to: "broken.json", in: directory)
        #expect(errorMessage { _ = try ModelSpec(contentsOf: path) } == "\(path): invalid JSON at line 2, column 1: invalid value")
        #expect(errorMessage { _ = try ModelSpec(contentsOf: directory + "/absent.json") }
            == "cannot read model spec '\(directory)/absent.json': no such file")
    }
}

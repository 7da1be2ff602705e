import Foundation
import KouziNN
import KouziTensor
import Testing

@Suite("Graph specs and their errors")
struct GraphSpecTests {
    private func spec(_ text: String) throws -> Model { try ModelSpec(data: Data(text.utf8)).makeModel() }

    private func message(_ text: String) -> String {
        do { _ = try spec(text); return "no error" } catch { return "\(error)" }
    }

    @Test func graphSpecBuildsAResidualNetwork() throws {
        let model = try spec(#"""
        {"inputs": [{"name": "x", "shape": [6]}],
         "nodes": [
           {"name": "a", "type": "Dense", "units": 6, "activation": "relu"},
           {"name": "b", "type": "Dense", "units": 6},
           {"name": "sum", "type": "Add", "inputs": ["b", "x"]},
           {"name": "again", "shares": "b", "inputs": ["sum"]},
           {"name": "out", "type": "Dense", "units": 2, "activation": "softmax"}],
         "outputs": ["out"],
         "optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
        """#)
        #expect(model.isFunctional && model.inputSignature.map(\.name) == ["x"])
        #expect(model.namedParameters.map(\.name) == ["a.kernel", "a.bias", "b.kernel", "b.bias", "out.kernel", "out.bias"])
        #expect(try model(Tensor.ones([3, 6])).shape == [3, 2])
        // The saved architecture reads back into the same graph.
        let again = try Model.fromArchitecture(try model.architecture())
        #expect(again.namedParameters.map(\.name) == model.namedParameters.map(\.name))
    }

    @Test func nodesMayComeInAnyOrderWithoutACycle() throws {
        let model = try spec(#"""
        {"input_shape": [4],
         "nodes": [
           {"name": "head", "type": "Dense", "units": 1, "inputs": ["body"]},
           {"name": "body", "type": "Dense", "units": 3, "inputs": ["input"]}],
         "outputs": ["head"], "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(try model(Tensor.ones([2, 4])).shape == [2, 1])
    }

    @Test func aCycleIsNamed() {
        let text = message(#"""
        {"inputs": [{"name": "x", "shape": [4]}],
         "nodes": [
           {"name": "a", "type": "Dense", "units": 4, "inputs": ["x"]},
           {"name": "b", "type": "Add", "inputs": ["a", "c"]},
           {"name": "c", "type": "Dense", "units": 4, "inputs": ["b"]}],
         "outputs": ["c"], "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(text.contains("cycle") && text.contains("'b'") && text.contains("'c'"), "\(text)")
    }

    @Test func anUnknownLayerNamesTheNode() {
        let text = message(#"""
        {"inputs": [{"name": "x", "shape": [4]}],
         "nodes": [{"name": "conv3", "type": "Conv3D", "filters": 2}], "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(text.contains("node 'conv3'") && text.contains("unknown layer type 'Conv3D'"), "\(text)")
    }

    @Test func mismatchedShapesAtAMergeNameTheNodeAndShapes() {
        let text = message(#"""
        {"inputs": [{"name": "x", "shape": [4]}],
         "nodes": [
           {"name": "wide", "type": "Dense", "units": 10, "inputs": ["x"]},
           {"name": "narrow", "type": "Dense", "units": 12, "inputs": ["x"]},
           {"name": "sum", "type": "Add", "inputs": ["wide", "narrow"]}],
         "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(text.contains("node 'sum'") && text.contains("[-1, 10]") && text.contains("[-1, 12]"), "\(text)")
    }

    @Test func unconnectedAndMissingInputsAreErrors() throws {
        let unused = message(#"""
        {"inputs": [{"name": "x", "shape": [4]}, {"name": "spare", "shape": [2]}],
         "nodes": [{"name": "d", "type": "Dense", "units": 1, "inputs": ["x"]}], "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(unused.contains("Input 'spare' is not connected to any output"), "\(unused)")
        let missing = message(#"""
        {"inputs": [{"name": "x", "shape": [4]}],
         "nodes": [{"name": "d", "type": "Dense", "units": 1, "inputs": ["y"]}], "optimizer": "sgd", "loss": "mse"}
        """#)
        #expect(missing.contains("node 'd' reads 'y', which is neither an input nor a node"), "\(missing)")
        // In code: an output that depends on an input the model does not list.
        let a = Input(shape: [2], name: "a"), b = Input(shape: [2], name: "b")
        let sum = try Add()([a, b])
        let error = #expect(throws: NNError.self) { try Model(inputs: [a], outputs: [sum]) }
        #expect(error?.description.contains("Input 'b', which is not among the model's inputs") == true)
        let notAnInput = #expect(throws: NNError.self) { try Model(inputs: [sum], outputs: [sum]) }
        #expect(notAnInput?.description.contains("must be Input(shape:) placeholders") == true)
    }

    /// Rewrites the architecture in a saved model's `model.json`.
    private func editArchitecture(_ path: String, _ edit: (inout [String: JSONValue]) -> Void) throws {
        let url = URL(fileURLWithPath: path + "/model.json")
        var manifest = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: url))
        var architecture = manifest["architecture"]!.objectValue!
        edit(&architecture)
        manifest["architecture"] = .object(architecture)
        try JSONEncoder().encode(manifest).write(to: url)
    }

    /// The nodes of an architecture with `change` applied to the node named `name`.
    private func changing(_ name: String, in architecture: [String: JSONValue], _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        .array(architecture["nodes"]!.arrayValue!.map { node in
            guard var fields = node.objectValue, fields["name"]?.stringValue == name else { return node }
            change(&fields)
            return .object(fields)
        })
    }

    @Test func aSavedGraphWithAnUnknownLayerACycleOrAnUnregisteredClassFailsByName() throws {
        let path = temporaryPath("broken.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = try residualClassifier()
        try model.save(to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path + "/model.json"))
        func restore() throws { try original.write(to: URL(fileURLWithPath: path + "/model.json")) }

        try editArchitecture(path) { $0["nodes"] = changing("add", in: $0) { $0["type"] = "Plus" } }
        let unknown = #expect(throws: NNError.self) { try Model.load(from: path) }
        #expect(unknown?.description.contains("node 'add'") == true && unknown?.description.contains("unknown layer type 'Plus'") == true,
                "\(String(describing: unknown))")

        try restore()
        try editArchitecture(path) { $0["nodes"] = changing("dense", in: $0) { $0["inputs"] = ["dense_3"] } }
        let cycle = #expect(throws: NNError.self) { try Model.load(from: path) }
        #expect(cycle?.description.contains("the graph has a cycle") == true && cycle?.description.contains("'dense'") == true,
                "\(String(describing: cycle))")

        try restore()
        try editArchitecture(path) { $0["class"] = "DistilledStudent" }
        let unregistered = #expect(throws: NNError.self) { try Model.load(from: path) }
        #expect(unregistered?.description.contains("the model class 'DistilledStudent' is not known to this program") == true)
    }
}

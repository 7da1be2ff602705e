import Foundation
import KouziNN
import KouziONNX
import KouziTensor
import KouziTestSupport
import Testing

/// Every way an ONNX file can be wrong gives a precise error, never a crash.
@Suite("ONNX bad input")
struct ONNXBadInputTests {
    /// A valid one-layer model (x → Relu → y) with the given nodes and opset, to break in one place at a time.
    func model(nodes: [Onnx_NodeProto]? = nil, opset: Int64 = 17, initializers: [Onnx_TensorProto] = []) -> Onnx_ModelProto {
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = 1
        var dim = Onnx_TensorShapeProto.Dimension()
        dim.dimParam = "N"
        var width = Onnx_TensorShapeProto.Dimension()
        width.dimValue = 4
        tensorType.shape.dim = [dim, width]
        input.type.tensorType = tensorType
        var output = input
        output.name = "y"
        var graph = Onnx_GraphProto()
        graph.name = "g"
        graph.input = [input]
        graph.output = [output]
        graph.node = nodes ?? [node("Relu", ["x"], ["y"])]
        graph.initializer = initializers
        var proto = Onnx_ModelProto()
        proto.irVersion = 8
        proto.graph = graph
        var set = Onnx_OperatorSetIdProto()
        set.version = opset
        proto.opsetImport = [set]
        return proto
    }

    func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "") -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        return n
    }

    func message(_ data: Data) -> String {
        do {
            _ = try ONNXImporter.model(from: data)
            return "no error"
        } catch let error as ONNXError {
            return error.description
        } catch {
            return "not an ONNXError: \(error)"
        }
    }

    @Test func theValidModelLoads() throws {
        let model = try ONNXImporter.model(from: try model().serializedData())
        let y = try model([Tensor([[-1, 2, -3, 4]])])[0]
        #expect(y.scalars == [0, 2, 0, 4])
    }

    @Test func truncatedAndForeignBytes() throws {
        let whole = try model(initializers: [Onnx_TensorProto()]).serializedData()
        #expect(message(whole.prefix(whole.count / 2)).hasPrefix("not a readable ONNX model"))
        #expect(message(Data("PK\u{3}\u{4} this is a zip, not a model".utf8)).hasPrefix("not a readable ONNX model"))
        #expect(message(Data()).hasPrefix("not a readable ONNX model"))
        #expect(message(Data(#"{"format": "kouzi"}"#.utf8)).hasPrefix("not a readable ONNX model"))
    }

    @Test func unsupportedOperatorsAreAllNamed() throws {
        let nodes = [node("Einsum", ["x"], ["a"], name: "mix"), node("Relu", ["a"], ["b"]), node("Hardmax", ["b"], ["c"], name: "pick"),
                     node("Einsum", ["c"], ["y"], name: "mix2")]
        let text = message(try model(nodes: nodes).serializedData())
        #expect(text.contains("Einsum (nodes mix, mix2)") && text.contains("Hardmax (node pick)"), "\(text)")
    }

    @Test func opsetFromTheFuture() throws {
        let text = message(try model(opset: 99).serializedData())
        #expect(text.contains("opset 99") && text.contains("up to \(ONNXImporter.maxOpset)"), "\(text)")
    }

    @Test func externalDataIsRefused() throws {
        var weight = Onnx_TensorProto()
        weight.name = "w"
        weight.dims = [4, 4]
        weight.dataType = 1
        weight.dataLocation = .external
        var location = Onnx_StringStringEntryProto()
        location.key = "location"
        location.value = "../../etc/passwd"
        weight.externalData = [location]
        let text = message(try model(nodes: [node("MatMul", ["x", "w"], ["y"])], initializers: [weight]).serializedData())
        #expect(text.hasPrefix("external tensor data refused") && text.contains("../../etc/passwd"), "\(text)")
    }

    @Test func cyclesAndDanglingReads() throws {
        let cycle = [node("Relu", ["x", "b"], ["a"], name: "first"), node("Relu", ["a"], ["b"], name: "second"), node("Relu", ["b"], ["y"])]
        #expect(message(try model(nodes: cycle).serializedData()).contains("cycle"))
        let dangling = [node("Relu", ["nowhere"], ["y"], name: "lost")]
        #expect(message(try model(nodes: dangling).serializedData()).contains("reads 'nowhere'"))
        let twice = [node("Relu", ["x"], ["y"]), node("Relu", ["x"], ["y"])]
        #expect(message(try model(nodes: twice).serializedData()).contains("written twice"))
    }

    @Test func weightsOfTheWrongSize() throws {
        var weight = Onnx_TensorProto()
        weight.name = "w"
        weight.dims = [4, 4]
        weight.dataType = 1
        weight.rawData = Data(count: 12)
        let text = message(try model(nodes: [node("MatMul", ["x", "w"], ["y"])], initializers: [weight]).serializedData())
        #expect(text.contains("holds 12 bytes for 16 values"), "\(text)")
    }

    @Test func layersWithoutAnONNXForm() throws {
        final class Custom: Model, @unchecked Sendable {
            override func callAsFunction(_ input: Tensor) throws -> Tensor { input }
        }
        let custom = Custom(inputShape: [3])
        #expect(thrownMessage { _ = try ONNXExporter.data(custom) }?.contains("subclassed model") == true)
    }
}

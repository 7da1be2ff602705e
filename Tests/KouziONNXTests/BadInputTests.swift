import Foundation
import KouziNN
import KouziONNX
import KouziParserFuzzing
import KouziTensor
import KouziTestSupport
import Testing

/// Every way an ONNX file can be wrong gives a precise error, never a crash.
@Suite("ONNX bad input")
struct ONNXBadInputTests {
    /// A valid one-layer model (x → Relu → y) with the given nodes and opset, to break in one place at a time;
    /// `x` is `[N] + shape`.
    func model(nodes: [Onnx_NodeProto]? = nil, opset: Int64 = 17, initializers: [Onnx_TensorProto] = [],
               shape: [Int64] = [4]) -> Onnx_ModelProto {
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = 1
        var dim = Onnx_TensorShapeProto.Dimension()
        dim.dimParam = "N"
        tensorType.shape.dim = [dim] + shape.map { size in
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = size
            return d
        }
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

    func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [Onnx_AttributeProto]) -> Onnx_NodeProto {
        var n = node(op, inputs, outputs)
        n.attribute = attributes
        return n
    }

    func weight(_ name: String, _ shape: [Int]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = 1
        t.floatData = Array(repeating: 0.5, count: shape.reduce(1, *))
        return t
    }

    func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    /// Attributes and weights a hostile file may hold — sizes of zero or below, permutations that are not,
    /// axes out of range, statistics of the wrong length — are errors, never a trap.
    @Test func hostileAttributesAreErrors() throws {
        let image: [Int64] = [3, 8, 8]
        let cases: [(String, Onnx_ModelProto)] = [
            ("pool of size 0", model(nodes: [node("MaxPool", ["x"], ["y"], [ints("kernel_shape", [0, 0])])], shape: image)),
            ("negative stride", model(nodes: [node("Conv", ["x", "w"], ["y"], [ints("strides", [-1, 1])])],
                                      initializers: [weight("w", [2, 3, 3, 3])], shape: image)),
            ("empty filters", model(nodes: [node("Conv", ["x", "w"], ["y"])], initializers: [weight("w", [0, 3, 3, 3])], shape: image)),
            ("groups that do not divide", model(nodes: [node("Conv", ["x", "w"], ["y"], [int("group", 2)])],
                                                initializers: [weight("w", [3, 1, 3, 3])], shape: image)),
            ("group 0", model(nodes: [node("Conv", ["x", "w"], ["y"], [int("group", 0)])], initializers: [weight("w", [2, 3, 3, 3])], shape: image)),
            ("bad perm", model(nodes: [node("Transpose", ["x"], ["y"], [ints("perm", [0, 0, 1, 5])])], shape: image)),
            ("softmax axis", model(nodes: [node("Softmax", ["x"], ["y"], [int("axis", 7)])])),
            ("reduce axis", model(nodes: [node("ReduceMean", ["x"], ["y"], [ints("axes", [9, 2]), int("keepdims", 0)])], opset: 17, shape: image)),
            ("concat axis", model(nodes: [node("Concat", ["x", "x"], ["y"], [int("axis", 4)])])),
            ("reshape to -5", model(nodes: [node("Reshape", ["x", "s"], ["y"])], initializers: [{
                var s = Onnx_TensorProto(); s.name = "s"; s.dims = [2]; s.dataType = 7; s.int64Data = [0, -5]; return s }()])),
            ("batch norm statistics", model(nodes: [node("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"])],
                                            initializers: [weight("g", [3]), weight("b", [3]), weight("m", [2]), weight("v", [3])], shape: image)),
            ("recurrent shapes", model(nodes: [node("LSTM", ["x", "W", "R"], ["y"], [int("hidden_size", 5)])],
                                       initializers: [weight("W", [1, 8, 4]), weight("R", [1, 8, 2])], shape: [6, 4])),
            ("no inputs", model(nodes: [node("Relu", [], ["y"])])),
            ("layer norm scale", model(nodes: [node("LayerNormalization", ["x", "g"], ["y"])], initializers: [weight("g", [0])])),
        ]
        for (label, proto) in cases {
            let text = message(try proto.serializedData())
            #expect(text.hasPrefix("the ONNX graph uses operators Kouzi cannot run") || text.hasPrefix("invalid ONNX graph"),
                    "\(label): \(text)")
        }
    }

    /// Thousands of damaged copies of real files (bytes changed, cut, repeated) each load or give an ONNXError.
    @Test func damagedFilesNeverTrap() throws {
        let corpus = Corpus.files(in: repositoryRoot() + "/Tests/Fuzz/corpus/onnx").compactMap { Corpus.contents(of: $0) }
        #expect(corpus.count >= 4)
        var generator = SeededGenerator(seed: 2026)
        var loaded = 0, refused = 0
        for original in corpus {
            for _ in 0..<500 {
                var bytes = original
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    for _ in 0..<Int.random(in: 1...4, using: &generator) {
                        bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    }
                case 1: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
                case 2:
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 16)], at: at)
                default:
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[at] = bytes[at] ^ (1 << UInt8.random(in: 0..<8, using: &generator))
                }
                do {
                    _ = try ONNXImporter.model(from: Data(bytes))
                    loaded += 1
                } catch is ONNXError {
                    refused += 1
                } catch {
                    Issue.record("not an ONNXError: \(error)")
                }
            }
        }
        #expect(loaded + refused == corpus.count * 500 && refused > 0)
    }

    @Test func layersWithoutAnONNXForm() throws {
        final class Custom: Model, @unchecked Sendable {
            override func callAsFunction(_ input: Tensor) throws -> Tensor { input }
        }
        let custom = Custom(inputShape: [3])
        #expect(thrownMessage { _ = try ONNXExporter.data(custom) }?.contains("subclassed model") == true)
    }
}

import Foundation
import KouziNN
import KouziTensor

/// Turns ONNX nodes, one at a time, into layer calls on the values computed so far.
final class OperatorTranslator {
    typealias Handler = @Sendable (OperatorTranslator, Onnx_NodeProto) throws -> Void

    /// The translation of each operator the importer reads.
    static let handlers: [String: Handler] = coreHandlers.merging(windowHandlers) { a, _ in a }.merging(recurrentHandlers) { a, _ in a }

    /// The default-domain opset the model declares.
    let opset: Int
    /// Every value computed so far, by ONNX name.
    var values: [String: ImportedValue] = [:]
    /// How many nodes (and graph outputs) read each value.
    var uses: [String: Int] = [:]
    /// Dense layers created from a MatMul whose output nothing else reads yet: a following Add of a constant
    /// becomes their bias.
    var pendingBias: [String: Dense] = [:]

    init(opset: Int) { self.opset = opset }

    func translate(_ node: Onnx_NodeProto) throws {
        guard !node.input.isEmpty, !node.input[0].isEmpty, node.output.contains(where: { !$0.isEmpty }) else {
            throw unsupported(node, "a node without a first input, or without outputs")
        }
        do {
            try Self.handlers[node.opType]!(self, node)
        } catch let error as ONNXError {
            throw error
        } catch {
            throw ONNXError.unsupportedOperators(["\(ONNXImporter.label(node)): \(error)"])
        }
    }

    // MARK: Reading inputs and attributes

    func constant(_ node: Onnx_NodeProto, _ index: Int) throws -> Tensor? {
        guard index < node.input.count, !node.input[index].isEmpty else { return nil }
        guard case let .constant(t)? = values[node.input[index]] else {
            throw unsupported(node, "input \(index + 1) ('\(node.input[index])') must be a constant (a weight)")
        }
        return t
    }

    func views(_ node: Onnx_NodeProto, _ index: Int) throws -> ImportedValue.Views {
        guard index < node.input.count, case let .tensor(v)? = values[node.input[index]] else {
            throw unsupported(node, "input \(index + 1) must be a computed tensor, not a constant")
        }
        return v
    }

    func attribute(_ node: Onnx_NodeProto, _ name: String) -> Onnx_AttributeProto? { node.attribute.first { $0.name == name } }
    func int(_ node: Onnx_NodeProto, _ name: String, _ fallback: Int) -> Int { attribute(node, name).map { Int($0.i) } ?? fallback }
    func ints(_ node: Onnx_NodeProto, _ name: String) -> [Int]? { attribute(node, name).map { $0.ints.map(Int.init) } }
    func float(_ node: Onnx_NodeProto, _ name: String, _ fallback: Float) -> Float { attribute(node, name).map(\.f) ?? fallback }
    func string(_ node: Onnx_NodeProto, _ name: String) -> String? { attribute(node, name).map { String(decoding: $0.s, as: UTF8.self) } }

    /// `values` after checking that each is a positive size no larger than 2²⁰ (kernel sizes, strides, units…), so
    /// that a hostile file gets an error rather than a layer built from nonsense.
    @discardableResult
    func sizes(_ node: Onnx_NodeProto, _ values: [Int], _ what: String) throws -> [Int] {
        guard !values.isEmpty, values.allSatisfy({ (1...(1 << 20)).contains($0) }) else {
            throw unsupported(node, "\(what) \(values) (each must be between 1 and \(1 << 20))")
        }
        return values
    }

    /// `values` after checking that each is between 0 and 2²⁰ (paddings).
    @discardableResult
    func amounts(_ node: Onnx_NodeProto, _ values: [Int], _ what: String) throws -> [Int] {
        guard values.allSatisfy({ (0...(1 << 20)).contains($0) }) else {
            throw unsupported(node, "\(what) \(values) (each must be between 0 and \(1 << 20))")
        }
        return values
    }

    func unsupported(_ node: Onnx_NodeProto, _ why: String) -> ONNXError {
        .unsupportedOperators(["\(ONNXImporter.label(node)): \(why)"])
    }

    // MARK: Writing outputs

    func set(_ node: Onnx_NodeProto, _ tensor: SymbolicTensor, order: [Int]? = nil) {
        values[node.output[0]] = .tensor(.init(order ?? Array(0..<tensor.shape.count), tensor))
    }

    /// Applies `layer` to the value in the axis order `order` (ONNX's own by default); the result keeps that order.
    func apply(_ layer: any Layer, _ node: Onnx_NodeProto, input: Int = 0, order: [Int]? = nil) throws {
        let v = try views(node, input)
        let perm = order ?? Array(0..<v.rank)
        let out = try layer(try v.view(perm))
        set(node, out, order: out.shape.count == perm.count ? perm : nil)
    }
}

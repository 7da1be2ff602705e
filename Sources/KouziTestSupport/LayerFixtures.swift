import Foundation
import KouziNN
import KouziTensor
import Testing

/// One PyTorch reference case for a layer, written by `scripts/make_fixtures.py` (see
/// `scripts/fixtures/common.py` for the format): a Kouzi layer spec, the tensors in Kouzi's layouts,
/// and whether the forward pass runs in training mode.
public struct LayerFixtureCase: Decodable, Sendable {
    public struct Values: Decodable, Sendable {
        public let shape: [Int]
        public let data: [Float]
        public var tensor: Tensor { Tensor(shape: shape, scalars: data) }
    }

    public let name: String
    public let config: [String: JSONValue]
    public let training: Bool
    public let tensors: [String: Values]

    /// The tensor stored under `key`, or a recorded issue and nil.
    public func tensor(_ key: String) -> Tensor? {
        guard let v = tensors[key] else { return nil }
        return v.tensor
    }
}

/// A fixture file: `Tests/KouziNNTests/Fixtures/<name>.json`.
public struct LayerFixtureFile: Decodable, Sendable {
    public let cases: [LayerFixtureCase]

    /// Loads `Fixtures/<name>.json` from the NN test folder.
    public static func load(_ name: String, file: String = #filePath) throws -> LayerFixtureFile {
        let path = repositoryRoot(file: file) + "/Tests/KouziNNTests/Fixtures/\(name).json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNError.invalidArgument("fixture file \(path) is missing: run scripts/make_fixtures.py")
        }
        return try JSONDecoder().decode(LayerFixtureFile.self, from: data)
    }
}

/// Compares a layer with a PyTorch case: forward output, input gradient and every parameter gradient,
/// each within `rtol` relative error (plus `atol` absolute, for values near zero).
///
/// - Parameters:
///   - makeLayer: builds the layer (defaults to the registry, from the case's config).
///   - forward: runs the layer (defaults to `layer(input)`).
public func checkLayerFixture(_ c: LayerFixtureCase, rtol: Float = 1e-4, atol: Float = 1e-5,
                              makeLayer: ((LayerFixtureCase) throws -> any Layer)? = nil,
                              forward: ((any Layer, Tensor) throws -> Tensor)? = nil,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
    let layer = try makeLayer?(c) ?? LayerRegistry.makeLayer(c.config)
    guard var input = c.tensor("input"), let expected = c.tensor("output") else {
        Issue.record("\(c.name): fixture lacks input/output", sourceLocation: sourceLocation)
        return
    }
    if input.dtype == .float32 && c.tensors["extra.integer_input"] != nil { input = input.cast(to: .int64) }
    try layer.build(inputShape: [-1] + input.shape.dropFirst())
    if !layer.isBuilt { _ = try withoutGrad { try layer(input) } }
    for (name, p) in layer.namedParameters {
        guard let value = c.tensor("param." + name) else {
            if p.value.count > 0 { Issue.record("\(c.name): no fixture for parameter \(name)", sourceLocation: sourceLocation) }
            continue
        }
        guard value.shape == p.value.shape else {
            Issue.record("\(c.name): parameter \(name) has shape \(p.value.shape), fixture \(value.shape)", sourceLocation: sourceLocation)
            return
        }
        p.assign(value)
    }
    if input.dtype == .float32 { input.requiresGrad = true }
    let output = try withLearningPhase(training: c.training) { try forward?(layer, input) ?? layer(input) }
    compare(output, expected, "\(c.name) output", rtol: rtol, atol: atol, sourceLocation: sourceLocation)
    guard let upstream = c.tensor("grad_output") else { return }
    layer.zeroGrad()
    output.backward(upstream)
    if let gi = c.tensor("grad_input") {
        if let g = input.grad { compare(g, gi, "\(c.name) input gradient", rtol: rtol, atol: atol, sourceLocation: sourceLocation) }
        else { Issue.record("\(c.name): no input gradient", sourceLocation: sourceLocation) }
    }
    for (name, p) in layer.namedParameters where p.trainable {
        guard let expectedGrad = c.tensor("grad." + name) else { continue }
        guard let g = p.grad else {
            Issue.record("\(c.name): parameter \(name) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        compare(g, expectedGrad, "\(c.name) gradient of \(name)", rtol: rtol, atol: atol, sourceLocation: sourceLocation)
    }
}

/// Records an issue unless `a` and `b` have the same shape and agree elementwise within tolerance.
public func compare(_ a: Tensor, _ b: Tensor, _ what: String, rtol: Float = 1e-4, atol: Float = 1e-5,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    guard a.shape == b.shape else {
        Issue.record("\(what): shape \(a.shape), expected \(b.shape)", sourceLocation: sourceLocation)
        return
    }
    let x = a.scalars, y = b.scalars
    var worst = 0, worstErr: Float = 0
    for i in x.indices {
        let err = Swift.abs(x[i] - y[i]) - rtol * Swift.abs(y[i])
        if err > worstErr { worstErr = err; worst = i }
    }
    if worstErr > atol {
        Issue.record("\(what): element \(worst) is \(x[worst]), expected \(y[worst])", sourceLocation: sourceLocation)
    }
}

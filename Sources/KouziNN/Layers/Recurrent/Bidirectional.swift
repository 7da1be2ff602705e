import KouziTensor

/// Runs a recurrent layer over a sequence in both directions and merges the two results.
///
/// The backward direction is a twin of the wrapped layer (same settings, its own weights). It reads
/// each sequence from its last real step to its first: with a mask (from ``Embedding`` with
/// `maskZero`), padded steps are skipped, so a right-padded sentence is reversed within its real
/// length, as PyTorch's packed sequences do. Its step outputs stay at their own positions.
///
/// Without `returnSequences` the result merges the two final hidden states (for the backward
/// direction, the state after reading the first step). Parameters live under `forwardLayer.` and
/// `backwardLayer.`.
public final class Bidirectional: Layer {
    /// How the two directions are combined.
    public enum MergeMode: String, Sendable, CaseIterable {
        /// `[forward, backward]` along the last axis (twice the units).
        case concat
        /// Elementwise sum.
        case sum
    }

    /// The layer reading forwards.
    public let forwardLayer: any RecurrentLayer
    /// The layer reading backwards.
    public let backwardLayer: any RecurrentLayer
    /// The merge of the two outputs.
    public let mergeMode: MergeMode

    /// Wraps `layer`; the backward twin's weights come from `seed` (drawn when nil).
    public init(_ layer: any RecurrentLayer, mergeMode: MergeMode = .concat, seed: UInt64? = nil) {
        forwardLayer = layer
        backwardLayer = layer.makeTwin(seed: seed ?? WeightSeed.next())
        self.mergeMode = mergeMode
    }

    public var isBuilt: Bool { forwardLayer.isBuilt && backwardLayer.isBuilt }

    public func build(inputShape: [Int]) throws {
        try forwardLayer.build(inputShape: inputShape)
        try backwardLayer.build(inputShape: inputShape)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input, mask: nil).output }

    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        let result = try self(input, mask: mask, initialState: nil)
        return (result.output, forwardLayer.returnSequences ? mask : nil)
    }

    /// Runs both directions from optional initial states; returns the merged output and each
    /// direction's final state.
    public func callAsFunction(_ input: Tensor, mask: Tensor? = nil,
                               initialState: (forward: [Tensor], backward: [Tensor])?)
        throws -> (output: Tensor, forwardState: [Tensor], backwardState: [Tensor]) {
        let sequences = forwardLayer.returnSequences
        let f = try forwardLayer.run(input, mask: mask, initialState: initialState?.forward, reverse: false, sequence: sequences)
        let b = try backwardLayer.run(input, mask: mask, initialState: initialState?.backward, reverse: true, sequence: sequences)
        let a = f.output ?? f.state[0], c = b.output ?? b.state[0]
        let merged = mergeMode == .concat ? Tensor.concatenate([a, c], axis: -1) : a + c
        return (merged, f.state, b.state)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        var shape = try forwardLayer.outputShape(for: inputShape)
        if mergeMode == .concat { shape[shape.count - 1] *= 2 }
        return shape
    }

    public var name: String { "Bidirectional(\(forwardLayer.name))" }
}

extension Bidirectional: SerializableLayer {
    public static var typeName: String { "Bidirectional" }

    public var config: [String: JSONValue] {
        let inner = (try? LayerRegistry.spec(of: forwardLayer)) ?? [:]
        return ["layer": .object(inner), "merge_mode": .string(mergeMode.rawValue)]
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["layer", "merge_mode", "seed"])
        guard let spec = config.fields["layer"]?.objectValue else {
            throw NNError.invalidConfig("Bidirectional: field 'layer' must be a layer spec object")
        }
        guard let layer = try LayerRegistry.makeLayer(spec) as? any RecurrentLayer else {
            throw NNError.invalidConfig("Bidirectional: 'layer' must be a recurrent layer (LSTM, GRU, SimpleRNN), got \(spec["type"] ?? .null)")
        }
        let modeName = try config.string("merge_mode", default: "concat")!
        guard let mode = MergeMode(rawValue: modeName) else {
            throw NNError.unknownName(kind: "merge mode", name: modeName, known: MergeMode.allCases.map(\.rawValue))
        }
        self.init(layer, mergeMode: mode, seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

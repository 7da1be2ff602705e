import Foundation
import KouziTensor

/// The random numbers of a layer that draws in training (augmentation): inside `fit` each call takes a generator
/// from the training step (so a resumed run draws what an uninterrupted one would), elsewhere from the layer's own
/// seeded generator.
final class LayerDraws: @unchecked Sendable {
    /// The layer's seed (saved in its config).
    let seed: UInt64
    private var fallback: SeededGenerator
    private let lock = NSLock()

    /// Draws seeded with `seed`, or a fresh seed from the weight seeds.
    init(seed: UInt64?) {
        self.seed = seed ?? WeightSeed.next()
        fallback = SeededGenerator(seed: self.seed)
    }

    /// The generator for one call.
    func generator() -> SeededGenerator {
        if let step = TrainingStepContext.current { return step.nextGenerator(salt: seed) }
        return lock.withLock { SeededGenerator(seed: fallback.next()) }
    }

    /// The seed as a layer config value.
    var config: JSONValue { .number(Double(seed % (1 << 52))) }
}

import KouziTensor
import Synchronization

/// Where `fit` is — the run's seed, the epoch and the step — so a training step draws its random numbers from
/// the step itself: a run resumed from a checkpoint draws exactly what an uninterrupted run would have drawn.
///
/// ```swift
/// override func trainStep(_ batch: Batch) throws -> [String: Float] {
///     var rng = stepContext!.generator()
///     let noise = Tensor.randomNormal([batch.count, 64], using: &rng)
///     …
/// }
/// ```
public final class TrainingStepContext: Sendable {
    /// The seed given to `fit`.
    public let seed: UInt64
    /// The epoch (0-based).
    public let epoch: Int
    /// The step within the epoch (0-based).
    public let step: Int
    /// Draws handed out during this step (each draw gets a generator of its own).
    private let draws = Atomic<UInt64>(0)

    init(seed: UInt64, epoch: Int, step: Int) {
        self.seed = seed
        self.epoch = epoch
        self.step = step
    }

    /// A generator determined by the run's seed, the epoch, the step and `stream` (use a different stream for each
    /// kind of draw in one step).
    public func generator(_ stream: UInt64 = 0) -> SeededGenerator {
        SeededGenerator(seed: Self.mix(seed, UInt64(epoch), UInt64(step), stream))
    }

    /// A fresh generator for the next draw in this step, offset by `salt` (a layer's own seed); successive calls
    /// in one step differ, in the order the forward pass makes them.
    public func nextGenerator(salt: UInt64) -> SeededGenerator {
        let draw = draws.add(1, ordering: .relaxed).oldValue
        return generator(salt ^ (draw &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    static func mix(_ values: UInt64...) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for v in values {
            h ^= v &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)
            h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        }
        return h
    }

    @TaskLocal static var current: TrainingStepContext?
}

extension Model {
    /// The step `fit` is running, or nil outside `fit`.
    public var stepContext: TrainingStepContext? { TrainingStepContext.current }
}

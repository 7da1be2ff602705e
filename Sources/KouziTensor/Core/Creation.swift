import KouziBase

extension Tensor {
    /// A float tensor filled with `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        t.storage.floats.initialize(repeating: value, count: t.count)
        return t
    }

    /// A float tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// A float tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { full(other.shape, 0) }

    /// Values `start, start + step, …` below `end` (1-D float tensor).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange step must not be zero")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let t = Tensor(uninitializedShape: [n])
        for i in 0..<n { t.storage.floats[i] = start + Float(i) * step }
        return t
    }

    /// Values `0..<n` as a 1-D Int64 tensor (indices).
    public static func range(_ n: Int) -> Tensor {
        Tensor(shape: [n], values: (0..<n).map { Int64($0) })
    }

    /// Uniform samples in `[low, high)` from `generator`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using generator: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.floats, scale = high - low
        for i in 0..<t.count { p[i] = low + scale * generator.nextUnitFloat() }
        return t
    }

    /// Uniform samples in `[low, high)` from a fresh generator seeded with `seed`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return randomUniform(shape, low: low, high: high, using: &g)
    }

    /// Normal samples with the given mean and standard deviation from `generator`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using generator: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.floats
        for i in 0..<t.count { p[i] = mean + std * generator.nextNormal() }
        return t
    }

    /// Normal samples from a fresh generator seeded with `seed`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return randomNormal(shape, mean: mean, std: std, using: &g)
    }

    /// Converts the elements to another dtype (floats are truncated toward zero when cast to integers).
    public func cast(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor(uninitializedShape: shape, dtype: target)
        let n = count
        switch (dtype, target) {
        case (.float32, .int32): for i in 0..<n { out.storage.pointer(Int32.self)[i] = Int32(storage.floats[i]) }
        case (.float32, .int64): for i in 0..<n { out.storage.pointer(Int64.self)[i] = Int64(storage.floats[i]) }
        case (.int32, .float32): for i in 0..<n { out.storage.floats[i] = Float(storage.pointer(Int32.self)[i]) }
        case (.int64, .float32): for i in 0..<n { out.storage.floats[i] = Float(storage.pointer(Int64.self)[i]) }
        case (.int32, .int64): for i in 0..<n { out.storage.pointer(Int64.self)[i] = Int64(storage.pointer(Int32.self)[i]) }
        case (.int64, .int32): for i in 0..<n { out.storage.pointer(Int32.self)[i] = Int32(truncatingIfNeeded: storage.pointer(Int64.self)[i]) }
        default: break
        }
        return out
    }

    /// Moves the tensor to `device` (a copy when the device differs).
    public func to(_ device: Device) -> Tensor {
        precondition(device.isAvailable, "device \(device) is not available")
        return self
    }
}

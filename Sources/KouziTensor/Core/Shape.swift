/// Shape arithmetic shared by the operations: strides, axis normalisation, broadcasting.
public enum Shape {
    /// Row-major strides (in elements) of a contiguous tensor.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = acc
            acc *= shape[d]
        }
        return strides
    }

    /// Maps a possibly negative axis to `0..<rank`, or nil when out of range.
    @inlinable
    public static func normalize(axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return (0..<max(rank, 1)).contains(a) ? a : nil
    }

    /// The broadcast shape of two shapes (NumPy rules), or nil when they are incompatible.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Strides of `shape` when broadcast to `target` (0 along broadcast dimensions).
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { d in
            d < offset ? 0 : (shape[d - offset] == 1 && target[d] != 1 ? 0 : own[d - offset])
        }
    }
}

/// Iterates a contiguous output of `shape` in rows of its last dimension, tracking the matching
/// offsets of operands given by their (broadcast) strides.
@inlinable @inline(__always)
func forEachRow(shape: [Int], strides sa: [Int], _ sb: [Int],
                _ body: (_ outOffset: Int, _ aOffset: Int, _ bOffset: Int) -> Void) {
    let rank = shape.count
    if rank == 0 { body(0, 0, 0); return }
    let inner = shape[rank - 1]
    let outer = shape.reduce(1, *) / max(inner, 1)
    if outer == 0 || inner == 0 { return }
    var counter = [Int](repeating: 0, count: rank)
    var ao = 0, bo = 0
    for row in 0..<outer {
        body(row * inner, ao, bo)
        // Advance the multi-index over the outer dimensions.
        var d = rank - 2
        while d >= 0 {
            counter[d] += 1
            ao += sa[d]; bo += sb[d]
            if counter[d] < shape[d] { break }
            ao -= sa[d] * shape[d]; bo -= sb[d] * shape[d]
            counter[d] = 0
            d -= 1
        }
    }
}

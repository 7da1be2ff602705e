/// Element types that can be ordered for sorting; NaN counts as larger than every number (so an
/// ascending sort puts NaNs last, as NumPy does, and `topk` treats them as the largest, as PyTorch does).
protocol SortableScalar: TensorScalar {
    /// Whether `a` sorts before `b` in ascending order.
    static func ascending(_ a: Self, _ b: Self) -> Bool
}

extension Float: SortableScalar {
    @inline(__always) static func ascending(_ a: Float, _ b: Float) -> Bool { a < b || (b.isNaN && !a.isNaN) }
}
extension Int32: SortableScalar {
    @inline(__always) static func ascending(_ a: Int32, _ b: Int32) -> Bool { a < b }
}
extension Int64: SortableScalar {
    @inline(__always) static func ascending(_ a: Int64, _ b: Int64) -> Bool { a < b }
}

extension Tensor {
    /// For every line along axis `a`, the positions of its first `k` entries in sorted order (ascending,
    /// or descending when `descending`); equal entries keep the order of their positions. When
    /// `byPosition`, the `k` selected positions are listed in increasing position instead.
    ///
    /// The result is an int64 tensor shaped like `self` with `k` entries along `a`. Selecting k of n
    /// entries costs O(n log k) per line (a bounded heap) when k is small, a full sort otherwise.
    func sortedPositions(axis a: Int, k: Int, descending: Bool, byPosition: Bool = false) -> Tensor {
        switch dtype {
        case .float32: return sortedPositions(storage.pointer(Float.self), axis: a, k: k, descending: descending, byPosition: byPosition)
        case .int32: return sortedPositions(storage.pointer(Int32.self), axis: a, k: k, descending: descending, byPosition: byPosition)
        case .int64: return sortedPositions(storage.pointer(Int64.self), axis: a, k: k, descending: descending, byPosition: byPosition)
        }
    }

    private func sortedPositions<T: SortableScalar>(_ values: UnsafeMutablePointer<T>, axis a: Int, k: Int,
                                                    descending: Bool, byPosition: Bool) -> Tensor {
        let lines = AxisRows(shape: shape, axis: a)
        var outShape = shape
        outShape[a] = k
        let out = Tensor(uninitializedShape: outShape, dtype: .int64)
        let outLines = AxisRows(shape: outShape, axis: a)
        let n = lines.length, inner = lines.inner, total = lines.lines
        if k == 0 || total == 0 { return out }
        let dst = UncheckedSendable(out.storage.pointer(Int64.self)), src = UncheckedSendable(values)
        let parts = total >= 2 && total * n >= 64 * 1024 ? Swift.min(CPUBackend.configuredThreads, total) : 1
        let per = (total + parts - 1) / parts
        CPUBackend.parallel(parts) { part in
            var keys = [T](), order = [Int]()
            keys.reserveCapacity(n)
            for line in (part * per)..<Swift.min(total, (part + 1) * per) {
                let s = src.value + lines.start(ofLine: line)
                keys.removeAll(keepingCapacity: true)
                for i in 0..<n { keys.append(s[i * inner]) }
                keys.withUnsafeBufferPointer { key in
                    // Strict order: by value (NaN largest), then by position.
                    let before: (Int, Int) -> Bool = { i, j in
                        let x = key[i], y = key[j]
                        if descending ? T.ascending(y, x) : T.ascending(x, y) { return true }
                        if descending ? T.ascending(x, y) : T.ascending(y, x) { return false }
                        return i < j
                    }
                    Tensor.select(k, of: n, before: before, into: &order)
                }
                if byPosition { order.sort() }
                let d = dst.value + outLines.start(ofLine: line)
                for (j, i) in order.enumerated() { d[j * inner] = Int64(i) }
            }
        }
        return out
    }

    /// The first `k` of `0..<n` in the order `before`, into `order`.
    private static func select(_ k: Int, of n: Int, before: (Int, Int) -> Bool, into order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        if k * 16 >= n {
            order.append(contentsOf: 0..<n)
            order.sort(by: before)
            order.removeLast(n - k)
            return
        }
        // A heap of the k best so far whose root is the worst of them.
        for i in 0..<n {
            if order.count < k {
                order.append(i)
                var c = order.count - 1
                while c > 0, before(order[(c - 1) / 2], order[c]) {
                    order.swapAt(c, (c - 1) / 2)
                    c = (c - 1) / 2
                }
            } else if before(i, order[0]) {
                order[0] = i
                var p = 0
                while true {
                    let l = 2 * p + 1, r = l + 1
                    if l >= k { break }
                    let worse = r < k && before(order[l], order[r]) ? r : l
                    if !before(order[p], order[worse]) { break }
                    order.swapAt(p, worse)
                    p = worse
                }
            }
        }
        order.sort(by: before)
    }
}

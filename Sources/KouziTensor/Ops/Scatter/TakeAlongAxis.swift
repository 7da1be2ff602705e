extension Tensor {
    /// Picks entries along `axis` at `indices` of the same rank (NumPy's `take_along_axis`, PyTorch's
    /// `gather`): `result[i][j][k] = self[i][indices[i][j][k]][k]` for axis 1. The result has the shape
    /// of `indices`, whose sizes off the axis may be smaller than the tensor's. Works for every dtype.
    ///
    /// The gradient is scattered back to the picked entries (summed where an entry is picked twice).
    ///
    /// - Precondition: the rules of ``validateIndices(_:alongAxis:values:)``, which checks outside data.
    public func takeAlongAxis(_ indices: Tensor, axis: Int) -> Tensor {
        let a = requireAlongAxis(indices, axis: axis, values: nil, operation: "takeAlongAxis")
        let idx = indices.intScalars
        let walk = AxisIndexWalk(indexShape: indices.shape, axis: a, target: shape, source: indices.shape)
        let out = Tensor(uninitializedShape: indices.shape, dtype: dtype)
        let bytes = dtype.byteSize, src = storage.raw, dst = out.storage.raw
        walk.forEach { p, t, s in Tensor.copyElement(bytes, from: src, t + idx[p] * walk.axisStride, to: dst, s) }
        let inShape = shape
        return Tensor.record(out, op: "takeAlongAxis", inputs: [self]) { g in
            let grad = Tensor.zeros(inShape)
            let gp = g.storage.floats, dp = grad.storage.floats
            walk.forEach { p, t, s in dp[t + idx[p] * walk.axisStride] += gp[s] }
            return [grad]
        }
    }

    /// Copies element `i` of `src` to element `j` of `dst` (4- or 8-byte elements).
    @inline(__always)
    static func copyElement(_ bytes: Int, from src: UnsafeMutableRawPointer, _ i: Int, to dst: UnsafeMutableRawPointer, _ j: Int) {
        if bytes == 4 {
            dst.storeBytes(of: src.load(fromByteOffset: i * 4, as: UInt32.self), toByteOffset: j * 4, as: UInt32.self)
        } else {
            dst.storeBytes(of: src.load(fromByteOffset: i * 8, as: UInt64.self), toByteOffset: j * 8, as: UInt64.self)
        }
    }
}

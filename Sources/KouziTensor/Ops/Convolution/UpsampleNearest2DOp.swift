extension Tensor {
    /// Nearest-neighbour upsampling of a channels-last batch: each pixel repeated `factors.0` times
    /// down and `factors.1` times across. The backward pass sums the gradient of each block.
    public func upsampledNearest2d(factors: (Int, Int)) -> Tensor {
        precondition(rank == 4, "upsampledNearest2d expects [batch, height, width, channels], got \(shape)")
        precondition(factors.0 > 0 && factors.1 > 0, "upsampledNearest2d: factors must be positive")
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        let (fh, fw) = factors
        let oh = h * fh, ow = w * fw
        let out = Tensor(uninitializedShape: [n, oh, ow, c])
        let src = storage.floats, dst = out.storage.floats
        for b in 0..<n {
            for y in 0..<oh {
                let srow = src + (b * h + y / fh) * w * c
                let drow = dst + (b * oh + y) * ow * c
                for x in 0..<ow { (drow + x * c).update(from: srow + (x / fw) * c, count: c) }
            }
        }
        let inShape = shape
        return Tensor.record(out, op: "upsampleNearest2d", inputs: [self]) { g in
            let gx = Tensor.zeros(inShape)
            let gp = g.storage.floats, xp = gx.storage.floats
            for b in 0..<n {
                for y in 0..<oh {
                    let drow = xp + (b * h + y / fh) * w * c
                    let grow = gp + (b * oh + y) * ow * c
                    for x in 0..<ow {
                        let d = drow + (x / fw) * c, s = grow + x * c
                        for t in 0..<c { d[t] += s[t] }
                    }
                }
            }
            return [gx]
        }
    }
}

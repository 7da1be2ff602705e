extension Tensor {
    /// Adds rows and columns of zeros around each image of a channels-last batch
    /// `[batch, height, width, channels]`; the backward pass crops the gradient.
    public func zeroPadded2d(top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
        precondition(rank == 4, "zeroPadded2d expects [batch, height, width, channels], got \(shape)")
        precondition(top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "zeroPadded2d: padding must be non-negative")
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        let oh = h + top + bottom, ow = w + left + right
        let out = Tensor.zeros([n, oh, ow, c])
        let src = storage.floats, dst = out.storage.floats
        for b in 0..<n {
            for y in 0..<h {
                (dst + ((b * oh + y + top) * ow + left) * c).update(from: src + (b * h + y) * w * c, count: w * c)
            }
        }
        let inShape = shape
        return Tensor.record(out, op: "zeroPad2d", inputs: [self]) { g in
            let gx = Tensor(uninitializedShape: inShape)
            let gp = g.storage.floats, xp = gx.storage.floats
            for b in 0..<n {
                for y in 0..<h {
                    (xp + (b * h + y) * w * c).update(from: gp + ((b * oh + y + top) * ow + left) * c, count: w * c)
                }
            }
            return [gx]
        }
    }

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

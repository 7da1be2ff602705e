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
}

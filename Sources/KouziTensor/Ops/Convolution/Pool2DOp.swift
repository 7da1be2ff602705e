extension Tensor {
    /// 2-D max pooling of a channels-last batch `[batch, height, width, channels]`.
    ///
    /// Padded positions never win (PyTorch pads with −∞). The backward pass routes each output
    /// gradient to the input position that held the maximum (the first one on ties).
    public func maxPool2d(poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: ConvPadding = .valid) -> Tensor {
        let geo = Tensor.poolGeometry(shape, poolSize: poolSize, strides: strides, padding: padding, op: "maxPool2d")
        let c = geo.channels, hw = geo.height * geo.width
        let out = Tensor(uninitializedShape: [geo.batch, geo.outHeight, geo.outWidth, c])
        let count = out.count
        var argmax = [Int32](repeating: -1, count: count)
        let src = storage.floats, dst = out.storage.floats
        argmax.withUnsafeMutableBufferPointer { idx in
            let ip = idx.baseAddress!
            Tensor.forEachWindow(geo) { n, oy, ox in
                let o = dst + ((n * geo.outHeight + oy) * geo.outWidth + ox) * c
                let id = ip + ((n * geo.outHeight + oy) * geo.outWidth + ox) * c
                let (ys, xs) = Tensor.windowRanges(geo, oy, ox)
                guard let y0 = ys.first, let x0 = xs.first else {
                    o.update(repeating: 0, count: c)
                    return
                }
                // The first pixel seeds the maxima; the others replace them where larger (a branch-free select).
                o.update(from: src + ((n * geo.height + y0) * geo.width + x0) * c, count: c)
                id.update(repeating: Int32(y0 * geo.width + x0), count: c)
                for y in ys {
                    for x in xs where y != y0 || x != x0 {
                        let s = src + ((n * geo.height + y) * geo.width + x) * c
                        let pos = Int32(y * geo.width + x)
                        for t in 0..<c {
                            let v = s[t], better = v > o[t]
                            o[t] = better ? v : o[t]
                            id[t] = better ? pos : id[t]
                        }
                    }
                }
            }
        }
        let inShape = shape
        return Tensor.record(out, op: "maxPool2d", inputs: [self]) { g in
            let gx = Tensor.zeros(inShape)
            let gp = g.storage.floats, xp = gx.storage.floats
            let positions = geo.outHeight * geo.outWidth
            argmax.withUnsafeBufferPointer { idx in
                let ip = idx.baseAddress!
                let parts = Swift.min(geo.batch, g.count >= 1 << 14 ? CPUBackend.configuredThreads : 1)
                let per = (geo.batch + parts - 1) / Swift.max(parts, 1)
                CPUBackend.parallel(parts) { part in
                    for n in (part * per)..<Swift.min(geo.batch, (part + 1) * per) {
                        let base = xp + n * hw * c
                        for q in 0..<positions {
                            let e = (n * positions + q) * c
                            let ids = ip + e, gs = gp + e
                            for t in 0..<c where ids[t] >= 0 { base[Int(ids[t]) * c + t] += gs[t] }
                        }
                    }
                }
            }
            return [gx]
        }
    }

    /// 2-D average pooling of a channels-last batch; padded positions are left out of each average
    /// (PyTorch's `count_include_pad=False`, Keras' behaviour).
    public func avgPool2d(poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: ConvPadding = .valid) -> Tensor {
        let geo = Tensor.poolGeometry(shape, poolSize: poolSize, strides: strides, padding: padding, op: "avgPool2d")
        let c = geo.channels
        let out = Tensor(uninitializedShape: [geo.batch, geo.outHeight, geo.outWidth, c])
        let src = storage.floats, dst = out.storage.floats
        Tensor.forEachWindow(geo) { n, oy, ox in
            let o = dst + ((n * geo.outHeight + oy) * geo.outWidth + ox) * c
            o.update(repeating: 0, count: c)
            let (ys, xs) = Tensor.windowRanges(geo, oy, ox)
            for y in ys {
                for x in xs {
                    let s = src + ((n * geo.height + y) * geo.width + x) * c
                    for t in 0..<c { o[t] += s[t] }
                }
            }
            let scale = 1 / Float(Swift.max(ys.count * xs.count, 1))
            for t in 0..<c { o[t] *= scale }
        }
        let inShape = shape
        return Tensor.record(out, op: "avgPool2d", inputs: [self]) { g in
            let gx = Tensor.zeros(inShape)
            let gp = g.storage.floats, xp = gx.storage.floats
            for n in 0..<geo.batch {
                for oy in 0..<geo.outHeight {
                    for ox in 0..<geo.outWidth {
                        let gr = gp + ((n * geo.outHeight + oy) * geo.outWidth + ox) * c
                        let (ys, xs) = Tensor.windowRanges(geo, oy, ox)
                        let scale = 1 / Float(Swift.max(ys.count * xs.count, 1))
                        for y in ys {
                            for x in xs {
                                let d = xp + ((n * geo.height + y) * geo.width + x) * c
                                for t in 0..<c { d[t] += gr[t] * scale }
                            }
                        }
                    }
                }
            }
            return [gx]
        }
    }

    /// The in-image rows and columns a pooling window covers at output position `(oy, ox)`.
    static func windowRanges(_ geo: WindowGeometry, _ oy: Int, _ ox: Int) -> (Range<Int>, Range<Int>) {
        let y0 = oy * geo.strideH - geo.padTop, x0 = ox * geo.strideW - geo.padLeft
        let ys = Swift.max(y0, 0)..<Swift.max(Swift.min(y0 + geo.kernelH, geo.height), Swift.max(y0, 0))
        let xs = Swift.max(x0, 0)..<Swift.max(Swift.min(x0 + geo.kernelW, geo.width), Swift.max(x0, 0))
        return (ys, xs)
    }

    /// Runs `body(n, oy, ox)` for every window position, split over images across cores.
    static func forEachWindow(_ geo: WindowGeometry, _ body: (Int, Int, Int) -> Void) {
        let parts = Swift.min(geo.batch, geo.rows * geo.channels >= 1 << 14 ? CPUBackend.configuredThreads : 1)
        let per = (geo.batch + parts - 1) / Swift.max(parts, 1)
        CPUBackend.parallel(parts) { part in
            for n in (part * per)..<Swift.min(geo.batch, (part + 1) * per) {
                for oy in 0..<geo.outHeight { for ox in 0..<geo.outWidth { body(n, oy, ox) } }
            }
        }
    }

    /// Validates a pooling call and returns its geometry (strides default to the pool size).
    static func poolGeometry(_ shape: [Int], poolSize: (Int, Int), strides: (Int, Int)?, padding: ConvPadding,
                             op: String) -> WindowGeometry {
        precondition(shape.count == 4, "\(op) expects [batch, height, width, channels], got \(shape)")
        guard let geo = WindowGeometry.make(inputShape: shape, kernel: poolSize, strides: strides ?? poolSize,
                                            padding: padding) else {
            preconditionFailure("\(op): pool \(poolSize) with padding \(padding) does not fit input \(shape)")
        }
        return geo
    }
}

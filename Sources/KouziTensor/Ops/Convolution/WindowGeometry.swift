/// A 2-D sliding window over a channels-last image `[batch, height, width, channels]`.
///
/// The window visits `outHeight × outWidth` positions; position `(oy, ox)` with tap `(i, j)` reads
/// image pixel `(oy·strideH − padTop + i·dilationH, ox·strideW − padLeft + j·dilationW)`, zero
/// outside the image. Convolutions use it on their input; transposed convolutions on their output.
public struct WindowGeometry: Sendable, Equatable {
    /// Image batch, height, width and channel count.
    public var batch, height, width, channels: Int
    /// Window taps along each axis.
    public var kernelH, kernelW: Int
    /// Steps between window positions.
    public var strideH, strideW: Int
    /// Spacing of the taps.
    public var dilationH, dilationW: Int
    /// Padding before the first row and column.
    public var padTop, padLeft: Int
    /// Window positions along each axis.
    public var outHeight, outWidth: Int

    /// Window positions over the whole batch (the rows of an im2col matrix).
    public var rows: Int { batch * outHeight * outWidth }
}

extension WindowGeometry {
    /// Copies patches of channels `c0 ..< c0 + cc` into `col` (`rows × kernelH·kernelW·cc`, row-major,
    /// taps ordered `(i, j, channel)`), zeros where the window leaves the image.
    func im2col(_ src: UnsafePointer<Float>, channelOffset c0: Int, channelCount cc: Int,
                into col: UnsafeMutablePointer<Float>) {
        let k = kernelH * kernelW * cc
        let g = self
        let parts = Swift.min(batch, rows * k >= 1 << 15 ? CPUBackend.configuredThreads : 1)
        let per = (batch + parts - 1) / Swift.max(parts, 1)
        CPUBackend.parallel(parts) { part in
            for n in (part * per)..<Swift.min(batch, (part + 1) * per) {
                g.im2colImage(src, n: n, c0: c0, cc: cc, col: col + n * g.outHeight * g.outWidth * k)
            }
        }
    }

    private func im2colImage(_ src: UnsafePointer<Float>, n: Int, c0: Int, cc: Int, col: UnsafeMutablePointer<Float>) {
        var d = col
        let strip = kernelW * cc
        let contiguous = dilationW == 1 && cc == channels
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                let x0 = ox * strideW - padLeft
                for i in 0..<kernelH {
                    let y = oy * strideH - padTop + i * dilationH
                    if y < 0 || y >= height {
                        d.update(repeating: 0, count: strip)
                        d += strip
                        continue
                    }
                    let rowBase = src + ((n * height + y) * width) * channels + c0
                    if contiguous && x0 >= 0 && x0 + kernelW <= width {
                        let s = rowBase + x0 * channels
                        if strip < 32 {
                            for t in 0..<strip { d[t] = s[t] }
                        } else {
                            d.update(from: s, count: strip)
                        }
                        d += strip
                        continue
                    }
                    for j in 0..<kernelW {
                        let x = x0 + j * dilationW
                        if x < 0 || x >= width {
                            for t in 0..<cc { d[t] = 0 }
                        } else {
                            let s = rowBase + x * channels
                            for t in 0..<cc { d[t] = s[t] }
                        }
                        d += cc
                    }
                }
            }
        }
    }

    /// Adds the patches in `col` (as written by ``im2col``) back into channels `c0 ..< c0 + cc` of
    /// `dst`, which the caller has initialised.
    func col2im(_ col: UnsafePointer<Float>, channelOffset c0: Int, channelCount cc: Int,
                into dst: UnsafeMutablePointer<Float>) {
        let k = kernelH * kernelW * cc
        let g = self
        let parts = Swift.min(batch, rows * k >= 1 << 15 ? CPUBackend.configuredThreads : 1)
        let per = (batch + parts - 1) / Swift.max(parts, 1)
        CPUBackend.parallel(parts) { part in
            for n in (part * per)..<Swift.min(batch, (part + 1) * per) {
                g.col2imImage(col + n * g.outHeight * g.outWidth * k, n: n, c0: c0, cc: cc, dst: dst)
            }
        }
    }

    private func col2imImage(_ col: UnsafePointer<Float>, n: Int, c0: Int, cc: Int, dst: UnsafeMutablePointer<Float>) {
        var s = col
        let strip = kernelW * cc
        let contiguous = dilationW == 1 && cc == channels
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                let x0 = ox * strideW - padLeft
                for i in 0..<kernelH {
                    let y = oy * strideH - padTop + i * dilationH
                    if y < 0 || y >= height { s += strip; continue }
                    let rowBase = dst + ((n * height + y) * width) * channels + c0
                    if contiguous && x0 >= 0 && x0 + kernelW <= width {
                        let d = rowBase + x0 * channels
                        for t in 0..<strip { d[t] += s[t] }
                        s += strip
                        continue
                    }
                    for j in 0..<kernelW {
                        let x = x0 + j * dilationW
                        if x >= 0 && x < width {
                            let d = rowBase + x * channels
                            for t in 0..<cc { d[t] += s[t] }
                        }
                        s += cc
                    }
                }
            }
        }
    }
}

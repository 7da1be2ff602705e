import Foundation
import KouziTensor

/// Moves each image of a channels-last batch `[N, H, W, C]` by whole pixels, after an optional left–right mirror:
/// `out[n, y, x] = in[n, y − dy, x' − dx]` with `x' = W − 1 − x` when mirrored, zeros where the source is outside.
/// The gradient moves back the same way.
struct ImageWarp {
    /// Per image: rows down, columns right, and whether to mirror.
    var shifts: [(dy: Int, dx: Int, mirror: Bool)]

    func apply(_ x: Tensor) -> Tensor {
        let shape = x.shape
        let out = move(x.detached(), forward: true)
        return Tensor.recordOperation("image-warp", result: out, inputs: [x]) { g in [self.move(g, forward: false, shape: shape)] }
    }

    /// The moved images (`forward`), or the gradient moved back to the input (`!forward`).
    private func move(_ x: Tensor, forward: Bool, shape: [Int]? = nil) -> Tensor {
        let s = shape ?? x.shape
        let (n, h, w, c) = (s[0], s[1], s[2], s[3])
        var out = Tensor.zeros(s)
        x.withUnsafeFloats { src in
            out.withUnsafeMutableFloats { dst in
                for i in 0..<n {
                    let (dy, dx, mirror) = shifts[i]
                    let base = i * h * w * c
                    for y in 0..<h {
                        let sy = y - dy
                        guard sy >= 0 && sy < h else { continue }
                        for xo in 0..<w {
                            let xm = mirror ? w - 1 - xo : xo
                            let sx = xm - dx
                            guard sx >= 0 && sx < w else { continue }
                            // Forward reads the source pixel into the output; backward sends the output's
                            // gradient back to that source pixel.
                            let o = base + (y * w + xo) * c, p = base + (sy * w + sx) * c
                            if forward {
                                (dst.baseAddress! + o).update(from: src.baseAddress! + p, count: c)
                            } else {
                                (dst.baseAddress! + p).update(from: src.baseAddress! + o, count: c)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

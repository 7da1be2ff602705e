import KouziNN
import KouziTensor

/// A value of the ONNX graph while it is rebuilt from Kouzi layers: a constant, or a tensor held in one or more
/// axis orders.
///
/// Kouzi's layers read channels-last images and batch-first sequences; ONNX's read channels-first images. A view
/// `perm → t` says that the Kouzi tensor `t` is the ONNX value with its axes permuted by `perm` (axis `i` of `t` is
/// axis `perm[i]` of the value). A Transpose only relabels views, and a convolution asks for the channels-last view,
/// so the transposes around every window of an exported Kouzi model cost nothing when it comes back.
enum ImportedValue {
    case constant(Tensor)
    case tensor(Views)

    final class Views {
        var byPermutation: [[Int]: SymbolicTensor]

        init(_ permutation: [Int], _ tensor: SymbolicTensor) { byPermutation = [permutation: tensor] }

        var rank: Int { byPermutation.keys.first!.count }

        /// The value's shape in ONNX's axis order (batch -1).
        var onnxShape: [Int] {
            let (perm, t) = byPermutation.first!
            var shape = [Int](repeating: 0, count: perm.count)
            for (i, axis) in perm.enumerated() { shape[axis] = t.shape[i] }
            return shape
        }

        /// The value in ONNX's axis order.
        func identity() throws -> SymbolicTensor { try view(Array(0..<rank)) }

        /// The value with its axes permuted by `perm`, from a view that exists, through a `Permute` layer when none
        /// has that order. The batch axis must stay first.
        func view(_ perm: [Int]) throws -> SymbolicTensor {
            if let t = byPermutation[perm] { return t }
            let (from, t) = byPermutation.first { $0.key.first == perm.first } ?? byPermutation.first!
            var inverse = [Int](repeating: 0, count: from.count)
            for (i, axis) in from.enumerated() { inverse[axis] = i }
            let dims = perm.map { inverse[$0] }
            guard dims.first == 0 else {
                throw ONNXError.unsupportedOperators(["a tensor whose batch axis moves (axis order \(perm) from \(from))"])
            }
            let permuted = try Permute(Array(dims.dropFirst()))(t)
            byPermutation[perm] = permuted
            return permuted
        }

        /// The views of the value transposed by `perm` (ONNX's Transpose): the same tensors, relabelled.
        func transposed(_ perm: [Int]) -> Views {
            var inverse = [Int](repeating: 0, count: perm.count)
            for (i, axis) in perm.enumerated() { inverse[axis] = i }
            let relabelled = byPermutation.map { (key: $0.key.map { inverse[$0] }, value: $0.value) }
            let views = Views(relabelled[0].key, relabelled[0].value)
            for entry in relabelled { views.byPermutation[entry.key] = entry.value }
            return views
        }
    }
}

/// The channels-last order of a rank-`rank` value in ONNX's channels-first layout (`[0, 2, 3, 1]` for images).
func channelsLastOrder(_ rank: Int) -> [Int] { [0] + Array(2..<rank) + [1] }

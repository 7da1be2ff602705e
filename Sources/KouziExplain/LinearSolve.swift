/// Small dense linear systems in double precision (the regressions of Kernel SHAP have one unknown per player).
enum LinearSolve {
    /// The Cholesky factor of a symmetric positive semi-definite matrix, for solving `a · x = b` with several `b`.
    ///
    /// A singular matrix (a player that no sampled coalition separates from the last one) is factorised with a ridge
    /// of 1e-10 (then 1e-6) of its diagonal's scale, which gives the minimum-norm answer in the limit.
    struct Cholesky {
        let n: Int
        /// The lower triangle, row-major.
        private var l: [Double]

        init(_ a: [Double], size n: Int) throws {
            self.n = n
            l = []
            guard n > 0 else { return }
            let scale = Swift.max((0..<n).map { a[$0 * n + $0] }.max() ?? 1, 1e-300)
            for ridge in [0, 1e-10 * scale, 1e-6 * scale] {
                if let factor = Self.factor(a, n: n, ridge: ridge) { l = factor; return }
            }
            throw ExplainError.invalidInput("the coalition regression is singular; give a larger sample budget")
        }

        private static func factor(_ a: [Double], n: Int, ridge: Double) -> [Double]? {
            var l = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0...i {
                    var sum = a[i * n + j] + (i == j ? ridge : 0)
                    for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                    if i == j {
                        guard sum > 1e-14 * Swift.max(abs(a[i * n + i]), 1e-300) else { return nil }
                        l[i * n + i] = sum.squareRoot()
                    } else {
                        l[i * n + j] = sum / l[j * n + j]
                    }
                }
            }
            return l
        }

        /// The solution of `a · x = b`.
        func solve(_ b: [Double]) -> [Double] {
            var y = b
            for i in 0..<n {
                for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
                y[i] /= l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
                y[i] /= l[i * n + i]
            }
            return y
        }
    }
}

/// Small dense linear systems in double precision (the regressions of Kernel SHAP have one unknown per player).
enum LinearSolve {
    /// Solves `a · x = b` for a symmetric positive semi-definite `a` (row-major, `size` × `size`) by Cholesky
    /// factorisation. A singular system (a player that no sampled coalition separates from the last one) is solved
    /// with a ridge of 1e-10 of the diagonal's scale, which gives the minimum-norm answer in the limit.
    static func symmetric(_ a: [Double], _ b: [Double], size n: Int) throws -> [Double] {
        guard n > 0 else { return [] }
        let scale = (0..<n).map { a[$0 * n + $0] }.max() ?? 1
        for ridge in [0, 1e-10 * Swift.max(scale, 1e-300), 1e-6 * Swift.max(scale, 1e-300)] {
            if let x = cholesky(a, b, n: n, ridge: ridge) { return x }
        }
        throw ExplainError.invalidInput("the coalition regression is singular; give a larger sample budget")
    }

    private static func cholesky(_ a: [Double], _ b: [Double], n: Int, ridge: Double) -> [Double]? {
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

/// Solves A x = b in place for a symmetric positive-definite `n`×`n` matrix `a` (row-major, Double) by
/// Cholesky factorisation; returns false when A is not positive definite (then `b` is unspecified).
///
/// - Complexity: O(n³ / 3). Used for small systems (n ≤ a few hundred): ridge fold-in and ALS.
func choleskySolve(_ a: inout [Double], _ b: inout [Double], n: Int) -> Bool {
    for j in 0..<n {
        var d = a[j * n + j]
        for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
        guard d > 0 && d.isFinite else { return false }
        let l = d.squareRoot()
        a[j * n + j] = l
        for i in (j + 1)..<max(n, j + 1) {
            var s = a[i * n + j]
            for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
            a[i * n + j] = s / l
        }
    }
    for i in 0..<n {          // L y = b
        var s = b[i]
        for k in 0..<i { s -= a[i * n + k] * b[k] }
        b[i] = s / a[i * n + i]
    }
    var i = n - 1
    while i >= 0 {            // Lᵀ x = y
        var s = b[i]
        for k in (i + 1)..<max(n, i + 1) { s -= a[k * n + i] * b[k] }
        b[i] = s / a[i * n + i]
        i -= 1
    }
    return true
}

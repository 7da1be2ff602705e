import Foundation

/// The statistics a drift detector compares a live sample with its reference by.
///
/// - ``psi(reference:live:)``: the population stability index over shared bins,
///   `Σ (live − ref) · ln(live / ref)`, shares clipped below at ``psiFloor`` so an empty bin costs a finite amount.
/// - ``kolmogorovSmirnov(_:_:)``: the two-sample Kolmogorov–Smirnov statistic `D = sup |F₁ − F₂|` with its
///   asymptotic p-value (Kolmogorov's distribution at `(√nₑ + 0.12 + 0.11/√nₑ) · D`, `nₑ = n·m/(n+m)`).
/// - ``chiSquare(observed:expected:)``: Pearson's goodness-of-fit statistic with `k − 1` degrees of freedom and
///   its p-value from the regularised upper incomplete gamma function.
package enum DriftStatistics {
    /// The smallest share a bin counts with in the PSI.
    package static let psiFloor = 1e-4

    /// The population stability index of two distributions over the same bins (shares summing to 1).
    package static func psi(reference: [Double], live: [Double]) -> Double {
        precondition(reference.count == live.count, "PSI needs the same bins on both sides")
        var total = 0.0
        for (r, l) in zip(reference, live) {
            let expected = Swift.max(r, psiFloor), actual = Swift.max(l, psiFloor)
            total += (actual - expected) * Foundation.log(actual / expected)
        }
        return total
    }

    /// The Kolmogorov–Smirnov statistic of two sorted samples and its two-sided asymptotic p-value.
    package static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> (statistic: Double, pValue: Double) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 1) }
        var i = 0, j = 0, d = 0.0
        let n = Double(a.count), m = Double(b.count)
        while i < a.count, j < b.count {
            let x = Swift.min(a[i], b[j])
            while i < a.count, a[i] <= x { i += 1 }
            while j < b.count, b[j] <= x { j += 1 }
            d = Swift.max(d, abs(Double(i) / n - Double(j) / m))
        }
        let effective = (n * m / (n + m)).squareRoot()
        return (d, kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * d))
    }

    /// `P(K > λ)` for Kolmogorov's distribution: `2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}`.
    package static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0.2 else { return 1 }
        var sum = 0.0, sign = 1.0
        for j in 1...100 {
            let term = sign * Foundation.exp(-2 * Double(j * j) * lambda * lambda)
            sum += term
            if abs(term) < 1e-12 * abs(sum) || abs(term) < 1e-300 { break }
            sign = -sign
        }
        return Swift.min(1, Swift.max(0, 2 * sum))
    }

    /// Pearson's χ² statistic of observed counts against expected ones (both over the same categories) and its
    /// p-value with `categories − 1` degrees of freedom.
    package static func chiSquare(observed: [Double], expected: [Double]) -> (statistic: Double, pValue: Double) {
        precondition(observed.count == expected.count, "χ² needs the same categories on both sides")
        guard observed.count > 1 else { return (0, 1) }
        var statistic = 0.0
        for (o, e) in zip(observed, expected) where e > 0 { statistic += (o - e) * (o - e) / e }
        return (statistic, upperIncompleteGamma(Double(observed.count - 1) / 2, statistic / 2))
    }

    /// The regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`: a power series below
    /// `x = a + 1`, a continued fraction (modified Lentz) above.
    package static func upperIncompleteGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let logPrefix = a * Foundation.log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, denominator = a
            for _ in 0..<1_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return Swift.max(0, 1 - sum * Foundation.exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...1_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return Swift.min(1, Foundation.exp(logPrefix) * h)
    }

    /// The bin of `value` among sorted interior `edges`: the number of edges below it (a value on an edge belongs
    /// to the lower bin), so there are `edges.count + 1` bins.
    package static func bin(of value: Double, edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Interior edges splitting a sorted sample into `bins` parts of equal count (ties merged: fewer bins).
    package static func quantileEdges(sorted: [Double], bins: Int) -> [Double] {
        guard sorted.count > 1, bins > 1 else { return [] }
        var edges: [Double] = []
        for k in 1..<bins {
            let edge = sorted[Swift.min(sorted.count - 1, k * sorted.count / bins)]
            // An edge at the maximum would leave the top bin empty for every reference value.
            if edge < sorted[sorted.count - 1], edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        return edges
    }

    /// The share of `values` in each of the `edges.count + 1` bins.
    package static func shares(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count + 1)
        for value in values { counts[bin(of: value, edges: edges)] += 1 }
        let total = Double(Swift.max(1, values.count))
        return counts.map { $0 / total }
    }
}

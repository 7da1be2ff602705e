import Foundation
import KouziTensor
import Testing

/// Helpers shared by the test suites: gradient checks, seeded inputs, tolerant comparisons and the
/// repository root.

/// Compares autograd gradients with central finite differences of `f`.
///
/// The objective is `Σ f(inputs) ⊙ r` for a fixed random `r`, so every output element contributes
/// with a different weight; sums are accumulated in Double to keep rounding below the tolerance.
public func checkGradients(_ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 2e-2,
                    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    var leaves = inputs.map { t -> Tensor in var c = t.deepCopy(); c.requiresGrad = true; return c }
    let out = f(leaves)
    let r = Tensor.randomUniform(out.shape, low: 0.5, high: 1.5, seed: 99)
    (out * r).sum().backward()
    let weights = r.scalars.map(Double.init)
    func objective(_ xs: [Tensor]) -> Double {
        let o = withoutGrad { f(xs) }.scalars
        return zip(o, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
    }
    for i in leaves.indices {
        guard let analytic = leaves[i].grad else {
            Issue.record("input \(i) received no gradient", sourceLocation: sourceLocation)
            continue
        }
        #expect(analytic.shape == leaves[i].shape, "gradient shape of input \(i)", sourceLocation: sourceLocation)
        let a = analytic.scalars
        var base = leaves.map { $0.detached() }
        for j in 0..<leaves[i].count {
            let original = base[i].scalars[j]
            base[i].withUnsafeMutableFloats { $0[j] = original + eps }
            let plus = objective(base)
            base[i].withUnsafeMutableFloats { $0[j] = original - eps }
            let minus = objective(base)
            base[i].withUnsafeMutableFloats { $0[j] = original }
            let numeric = Float((plus - minus) / Double(2 * eps))
            let ok = Swift.abs(a[j] - numeric) <= atol + rtol * Swift.abs(numeric)
            #expect(ok, "input \(i) element \(j): analytic \(a[j]) vs numeric \(numeric)", sourceLocation: sourceLocation)
            if !ok { return }
        }
    }
    leaves.removeAll()
}

/// Uniform values in [low, high) from a seed.
public func rand(_ shape: [Int], _ seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    Tensor.randomUniform(shape, low: low, high: high, seed: seed)
}

/// Values bounded away from zero (for ops with a kink at 0), magnitudes in [0.2, 1].
public func awayFromZero(_ shape: [Int], _ seed: UInt64) -> Tensor {
    let u = rand(shape, seed, low: 0.2, high: 1)
    let s = rand(shape, seed + 1).scalars.map { $0 < 0 ? Float(-1) : 1 }
    return u * Tensor(shape: shape, scalars: s)
}

public func expectClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "counts differ: \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    for (i, (x, y)) in zip(a, b).enumerated() where Swift.abs(x - y) > tol * Swift.max(1, Swift.abs(y)) {
        Issue.record("element \(i): \(x) vs \(y)", sourceLocation: sourceLocation)
        return
    }
}

/// The repository root (the folder holding Package.swift).
public func repositoryRoot(file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        url = url.deletingLastPathComponent()
    }
    return FileManager.default.currentDirectoryPath
}

/// The description of the error `body` throws, or nil when it returns normally.
public func thrownMessage(_ body: () throws -> Void) -> String? {
    do { try body() } catch { return "\(error)" }
    return nil
}

/// A fresh, empty temporary directory.
public func makeTemporaryDirectory(_ prefix: String = "kouzi-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `python3` with `arguments`, returning its exit status and everything it printed (stdout and stderr).
///
/// - Parameters:
///   - directory: the working directory (the current one when nil).
///   - environment: variables set on top of this process's environment.
public func runPython(_ arguments: [String], directory: URL? = nil,
                      environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

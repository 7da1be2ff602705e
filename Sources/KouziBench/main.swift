import Foundation
import KouziTensor

/// Benchmarks Kouzi's kernels and models and, in the same run, their Python twins
/// (scripts/bench_torch.py): the model workloads in PyTorch when it is importable, the FFT workloads in
/// NumPy. Prints our time / the reference's time.
///
/// Then measures inference from 1, 2, 4 and 16 threads sharing one model (`--filter concurrent` alone).
///
/// Usage: kouzi-bench [--filter SUBSTRING] [--threads N] [--json PATH] [--no-torch]
let args = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let filter = option("--filter")
let threads = Int(option("--threads") ?? "2") ?? 2
CPUBackend.setThreadCount(threads)
if let split = option("--split-threshold").flatMap(Int.init) { CPUBackend.splitThreshold = split }

let selected = Workloads.all.filter { filter == nil || $0.name.contains(filter!) }
print("Kouzi benchmarks — \(threads) BLAS thread(s), median of repeated runs")
var ours: [String: Double] = [:]
for w in selected {
    let t = try w.run()
    ours[w.name] = t
    print("  \(w.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(formatSeconds(t).padding(toLength: 11, withPad: " ", startingAt: 0)) \(w.detail)")
}

/// The Python twins' medians and the library that ran each one.
struct ReferenceTimes {
    var times: [String: Double]
    var libraries: [String: String]
}

/// Runs the twin script and reads its JSON medians.
func referenceTimes() -> ReferenceTimes? {
    if args.contains("--no-torch") { return nil }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let script = root.appendingPathComponent("scripts/bench_torch.py").path
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, "--threads", String(threads)] + (filter.map { ["--filter", $0] } ?? [])
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
          let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let times = obj["times"] as? [String: Double] else { return nil }
    let versions = [("PyTorch", obj["torch"] as? String), ("NumPy", obj["numpy"] as? String)]
        .compactMap { name, version in version.map { "\(name) \($0)" } }
    print("\(versions.joined(separator: ", ")), \(threads) thread(s)")
    return ReferenceTimes(times: times, libraries: obj["references"] as? [String: String] ?? [:])
}

var report: [String: Any] = ["threads": threads, "kouzi": ours]
if let reference = referenceTimes() {
    report["reference"] = reference.times
    report["referenceLibraries"] = reference.libraries
    print("\n  workload               Kouzi       reference   Kouzi/reference")
    for w in selected {
        guard let a = ours[w.name], let b = reference.times[w.name] else { continue }
        let ratio = String(format: "%.2f", a / b)
        let library = reference.libraries[w.name] ?? "PyTorch"
        print("  \(w.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(formatSeconds(a).padding(toLength: 11, withPad: " ", startingAt: 0)) \(formatSeconds(b).padding(toLength: 11, withPad: " ", startingAt: 0)) \(ratio.padding(toLength: 6, withPad: " ", startingAt: 0)) (\(library))")
    }
    if selected.contains(where: { reference.times[$0.name] == nil }) {
        print("\n(no reference for the other workloads: install PyTorch with `pip install torch` for their ratios)")
    }
} else {
    print("\n(the twin script did not run: python3 with NumPy, and PyTorch for the model workloads, give side-by-side ratios)")
}
if let a = ours["gemm_tensor_1024"], let b = ours["gemm_cblas_1024"] {
    print(String(format: "\n  Tensor API GEMM reaches %.1f%% of direct cblas_sgemm (%.1f GFLOP/s)", b / a * 100, 2 * 1024 * 1024 * 1024 / a / 1e9))
}
if filter == nil || "concurrent_inference".contains(filter!) || args.contains("--concurrent") { try ConcurrentInference.run() }
if let path = option("--json") {
    let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}

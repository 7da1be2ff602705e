import Foundation
import KouziNN
import KouziTensor

/// Inference throughput of one model called from several threads at once: predictions per second at 1, 2, 4 and
/// 16 threads, each thread predicting one example after another for a fixed time (the model keeps no per-call
/// state, so nothing serialises the calls). Prints the throughput and its ratio to one thread's.
enum ConcurrentInference {
    static func run(seconds: Double = 2) throws {
        print("\nConcurrent inference — one shared model, batch 1, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for (name, model, input) in try models() {
            var single: Double?
            for threads in [1, 2, 4, 16] {
                let rate = try throughput(model, input: input, threads: threads, seconds: seconds)
                single = single ?? rate
                print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(threads).padding(toLength: 3, withPad: " ", startingAt: 0)) threads "
                      + String(format: "%9.0f predictions/s  %.2f× one thread", rate, rate / single!))
            }
        }
    }

    static func models() throws -> [(String, Model, Tensor)] {
        let mlp = Workloads.mlpModel(), cnn = Workloads.cnnModel()
        return [("mlp_predict_b1", mlp, Tensor.randomUniform([1, 784], seed: 3)),
                ("cnn_predict_b1", cnn, Tensor.randomUniform([1, 28, 28, 1], seed: 4))]
    }

    /// Predictions per second of `threads` threads predicting `input` for `seconds`.
    static func throughput(_ model: Model, input: Tensor, threads: Int, seconds: Double) throws -> Double {
        for _ in 0..<20 { _ = try model.predict(input) }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let shared = UncheckedBox((counts, model, input))
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let (counts, model, input) = shared.value
            var done = 0
            while now() - start < seconds {
                _ = try? model.predict(input)
                done += 1
            }
            counts[t] = done
        }
        return Double(counts.reduce(0, +)) / (now() - start)
    }
}

/// Hands values the benchmark guarantees are safe to share (disjoint writes, a thread-safe model) to worker threads.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

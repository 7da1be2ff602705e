import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

@Suite("Training on streaming data")
struct StreamingFitTests {
    @Test func fitEvaluateAndPredictTakeDatasets() throws {
        let (x, y) = blobs(300, seed: 6)
        let model = smallClassifier()
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let train = try Dataset.tensorSlices(inputs: [x], targets: [y]).shuffled(buffer: 300, seed: 1).batched(30).prefetched(2)
        let history = try model.fit(train, epochs: 10, validationData: try Dataset.tensorSlices(inputs: [x], targets: [y]).batched(100),
                                    verbose: .silent, seed: 3)
        #expect(history["val_accuracy"].last! > 0.9)
        let logs = try model.evaluate(try Dataset.tensorSlices(inputs: [x], targets: [y]).batched(64))
        expectClose([logs["accuracy"]!], [try model.evaluate(x: x, y: y)["accuracy"]!], tol: 1e-6)
        let streamed = try model.predict(try Dataset.tensorSlices(inputs: [x]).batched(64))
        expectClose(streamed[0].scalars, try model.predict(x).scalars, tol: 1e-6)
    }

    @Test func aBadBatchStopsFitBeforeAnyUpdate() throws {
        let model = smallClassifier()
        try model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy())
        let before = model.namedParameters.flatMap { $0.parameter.value.scalars }
        let wrong = try Dataset.tensorSlices(inputs: [Tensor.ones([8, 5])], targets: [Tensor.zeros([8])]).batched(4)
        let error = #expect(throws: NNError.self) { try model.fit(wrong, verbose: .silent) }
        #expect(error?.description.contains("[-1, 5]") == true, "\(String(describing: error))")
        #expect(model.namedParameters.flatMap { $0.parameter.value.scalars } == before)
    }

    /// Trains on gigabytes generated on the fly and checks that resident memory stays flat. Runs alone in a copy
    /// of the test binary (resident memory belongs to the whole process); `KOUZI_FIT_STREAM_GIB` sets the volume.
    @Test func memoryStaysFlatWhileFittingOnGigabytes() throws {
        let marker = "KOUZI_FIT_MEMORY_CHILD"
        if let (status, output) = try isolatedRun(of: "memoryStaysFlatWhileFittingOnGigabytes", marker: marker) {
            for line in output.split(separator: "\n") where line.contains("fit stream:") { print(line) }
            #expect(status == 0 && output.contains("fit stream:"), "the child failed:\n\(output.suffix(4_000))")
            return
        }
        #if DEBUG
        let gibibytes = 0.5
        #else
        let gibibytes = Double(ProcessInfo.processInfo.environment["KOUZI_FIT_STREAM_GIB"] ?? "") ?? 4
        #endif
        let width = 4096, batchSize = 256
        let count = Int(gibibytes * Double(1 << 30)) / (width * MemoryLayout<Float>.size)
        // Class c lights up features c, c+10, c+20…, over noise drawn per example.
        let data = Dataset(count: count) { i in i }
            .map(seed: 5, parallelism: 2) { i, rng -> Example in
                let label = i % 10
                var x = Tensor.randomNormal([width], std: 0.5, using: &rng)
                x.withUnsafeMutableFloats { v in for j in stride(from: label, to: width, by: 10) { v[j] += 0.3 } }
                return Example(inputs: [x], targets: [Tensor(shape: [], values: [Int64(label)])])
            }
            .batched(batchSize)
            .prefetched(4)
        let model = Sequential(inputShape: [width]) { Dense(10, activation: .softmax, seed: 81) }
        try model.compile(optimizer: SGD(learningRate: 0.05), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        final class Probe: Callback {
            var baseline = 0, peak = 0
            func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws {
                if batch == 16 { baseline = ResidentMemory.bytes() ?? 0 }
                if batch > 16 && batch % 8 == 0 { peak = max(peak, ResidentMemory.bytes() ?? 0) }
            }
        }
        let probe = Probe()
        let start = Date()
        let history = try model.fit(data, epochs: 1, callbacks: [probe], verbose: .silent, seed: 1)
        let seconds = Date().timeIntervalSince(start)
        let growth = probe.peak - probe.baseline
        print("fit stream: \(String(format: "%.2f", Double(count * width * 4) / Double(1 << 30))) GiB (\(count) examples of \(width) floats) "
              + "in \(String(format: "%.1f", seconds)) s; RSS after 16 batches \(String(format: "%.1f", ResidentMemory.megabytes(probe.baseline))) MB, "
              + "peak \(String(format: "%.1f", ResidentMemory.megabytes(probe.peak))) MB, growth \(String(format: "%.1f", ResidentMemory.megabytes(growth))) MB; "
              + "accuracy \(history["accuracy"].last!)")
        #expect(probe.baseline > 0 && growth < 200_000_000, "resident memory grew by \(ResidentMemory.megabytes(growth)) MB")
        #expect(history["accuracy"].last! > 0.5, "the model learned from the stream")
        #expect(DatasetThreads.running == 0)
    }
}

import Foundation
import Testing
import KouziTensor
import KouziData
import KouziTestSupport

extension StreamingThreadTests {
    /// Streams gigabytes of generated examples through a parallel map, a shuffle buffer, batching and
    /// prefetching, and checks that resident memory stays flat.
    ///
    /// Resident memory belongs to the whole process, and other suites allocate while this one runs, so
    /// where the test binary can be started again, the stream runs in a child process that runs this
    /// test alone (`KOUZI_STREAM_MEMORY_CHILD=1`). `KOUZI_STREAM_GIB` sets the volume (default 4 GiB).
    @Test func memoryStaysFlatWhileStreamingGigabytes() throws {
        let marker = "KOUZI_STREAM_MEMORY_CHILD"
        if let (status, output) = try isolatedRun(of: "memoryStaysFlatWhileStreamingGigabytes", marker: marker) {
            for line in output.split(separator: "\n") where line.contains("streaming:") { print(line) }
            #expect(status == 0, "the streaming child failed:\n\(output.suffix(4_000))")
            #expect(output.contains("streaming:"), "the child did not run the stream:\n\(output.suffix(4_000))")
            return
        }
        try streamAndMeasure(gibibytes: Double(ProcessInfo.processInfo.environment["KOUZI_STREAM_GIB"] ?? "") ?? 4,
                             isolated: isIsolatedRun(marker: marker))
    }

    private func streamAndMeasure(gibibytes: Double, isolated: Bool) throws {
        let width = 4096, batchSize = 64, warmUpBatches = 32
        let count = Int(gibibytes * Double(1 << 30)) / (width * MemoryLayout<Float>.size)
        let data = Dataset(count: count) { i in
            Example(inputs: [Tensor.full([width], Float(i % 1_000))], targets: [Tensor(Float(i % 10))])
        }
        .map(seed: 3, parallelism: 2) { example, rng in
            var example = example
            example.inputs[0].withUnsafeMutableFloats { $0[0] += rng.nextUnitFloat() }
            return example
        }
        .shuffled(buffer: 1_024, seed: 4)
        .batched(batchSize)
        .prefetched(4)

        let iterator = data.makeIterator(epoch: 0)
        var batches = 0, examples = 0, baseline = 0, peak = 0, targetSum = 0.0
        let start = Date()
        while let batch = try iterator.next() {
            batches += 1
            examples += batch.count
            targetSum += batch.targets[0].scalars.reduce(0) { $0 + Double($1) }
            if batch.inputs[0].shape != [batch.count, width] { Issue.record("batch \(batches) has shape \(batch.inputs[0].shape)") }
            if batches == warmUpBatches { baseline = ResidentMemory.bytes() ?? 0 }
            if batches >= warmUpBatches && batches % 16 == 0 { peak = max(peak, ResidentMemory.bytes() ?? 0) }
        }
        let seconds = Date().timeIntervalSince(start)
        let end = ResidentMemory.bytes() ?? 0
        peak = max(peak, end)
        let streamed = Double(examples * width * MemoryLayout<Float>.size)
        let growth = peak - baseline
        func mb(_ bytes: Int) -> String { String(format: "%.1f", ResidentMemory.megabytes(bytes)) }
        print("streaming: \(String(format: "%.2f", streamed / Double(1 << 30))) GiB in \(examples) examples of \(width) floats "
              + "(\(batches) batches of \(batchSize)) in \(String(format: "%.1f", seconds)) s "
              + "(\(String(format: "%.0f", streamed / 1e6 / seconds)) MB/s, \(String(format: "%.0f", Double(examples) / seconds)) examples/s); "
              + "RSS after \(warmUpBatches) batches \(mb(baseline)) MB, peak \(mb(peak)) MB, end \(mb(end)) MB, growth \(mb(growth)) MB, "
              + (isolated ? "in a process of its own" : "in the shared test process"))
        #expect(examples == count)
        #expect(targetSum == Double((0..<count).reduce(0) { $0 + $1 % 10 }), "every example arrives once")
        #expect(baseline > 0, "resident memory is readable")
        #expect(growth < 200_000_000, "resident memory grew by \(mb(growth)) MB")
        #expect(DatasetThreads.running == 0)
    }
}

extension StreamingThreadTests {
    /// Examples per second of a CPU-bound map on 1, 2 and 4 threads (`KOUZI_STREAM_BENCH=1`, release).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KOUZI_STREAM_BENCH"] == "1"))
    func parallelMapThroughput() throws {
        let source = Dataset(count: 4_000) { i in Tensor.full([4096], Float(i % 7)) }
        var reference: [Float]?
        for parallelism in [1, 2, 4] {
            let data = source.map(parallelism: parallelism) { tensor -> Float in
                tensor.withUnsafeFloats { values in
                    var total: Float = 0
                    for round in 0..<100 {
                        for value in values { total += (value * 1.0001 + Float(round)).squareRoot() }
                    }
                    return total
                }
            }.prefetched(2)
            let start = Date()
            let results = try data.elements()
            let seconds = Date().timeIntervalSince(start)
            print("streaming: parallel map of 4000 elements (409,600 square roots each) on \(parallelism) thread(s): "
                  + "\(String(format: "%.2f", seconds)) s, \(String(format: "%.0f", Double(results.count) / seconds)) elements/s")
            if let reference { #expect(results == reference) } else { reference = results }
        }
        #expect(DatasetThreads.running == 0)
    }
}

import Foundation
@testable import KouziPlatform
import KouziTensor
import Synchronization
import Testing

/// The batcher's wait for company: none for a lone client, up to `maxDelay` once requests come together.
@Suite struct BatcherTests {
    @Test func aLoneRequestRunsAtOnceAndConcurrentOnesShareAPass() async throws {
        // A wait for company of 30 s: three lone requests that waited would take 90 s; without waiting they take
        // milliseconds, so a bound of 15 s tells the two apart however busy the machine is.
        let lone = Batcher(options: BatchingOptions(maxBatchSize: 64, maxDelay: 30), name: "lone") { $0 }
        defer { lone.stop() }
        let started = Batcher.now()
        for i in 0..<3 {
            let (output, _) = try await lone.submit([Tensor(shape: [1, 2], scalars: [Float(i), 1])])
            #expect(output[0].scalars == [Float(i), 1])
        }
        #expect(Batcher.now() - started < 15, "lone requests waited for company")

        // The first pass holds until the other requests queue, so they must share the passes after it.
        let passes = Mutex<[Int]>([])
        let queued = Mutex<() -> Int>({ 0 })
        let batcher = Batcher(options: BatchingOptions(maxBatchSize: 64, maxDelay: 0.05), name: "test",
                              onBatch: { rows in passes.withLock { $0.append(rows) } }) { x in
            if passes.withLock({ $0.isEmpty }) {
                let deadline = Batcher.now() + 10
                let rest = 8 - (x.first?.shape.first ?? 1)
                while queued.withLock({ $0() }) < rest && Batcher.now() < deadline { usleep(1_000) }
            }
            return x
        }
        queued.withLock { $0 = { batcher.depth } }
        defer { batcher.stop() }
        let answers = try await withThrowingTaskGroup(of: [Float].self) { group in
            for i in 0..<8 { group.addTask { try await batcher.submit([Tensor(shape: [1, 2], scalars: [Float(i), 2])]).0[0].scalars } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.map { $0[0] }) == Set((0..<8).map(Float.init)) && answers.allSatisfy { $0[1] == 2 })
        #expect(passes.withLock { $0.count } <= 2, "concurrent requests shared passes: \(passes.withLock { $0 })")
    }

    @Test func aLoneShortPassRunsOnTheCallersThreadAndASlowModelNeverDoes() async throws {
        // A lone request with a quick model runs where it was submitted, with no hand-off to the batcher's
        // thread: it never waits in the queue (a queued request's wait is measured from its enqueueing, never 0).
        let batcher = Batcher(options: BatchingOptions(maxBatchSize: 64, maxDelay: 0.05), name: "inline") { $0 }
        defer { batcher.stop() }
        // The first pass goes through the batcher's thread (nothing is known of the model before it).
        var waits: [Double] = []
        for i in 0..<3 {
            let (output, timing) = try await batcher.submit([Tensor(shape: [1, 2], scalars: [Float(i), 3])])
            #expect(output[0].scalars == [Float(i), 3])
            waits.append(timing.queued)
        }
        #expect(waits[0] > 0 && waits.dropFirst().allSatisfy { $0 == 0 }, "\(waits)")
        // A model whose pass takes longer than 2 ms is not run on a caller's thread, which other requests share:
        // every request goes through the queue.
        let slow = Batcher(options: BatchingOptions(maxBatchSize: 64, maxDelay: 0.05), name: "slow") { x in
            usleep(5_000)
            return x
        }
        defer { slow.stop() }
        waits = []
        for i in 0..<3 {
            let (output, timing) = try await slow.submit([Tensor(shape: [1, 1], scalars: [Float(i)])])
            #expect(output[0].scalars == [Float(i)])
            waits.append(timing.queued)
        }
        #expect(waits.allSatisfy { $0 > 0 }, "\(waits)")
    }
}

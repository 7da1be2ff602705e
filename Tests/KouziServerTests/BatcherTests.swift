import Foundation
@testable import KouziPlatform
import KouziTensor
import Synchronization
import Testing

/// The batcher's wait for company: none for a lone client, up to `maxDelay` once requests come together.
@Suite struct BatcherTests {
    @Test func aLoneRequestRunsAtOnceAndConcurrentOnesShareAPass() async throws {
        let passes = Mutex<[Int]>([])
        let batcher = Batcher(options: BatchingOptions(maxBatchSize: 64, maxDelay: 0.3), name: "test",
                              onBatch: { rows in passes.withLock { $0.append(rows) } }) { $0 }
        defer { batcher.stop() }
        let started = Batcher.now()
        for i in 0..<3 {
            let (output, _) = try await batcher.submit(Tensor(shape: [1, 2], scalars: [Float(i), 1]))
            #expect(output.scalars == [Float(i), 1])
        }
        // Three lone requests, none waiting 0.3 s for company.
        #expect(Batcher.now() - started < 0.3, "lone requests waited for company")
        let answers = try await withThrowingTaskGroup(of: [Float].self) { group in
            for i in 0..<8 { group.addTask { try await batcher.submit(Tensor(shape: [1, 2], scalars: [Float(i), 2])).0.scalars } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.map { $0[0] }) == Set((0..<8).map(Float.init)) && answers.allSatisfy { $0[1] == 2 })
        #expect(passes.withLock { $0.count } < 3 + 8, "concurrent requests shared passes: \(passes.withLock { $0 })")
    }
}

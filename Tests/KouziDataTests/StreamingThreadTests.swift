import Foundation
import Testing
import KouziTensor
import KouziData

/// Tests of the stages that start threads. They run one at a time, and no other suite starts pipeline
/// threads, so ``DatasetThreads/running`` counts theirs alone.
@Suite("Streaming threads", .serialized, .timeLimit(.minutes(5)))
struct StreamingThreadTests {
    /// A pipeline with random augmentation, shuffling and batching whose output is fixed by its seeds.
    private func pipeline(parallelism: Int, prefetch: Int) -> Dataset<Batch> {
        Dataset(count: 120) { i in Example(inputs: [Tensor([Float(i), 0])], targets: [Tensor(Float(i % 3))]) }
            .map(seed: 5, parallelism: parallelism) { example, rng in
                var example = example
                example.inputs[0] = Tensor([example.inputs[0].scalars[0], rng.nextUnitFloat()])
                if parallelism > 1 { usleep(UInt32.random(in: 0...200)) }  // finish out of order
                return example
            }
            .shuffled(buffer: 32, seed: 11)
            .prefetched(prefetch)
            .batched(8)
            .prefetched(prefetch)
    }

    private func values(_ data: Dataset<Batch>, epoch: Int) throws -> [[Float]] {
        try data.elements(epoch: epoch).map { $0.inputs[0].scalars }
    }

    @Test func parallelMapKeepsTheOrder() throws {
        let data = Dataset(count: 300) { $0 }.map(parallelism: 4) { i -> Int in
            usleep(UInt32((i * 7919) % 300))
            return i * 2
        }
        #expect(data.count == 300)
        #expect(try data.elements() == (0..<300).map { $0 * 2 })
        #expect(try data.prefetched(3).elements() == (0..<300).map { $0 * 2 })
        #expect(DatasetThreads.running == 0)
    }

    @Test func sameSeedsGiveTheSameElementsForAnyParallelismAndPrefetch() throws {
        let reference = try values(pipeline(parallelism: 1, prefetch: 0), epoch: 0)
        #expect(reference.count == 15)
        #expect(Set(reference.flatMap { batch in stride(from: 0, to: batch.count, by: 2).map { batch[$0] } }).count == 120)
        for (parallelism, prefetch) in [(1, 1), (2, 0), (3, 2), (4, 4), (8, 1)] {
            #expect(try values(pipeline(parallelism: parallelism, prefetch: prefetch), epoch: 0) == reference,
                    "parallelism \(parallelism), prefetch \(prefetch)")
        }
        let nextEpoch = try values(pipeline(parallelism: 4, prefetch: 2), epoch: 1)
        #expect(nextEpoch != reference)
        #expect(try values(pipeline(parallelism: 1, prefetch: 0), epoch: 1) == nextEpoch)
        #expect(DatasetThreads.running == 0)
    }

    @Test func droppingIteratorsMidEpochLeavesNoThread() throws {
        #expect(DatasetThreads.running == 0)
        let endless = Dataset(count: 64) { i in Example(inputs: [Tensor.full([256], Float(i))]) }
            .repeated()
            .map(parallelism: 3) { $0 }
            .prefetched(2)
            .batched(4)
            .prefetched(2)
        for round in 0..<40 {
            let iterator = endless.makeIterator(epoch: round)
            for _ in 0..<(round % 5) { _ = try iterator.next() }
            if round % 5 > 0 { #expect(DatasetThreads.running == 3 + 1 + 1) }
        }
        #expect(DatasetThreads.running == 0)
        // An iterator that is never asked for an element starts no thread.
        let idle = endless.makeIterator(epoch: 0)
        #expect(DatasetThreads.running == 0)
        withExtendedLifetime(idle) {}
    }

    @Test func threadsStopAtTheEndOfAnEpoch() throws {
        let iterator = Dataset(count: 10) { $0 }.map(parallelism: 2) { $0 }.prefetched(2).makeIterator(epoch: 0)
        var seen = 0
        while try iterator.next() != nil { seen += 1 }
        #expect(seen == 10)
        #expect(DatasetThreads.running == 0, "threads end with the epoch, before the iterator is dropped")
        withExtendedLifetime(iterator) {}
    }

    @Test func errorsStopTheWorkersAndKeepTheirMessage() throws {
        let failing = Dataset(count: 1_000) { $0 }.map(parallelism: 4) { i -> Int in
            if i == 37 { throw DatasetError.invalidArgument("element 37 cannot be decoded") }
            return i
        }.prefetched(3)
        let iterator = failing.makeIterator(epoch: 0)
        var delivered: [Int] = []
        let message = TestSupport.errorMessage { while let i = try iterator.next() { delivered.append(i) } }
        #expect(message == "element 37 cannot be decoded")
        #expect(delivered == Array(0..<37), "every element before the failing one, in order")
        #expect(DatasetThreads.running == 0)
        #expect(try iterator.next() == nil)

        let missing = "/nonexistent/kouzi-stream.txt"
        let reading = Dataset.lines(ofFile: missing).prefetched(2).map(parallelism: 2) { $0.count }
        #expect(TestSupport.errorMessage { _ = try reading.elements() } == "cannot read '\(missing)': No such file or directory")
        #expect(DatasetThreads.running == 0)
    }

    @Test func boundedQueuesHoldTheProducersBack() throws {
        let produced = Counter()
        let data = Dataset(count: 10_000) { i -> Int in produced.increment(); return i }
            .map(parallelism: 2) { $0 }   // at most 4 read and not taken
            .prefetched(3)                 // at most 3 more
        let iterator = data.makeIterator(epoch: 0)
        for expected in 0..<5 { #expect(try iterator.next() == expected) }
        usleep(100_000)
        #expect(produced.value <= 5 + 4 + 3 + 1, "produced \(produced.value) while 5 were taken")
    }
}

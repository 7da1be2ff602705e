import Synchronization
import Testing
import KouziTensor
import KouziData

@Suite("Streaming transforms")
struct StreamingTransformTests {
    private let numbers = Dataset(count: 10) { $0 }

    @Test func mapFilterTakeSkip() throws {
        #expect(try numbers.map { $0 * 10 }.elements() == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
        #expect(numbers.map { $0 }.count == 10)
        let even = numbers.filter { $0 % 2 == 0 }
        #expect(even.count == nil)
        #expect(try even.elements() == [0, 2, 4, 6, 8])
        #expect(try numbers.take(3).elements() == [0, 1, 2])
        #expect(numbers.take(3).count == 3 && numbers.take(30).count == 10 && numbers.take(-1).count == 0)
        #expect(try numbers.skip(7).elements() == [7, 8, 9])
        #expect(numbers.skip(7).count == 3 && numbers.skip(12).count == 0)
        #expect(try numbers.skip(12).elements().isEmpty)
        #expect(try numbers.skip(2).take(3).elements() == [2, 3, 4])
        #expect(try even.take(2).elements() == [0, 2])
    }

    @Test func takeStopsReadingUpstream() throws {
        let reads = Counter()
        let data = Dataset(count: 1_000) { i -> Int in reads.increment(); return i }
        #expect(try data.take(4).elements() == [0, 1, 2, 3])
        #expect(reads.value == 4)
        #expect(try data.take(0).elements().isEmpty)
        #expect(reads.value == 4, "take(0) reads nothing")
    }

    @Test func mapErrorsSurfaceWithTheirMessage() {
        let data = numbers.map { i -> Int in
            guard i != 4 else { throw DatasetError.invalidArgument("cannot decode element 4") }
            return i
        }
        #expect(TestSupport.errorMessage { _ = try data.elements() } == "cannot decode element 4")
    }

    @Test func repeatedRunsFreshPasses() throws {
        let shuffled = numbers.shuffled(buffer: 10, seed: 3)
        let twice = shuffled.repeated(2)
        #expect(twice.count == 20)
        let epoch0 = try twice.elements(epoch: 0)
        #expect(Array(epoch0[0..<10]) == (try shuffled.elements(epoch: 0)))
        #expect(Array(epoch0[10...]) == (try shuffled.elements(epoch: 1)))
        #expect(try twice.elements(epoch: 1) == (try shuffled.elements(epoch: 2)) + (try shuffled.elements(epoch: 3)))

        let endless = numbers.repeated()
        #expect(endless.count == nil)
        #expect(try endless.take(25).elements() == Array(0..<10) + Array(0..<10) + Array(0..<5))
        #expect(try Dataset<Int>([]).repeated().elements().isEmpty, "an endless repetition of nothing ends")
        #expect(try numbers.filter { _ in false }.repeated().elements().isEmpty)
        #expect(Dataset<Int>([]).repeated().count == 0)
        #expect(try numbers.repeated(0).elements().isEmpty)
        #expect(TestSupport.errorMessage { _ = try numbers.repeated(-1).elements() } == "repeat count must not be negative, got -1")
    }

    @Test func shuffleIsAReproduciblePermutationThatChangesEachEpoch() throws {
        let data = Dataset(count: 100) { $0 }
        let shuffled = data.shuffled(buffer: 100, seed: 42)
        #expect(shuffled.count == 100)
        let epochs = try (0..<3).map { try shuffled.elements(epoch: $0) }
        #expect(epochs.allSatisfy { $0.sorted() == Array(0..<100) })
        #expect(Set(epochs).count == 3, "each epoch has its own order")
        #expect(epochs[0] != Array(0..<100))
        #expect(try data.shuffled(buffer: 100, seed: 42).elements(epoch: 1) == epochs[1], "same seed, same order")
        #expect(try data.shuffled(buffer: 100, seed: 43).elements(epoch: 1) != epochs[1])
    }

    @Test func aSmallShuffleBufferMixesLocally() throws {
        let shuffled = try Dataset(count: 1_000) { $0 }.shuffled(buffer: 8, seed: 1).elements()
        #expect(shuffled.sorted() == Array(0..<1_000))
        #expect(shuffled != Array(0..<1_000))
        // An element leaves the buffer at the earliest when it enters it: position >= value - (buffer - 1).
        #expect(shuffled.enumerated().allSatisfy { position, value in position >= value - 7 })
        #expect(TestSupport.errorMessage { _ = try Dataset(count: 3) { $0 }.shuffled(buffer: 0, seed: 1).elements() }
                == "a shuffle buffer must hold at least 1 element, got 0")
    }

    @Test func seededMapGivesEachElementItsOwnStream() throws {
        let data = Dataset(count: 6) { $0 }
        let noisy = data.map(seed: 9) { i, rng in Double(i) + Double(rng.nextUnitFloat()) }
        let first = try noisy.elements(epoch: 0)
        #expect(try noisy.elements(epoch: 0) == first)
        #expect(try noisy.elements(epoch: 1) != first)
        #expect(try data.map(seed: 10) { i, rng in Double(i) + Double(rng.nextUnitFloat()) }.elements() != first)
        #expect(Set(first.map { $0 - $0.rounded(.down) }).count == 6, "neighbouring elements get unrelated numbers")
        // The stream depends on the position, not on what came before: skipping changes positions only.
        let skipped = try data.skip(2).map(seed: 9) { i, rng in Double(i) + Double(rng.nextUnitFloat()) }.elements()
        #expect(skipped[0] - 2 == first[0] - 0)
    }
}

/// A counter that closures on any thread can bump.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

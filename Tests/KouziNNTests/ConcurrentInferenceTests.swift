import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

@Suite("Inference from several threads")
struct ConcurrentInferenceTests {
    @Test func sixteenThreadsGetTheAnswersOfOne() throws {
        // A model with batch norm, dropout and a sinusoidal position code: layers that keep state of some kind.
        let input = Input(shape: [12, 8], name: "sequence")
        var x = try SinusoidalPositionalEncoding(maxLength: 16)(input)
        x = try TransformerEncoderLayer(modelDim: 8, heads: 2, feedforwardDim: 16, dropout: 0.1)(x)
        x = try BatchNorm()(x)
        let pooled = try GlobalAveragePool1D()(x)
        let model = try Model(inputs: input, outputs: try Dense(3, activation: .softmax)(pooled))
        let path = temporaryPath("concurrent.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try Model.load(from: path)
        let requests = (0..<64).map { rand([1 + $0 % 4, 12, 8], UInt64(100 + $0)) }
        let expected = try requests.map { try loaded.predict($0).scalars }
        let answers = Mutexed([[Float]](repeating: [], count: requests.count * 16))
        let failures = Mutexed(0)
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            for (i, request) in requests.enumerated() {
                do {
                    let answer = try loaded.predict(request).scalars
                    answers.update { $0[thread * requests.count + i] = answer }
                } catch {
                    failures.update { $0 += 1 }
                }
            }
        }
        #expect(failures.value == 0)
        for thread in 0..<16 {
            for i in requests.indices where answers.value[thread * requests.count + i] != expected[i] {
                Issue.record("thread \(thread), request \(i): another answer than one thread's")
            }
        }
    }
}

/// A value behind a lock, for counting across threads in tests.
final class Mutexed<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}

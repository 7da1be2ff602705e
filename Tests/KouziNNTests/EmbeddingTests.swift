import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// The embedding layer: lookups, masks, padding rows and id validation.
@Suite("Embedding")
struct EmbeddingTests {
    @Test func looksUpRowsForAnyIntegerType() throws {
        let layer = Embedding(inputDim: 6, outputDim: 3, seed: 1)
        let table = layer.embeddings
        for ids in [Tensor(shape: [1, 2], values: [Int64(4), 1]), Tensor(shape: [1, 2], values: [Int32(4), 1]),
                    Tensor([[4, 1]])] {
            let out = try layer(ids)
            #expect(out.shape == [1, 2, 3])
            #expect(out.scalars == table.slice(axis: 0, 4..<5).scalars + table.slice(axis: 0, 1..<2).scalars)
        }
    }

    @Test func maskZeroMarksPadding() throws {
        let layer = Embedding(inputDim: 6, outputDim: 2, maskZero: true, seed: 1)
        let (_, mask) = try layer.forward(Tensor(shape: [2, 3], values: [Int64(3), 0, 0, 5, 2, 0]), mask: nil)
        #expect(mask?.scalars == [1, 0, 0, 1, 1, 0])
    }

    @Test func paddingRowStartsAtZero() {
        let layer = Embedding(inputDim: 6, outputDim: 4, paddingIndex: 2, seed: 1)
        #expect(layer.embeddings.slice(axis: 0, 2..<3).scalars == [0, 0, 0, 0])
    }

    @Test func outOfRangeIdsNameTheIdAndVocabulary() {
        let layer = Embedding(inputDim: 6, outputDim: 2)
        do {
            _ = try layer(Tensor(shape: [1, 2], values: [Int64(1), 9]))
            Issue.record("expected an error")
        } catch let error as NNError {
            #expect(error.description.contains("9") && error.description.contains("vocabulary size 6"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: NNError.self) { try layer(Tensor(shape: [1], values: [Int64(-1)])) }
        #expect(throws: NNError.self) { try layer(Tensor([[1.5]])) }
        #expect(throws: NNError.self) { try layer(Tensor(3)) }
    }
}

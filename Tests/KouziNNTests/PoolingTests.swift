import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Pooling, padding and upsampling: finite-difference gradients, shapes and bad input.
@Suite("Pooling")
struct PoolingTests {
    /// Distinct values spaced 0.05 apart in a seeded order, so a small step never changes a maximum.
    func distinct(_ shape: [Int], _ seed: UInt64) -> Tensor {
        let n = shape.reduce(1, *)
        var g = SeededGenerator(seed: seed)
        let values = (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 }.shuffled(using: &g)
        return Tensor(shape: shape, scalars: values)
    }

    @Test func maxPoolGradients() {
        checkGradients([distinct([2, 5, 6, 3], 1)]) { $0[0].maxPool2d(poolSize: (2, 2)) }
        checkGradients([distinct([1, 7, 6, 2], 2)]) { $0[0].maxPool2d(poolSize: (3, 3), strides: (2, 2), padding: .explicit([1])) }
        checkGradients([distinct([1, 5, 7, 2], 3)]) { $0[0].maxPool2d(poolSize: (2, 3), strides: (1, 2), padding: .same) }
    }

    @Test func averagePoolGradients() {
        checkGradients([rand([2, 5, 6, 3], 4)]) { $0[0].avgPool2d(poolSize: (2, 2)) }
        checkGradients([rand([1, 7, 6, 2], 5)]) { $0[0].avgPool2d(poolSize: (3, 3), strides: (2, 2), padding: .explicit([1])) }
        checkGradients([rand([1, 5, 7, 2], 6)]) { $0[0].avgPool2d(poolSize: (3, 2), strides: (2, 1), padding: .same) }
    }

    @Test func pool1dGradients() {
        checkGradients([distinct([2, 9, 3], 41)]) { $0[0].maxPool1d(poolSize: 3, stride: 2, padding: .explicit([1])) }
        checkGradients([rand([2, 9, 3], 42)]) { $0[0].avgPool1d(poolSize: 2, padding: .same) }
    }

    @Test func paddingAndUpsamplingGradients() {
        checkGradients([rand([2, 3, 4, 2], 7)]) { $0[0].zeroPadded2d(top: 1, bottom: 2, left: 0, right: 3) }
        checkGradients([rand([2, 3, 4, 2], 8)]) { $0[0].upsampledNearest2d(factors: (2, 3)) }
    }

    @Test func layerGradients() throws {
        let layers: [(any Layer, [Int])] = [
            (MaxPool1D(poolSize: 3, strides: 2, padding: .same), [2, 9, 2]),
            (AveragePool1D(poolSize: 2), [2, 7, 3]),
            (MaxPool2D(poolSize: 2, padding: .same), [1, 5, 5, 2]),
            (AveragePool2D(poolSize: [2, 3], strides: 1), [1, 4, 5, 2]),
            (GlobalAveragePool1D(), [2, 5, 3]), (GlobalAveragePool2D(), [2, 3, 4, 2]),
            (GlobalMaxPool1D(), [2, 5, 3]), (GlobalMaxPool2D(), [2, 3, 4, 2]),
            (ZeroPadding1D(padding: [2, 1]), [2, 4, 3]), (ZeroPadding2D(padding: [1]), [1, 3, 3, 2]),
            (UpSampling1D(size: 2), [2, 3, 2]), (UpSampling2D(size: [1, 2]), [1, 2, 3, 2]),
        ]
        for (i, (layer, shape)) in layers.enumerated() {
            let predicted = try layer.outputShape(for: [-1] + shape.dropFirst())
            let x = distinct(shape, UInt64(10 + i))
            #expect(predicted == [-1] + (try layer(x)).shape.dropFirst(), "\(layer.name)")
            checkGradients([x]) { try! layer($0[0]) }
        }
    }

    @Test func maskedGlobalAverageSkipsPadding() throws {
        let x = Tensor(shape: [1, 3, 1], scalars: [1, 2, 30])
        let mask = Tensor(shape: [1, 3], scalars: [1, 1, 0])
        let (y, m) = try GlobalAveragePool1D().forward(x, mask: mask)
        #expect(y.scalars == [1.5])
        #expect(m == nil)
    }

    @Test func badInputThrows() {
        #expect(throws: NNError.self) { try MaxPool2D()(rand([2, 4, 4], 1)) }
        #expect(throws: NNError.self) { try MaxPool2D(poolSize: 5)(rand([1, 4, 4, 1], 2)) }
        #expect(throws: NNError.self) { try AveragePool1D(poolSize: 2)(rand([2, 4, 4, 1], 3)) }
        #expect(throws: NNError.self) { try GlobalAveragePool2D()(rand([2, 4, 4], 4)) }
        #expect(throws: NNError.self) { try GlobalMaxPool1D()(rand([2, 4], 5)) }
        #expect(throws: NNError.self) { try ZeroPadding2D()(rand([2, 4, 4], 6)) }
        #expect(throws: NNError.self) { try UpSampling1D()(rand([2, 4, 4, 1], 7)) }
    }
}

import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Finite-difference checks of the fused recurrent operations and of the recurrent layers.
@Suite("Recurrent gradients")
struct RecurrentGradientTests {
    static let mask = Tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]])

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func lstmSequenceOperation(masked: Bool, reverse: Bool) {
        let b = 3, t = 4, n = 3, h = 5
        let inputs = [rand([b, t, n], 1), rand([n, 4 * h], 2, low: -0.5, high: 0.5), rand([h, 4 * h], 3, low: -0.5, high: 0.5),
                      rand([4 * h], 4), rand([b, h], 5), rand([b, h], 6)]
        let mask = masked ? Self.mask : nil
        checkGradients(inputs, eps: 1e-2, atol: 3e-3, rtol: 2e-2) { x in
            Tensor.lstmSequence(x[0], kernel: x[1], recurrentKernel: x[2], bias: x[3], initialHidden: x[4],
                                initialCell: x[5], mask: mask, reverse: reverse)
        }
    }

    @Test(arguments: [(false, false), (true, true)])
    func gruSequenceOperation(masked: Bool, reverse: Bool) {
        let b = 3, t = 4, n = 3, h = 5
        let inputs = [rand([b, t, n], 41), rand([n, 3 * h], 42, low: -0.5, high: 0.5), rand([h, 3 * h], 43, low: -0.5, high: 0.5),
                      rand([3 * h], 44), rand([3 * h], 45), rand([b, h], 46)]
        let mask = masked ? Self.mask : nil
        checkGradients(inputs, eps: 1e-2, atol: 3e-3, rtol: 2e-2) { x in
            Tensor.gruSequence(x[0], kernel: x[1], recurrentKernel: x[2], bias: x[3], recurrentBias: x[4],
                               initialHidden: x[5], mask: mask, reverse: reverse)
        }
    }

    @Test func lstmSequenceWithUnitsNotAMultipleOfEight() {
        let inputs = [rand([2, 3, 2], 7), rand([2, 44], 8), rand([11, 44], 9, low: -0.3, high: 0.3),
                      rand([44], 10), rand([2, 11], 11), rand([2, 11], 12)]
        checkGradients(inputs, eps: 1e-2, atol: 3e-3, rtol: 2e-2) { x in
            Tensor.lstmSequence(x[0], kernel: x[1], recurrentKernel: x[2], bias: x[3], initialHidden: x[4],
                                initialCell: x[5])
        }
    }

    /// A batch large enough to be split across cores gives the same values and gradients as each
    /// sequence run alone.
    @Test func lstmSequenceSplitAcrossCoresMatchesSingleSequences() {
        let b = 17, t = 6, n = 3, h = 9
        let w = rand([n, 4 * h], 31), u = rand([h, 4 * h], 32, low: -0.5, high: 0.5), bias = rand([4 * h], 33)
        var x = rand([b, t, n], 34)
        x.requiresGrad = true
        let lengths = (0..<b).map { 1 + $0 % t }
        let mask = Tensor(shape: [b, t], scalars: (0..<(b * t)).map { Float($0 % t < lengths[$0 / t] ? 1 : 0) })
        let upstream = rand([b, t + 2, h], 35)
        let all = Tensor.lstmSequence(x, kernel: w, recurrentKernel: u, bias: bias, initialHidden: .zeros([b, h]),
                                      initialCell: .zeros([b, h]), mask: mask, reverse: true)
        all.backward(upstream)
        for r in [0, 7, 16] {
            var xr = x.detached().slice(axis: 0, r..<(r + 1))
            xr.requiresGrad = true
            let one = Tensor.lstmSequence(xr, kernel: w, recurrentKernel: u, bias: bias, initialHidden: .zeros([1, h]),
                                          initialCell: .zeros([1, h]), mask: mask.slice(axis: 0, r..<(r + 1)), reverse: true)
            one.backward(upstream.slice(axis: 0, r..<(r + 1)))
            expectClose(one.scalars, all.slice(axis: 0, r..<(r + 1)).scalars)
            expectClose(xr.grad!.scalars, x.grad!.slice(axis: 0, r..<(r + 1)).scalars)
        }
    }

    /// The same for the fused GRU.
    @Test func gruSequenceSplitAcrossCoresMatchesSingleSequences() {
        let b = 16, t = 5, n = 2, h = 10
        let w = rand([n, 3 * h], 51), u = rand([h, 3 * h], 52, low: -0.5, high: 0.5)
        let bias = rand([3 * h], 53), rb = rand([3 * h], 54)
        var x = rand([b, t, n], 55)
        x.requiresGrad = true
        let mask = Tensor(shape: [b, t], scalars: (0..<(b * t)).map { Float($0 % t <= ($0 / t) % t ? 1 : 0) })
        let upstream = rand([b, t + 1, h], 56)
        let all = Tensor.gruSequence(x, kernel: w, recurrentKernel: u, bias: bias, recurrentBias: rb,
                                     initialHidden: .zeros([b, h]), mask: mask)
        all.backward(upstream)
        for r in [0, 9, 15] {
            var xr = x.detached().slice(axis: 0, r..<(r + 1))
            xr.requiresGrad = true
            let one = Tensor.gruSequence(xr, kernel: w, recurrentKernel: u, bias: bias, recurrentBias: rb,
                                         initialHidden: .zeros([1, h]), mask: mask.slice(axis: 0, r..<(r + 1)))
            one.backward(upstream.slice(axis: 0, r..<(r + 1)))
            expectClose(one.scalars, all.slice(axis: 0, r..<(r + 1)).scalars)
            expectClose(xr.grad!.scalars, x.grad!.slice(axis: 0, r..<(r + 1)).scalars)
        }
    }

    @Test func embeddingLookupScattersGradients() {
        let ids = Tensor(shape: [2, 3], values: [Int64(1), 3, 1, 0, 2, 3])
        checkGradients([rand([4, 5], 13)]) { x in Tensor.embeddingLookup(x[0], ids: ids) }
        var table = rand([4, 5], 14)
        table.requiresGrad = true
        Tensor.embeddingLookup(table, ids: ids, paddingIndex: 0).sum().backward()
        #expect(table.grad!.slice(axis: 0, 0..<1).scalars == [Float](repeating: 0, count: 5))
        #expect(table.grad!.slice(axis: 0, 1..<2).scalars == [Float](repeating: 2, count: 5))
    }

    /// Checks input, kernel, recurrent kernel and biases of a layer together, with a mask.
    func checkLayer(_ layer: any RecurrentLayer, params: [Parameter], sequence: Bool, reverse: Bool) throws {
        let x = rand([3, 4, 3], 20)
        _ = try layer.run(x, mask: nil, initialState: nil, reverse: false, sequence: false)
        let initial = layer.parameters.map { $0.value.detached() + rand($0.value.shape, 21, low: -0.2, high: 0.2) }
        checkGradients([x] + initial, eps: 1e-2, atol: 3e-3, rtol: 2e-2) { xs in
            for (p, v) in zip(params, xs.dropFirst()) { p.assign(v) }
            let r = try! layer.run(xs[0], mask: Self.mask, initialState: nil, reverse: reverse, sequence: sequence)
            return r.output ?? r.state[0]
        }
    }

    @Test(arguments: [false, true])
    func gruLayer(reverse: Bool) throws {
        let layer = GRU(4, seed: 1)
        _ = try layer(rand([1, 1, 3], 0))
        try checkLayer(layer, params: layer.parameters, sequence: true, reverse: reverse)
    }

    @Test(arguments: [false, true])
    func simpleRNNLayer(reverse: Bool) throws {
        let layer = SimpleRNN(4, seed: 2)
        _ = try layer(rand([1, 1, 3], 0))
        try checkLayer(layer, params: layer.parameters, sequence: false, reverse: reverse)
    }

    @Test func lstmLayer() throws {
        let layer = LSTM(4, seed: 3)
        _ = try layer(rand([1, 1, 3], 0))
        try checkLayer(layer, params: layer.parameters, sequence: true, reverse: false)
    }

    @Test func bidirectionalAndTimeDistributed() throws {
        let bi = Bidirectional(LSTM(3, returnSequences: true, seed: 4), mergeMode: .sum, seed: 5)
        let td = TimeDistributed(Dense(2, seed: 6))
        checkGradients([rand([2, 4, 3], 22)], eps: 1e-2, atol: 3e-3, rtol: 2e-2) { xs in
            let y = try! bi.forward(xs[0], mask: Tensor([[1, 1, 1, 0], [1, 1, 0, 0]])).output
            return try! td(y)
        }
    }
}

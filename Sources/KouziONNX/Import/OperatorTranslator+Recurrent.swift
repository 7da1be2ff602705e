import KouziNN
import KouziTensor

extension OperatorTranslator {
    /// Recurrent nodes and the axis bookkeeping around them (Squeeze, Unsqueeze).
    static var recurrentHandlers: [String: Handler] {
        [
            "LSTM": { try $0.recurrent($1, kind: .lstm) },
            "GRU": { try $0.recurrent($1, kind: .gru) },
            "RNN": { try $0.recurrent($1, kind: .rnn) },
            "Squeeze": { try $0.squeeze($1) },
            "Unsqueeze": { try $0.unsqueeze($1) },
        ]
    }

    enum RecurrentKind { case lstm, gru, rnn }

    /// An ONNX RNN, LSTM or GRU (forward or bidirectional, zero initial state, no sequence lengths) as Kouzi's layer.
    ///
    /// Kouzi's layer gives either every step (`Y`) or the last state (`Y_h`), merged over directions along the
    /// features; the result is held in the order ONNX's output has once its direction axis is split off again.
    func recurrent(_ node: Onnx_NodeProto, kind: RecurrentKind) throws {
        let x = try views(node, 0)
        let layout = int(node, "layout", 0)
        guard x.rank == 3, let w = try constant(node, 1), let r = try constant(node, 2), w.rank == 3, r.rank == 3 else {
            throw unsupported(node, "needs a 3-D input and constant weights")
        }
        let optional = node.input.count > 4 ? Array(node.input[4...]) : []
        guard optional.allSatisfy(\.isEmpty), attribute(node, "clip") == nil, int(node, "input_forget", 0) == 0 else {
            throw unsupported(node, "sequence lengths, initial states, peepholes, clipping and coupled gates are not read")
        }
        let direction = string(node, "direction") ?? "forward"
        guard direction == "forward" || direction == "bidirectional" else {
            throw unsupported(node, "direction \(direction) (Kouzi reads forward and bidirectional)")
        }
        let directions = direction == "bidirectional" ? 2 : 1
        let units = try sizes(node, [int(node, "hidden_size", r.shape[2])], "hidden_size")[0]
        let features = try sizes(node, [w.shape[2]], "input features")[0]
        let gates = kind == .lstm ? 4 : kind == .gru ? 3 : 1
        let b = try constant(node, 3) ?? Tensor.zeros([directions, 2 * gates * units])
        guard w.shape == [directions, gates * units, features], r.shape == [directions, gates * units, units],
              b.shape == [directions, 2 * gates * units], layout == 0 || layout == 1 else {
            throw unsupported(node, "weights W \(w.shape), R \(r.shape), B \(b.shape) do not fit \(directions) direction(s) of "
                + "\(gates) gate(s) × \(units) units over \(features) features (or layout \(layout) is unknown)")
        }
        let activations = attribute(node, "activations").map { $0.strings.map { String(decoding: $0, as: UTF8.self) } }
        let wantSequence = !(node.output.first ?? "").isEmpty && (uses[node.output[0]] ?? 0) > 0
        let wantState = node.output.count > 1 && !node.output[1].isEmpty && (uses[node.output[1]] ?? 0) > 0
        guard !(wantSequence && wantState), node.output.count < 3 || (uses[node.output[2]] ?? 0) == 0 else {
            throw unsupported(node, "reads more than one of Y, Y_h and Y_c (Kouzi's layer gives every step or the last state)")
        }
        func make() throws -> any RecurrentLayer {
            switch kind {
            case .lstm:
                guard activations == nil || activations! == Array(repeating: ["Sigmoid", "Tanh", "Tanh"], count: directions).flatMap({ $0 }) else {
                    throw unsupported(node, "activations \(activations!)")
                }
                return LSTM(units, returnSequences: wantSequence, inputSize: features, unitForgetBias: false)
            case .gru:
                guard int(node, "linear_before_reset", 0) == 1 else {
                    throw unsupported(node, "linear_before_reset 0 (Kouzi's GRU applies the reset after the product, as PyTorch)")
                }
                guard activations == nil || activations! == Array(repeating: ["Sigmoid", "Tanh"], count: directions).flatMap({ $0 }) else {
                    throw unsupported(node, "activations \(activations!)")
                }
                return GRU(units, returnSequences: wantSequence, inputSize: features)
            case .rnn:
                let names: [String: Activation] = ["Tanh": .tanh, "Relu": .relu, "Sigmoid": .sigmoid]
                let chosen = activations ?? Array(repeating: "Tanh", count: directions)
                guard let activation = names[chosen[0]], Set(chosen).count == 1 else { throw unsupported(node, "activations \(chosen)") }
                return SimpleRNN(units, activation: activation, returnSequences: wantSequence, inputSize: features)
            }
        }
        let forward = try make()
        let layer: any Layer
        if directions == 2 {
            let both = Bidirectional(forward)
            try load(both.forwardLayer, direction: 0, w: w, r: r, b: b, kind: kind, units: units)
            try load(both.backwardLayer, direction: 1, w: w, r: r, b: b, kind: kind, units: units)
            layer = both
        } else {
            try load(forward, direction: 0, w: w, r: r, b: b, kind: kind, units: units)
            layer = forward
        }
        let out = try layer(try x.view(layout == 0 ? [1, 0, 2] : [0, 1, 2]))
        if wantSequence {
            // [batch, steps, directions·units] → [batch, steps, directions, units]: ONNX's Y in order [2, 0, 1, 3]
            // (layout 0: [steps, directions, batch, units]) or as it is (layout 1).
            let split = try Reshape([out.shape[1], directions, units])(out)
            values[node.output[0]] = .tensor(.init(layout == 0 ? [2, 0, 1, 3] : [0, 1, 2, 3], split))
        }
        if wantState {
            // [batch, directions·units] → [batch, directions, units]: ONNX's Y_h in order [1, 0, 2] (layout 0).
            let split = try Reshape([directions, units])(out)
            values[node.output[1]] = .tensor(.init(layout == 0 ? [1, 0, 2] : [0, 1, 2], split))
        }
    }

    /// Sets one direction's weights from ONNX's stacked `W`, `R` and `B`.
    private func load(_ layer: any RecurrentLayer, direction d: Int, w: Tensor, r: Tensor, b: Tensor, kind: RecurrentKind,
                      units: Int) throws {
        let wd = w.slice(axis: 0, d..<(d + 1)).reshaped(Array(w.shape.dropFirst()))
        let rd = r.slice(axis: 0, d..<(d + 1)).reshaped(Array(r.shape.dropFirst()))
        let bd = b.reshaped([b.shape[0], b.count / b.shape[0]]).slice(axis: 0, d..<(d + 1)).reshaped([b.count / b.shape[0]])
        let gates = wd.shape[0] / units
        let inputBias = bd.slice(axis: 0, 0..<(gates * units)), recurrentBias = bd.slice(axis: 0, (gates * units)..<(2 * gates * units))
        /// Columns `[features, gates·units]` in Kouzi's gate order from ONNX's rows `[gates·units, features]`.
        func columns(_ rows: Tensor, _ order: [Int]) -> Tensor {
            Tensor.concatenate(order.map { rows.slice(axis: 0, ($0 * units)..<(($0 + 1) * units)) }, axis: 0).transposed()
        }
        func vector(_ v: Tensor, _ order: [Int]) -> Tensor {
            Tensor.concatenate(order.map { v.slice(axis: 0, ($0 * units)..<(($0 + 1) * units)) }, axis: 0)
        }
        switch (kind, layer) {
        case (.lstm, let lstm as LSTM):
            // ONNX (input, output, forget, cell) → Kouzi (input, forget, cell, output).
            let order = [0, 2, 3, 1]
            lstm.kernel = columns(wd, order)
            lstm.recurrentKernel = columns(rd, order)
            lstm.bias = vector(inputBias + recurrentBias, order)
        case (.gru, let gru as GRU):
            // ONNX (update, reset, hidden) → Kouzi (reset, update, new).
            let order = [1, 0, 2]
            gru.kernel = columns(wd, order)
            gru.recurrentKernel = columns(rd, order)
            gru.bias = vector(inputBias, order)
            gru.recurrentBias = vector(recurrentBias, order)
        case (.rnn, let rnn as SimpleRNN):
            rnn.kernel = wd.transposed()
            rnn.recurrentKernel = rd.transposed()
            rnn.bias = inputBias + recurrentBias
        default:
            throw ONNXError.invalidGraph("recurrent weights of the wrong kind")
        }
    }

    /// The axes of a Squeeze or Unsqueeze (an input from opset 13, an attribute before).
    private func axes(_ node: Onnx_NodeProto) throws -> [Int]? {
        try opset >= 13 ? constant(node, 1)?.intScalars : ints(node, "axes")
    }

    /// Drops unit axes: a held order's tensor is reshaped without them (the batch, first in every held tensor, stays).
    func squeeze(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        let shape = v.onnxShape
        let (order, tensor) = v.byPermutation.first!
        let dropped = try (axes(node) ?? shape.indices.filter { shape[$0] == 1 && $0 != order[0] }).map { $0 < 0 ? $0 + v.rank : $0 }
        guard !dropped.contains(order[0]), dropped.allSatisfy({ shape.indices.contains($0) && shape[$0] == 1 }) else {
            throw unsupported(node, "squeezes axes \(dropped) of \(shape) (only unit axes other than the batch)")
        }
        let kept = order.filter { !dropped.contains($0) }
        let rest = kept.dropFirst().map { shape[$0] }
        guard !rest.isEmpty, !rest.contains(-1) else { throw unsupported(node, "squeezes to \(rest.count + 1) axes, or with open axes") }
        let renumbered = kept.map { axis in axis - dropped.filter { $0 < axis }.count }
        values[node.output[0]] = .tensor(.init(renumbered, try Reshape(Array(rest))(tensor)))
    }

    /// Inserts unit axes: a held order's tensor gains them at its end.
    func unsqueeze(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        let given = try axes(node) ?? []
        let rank = v.rank + given.count
        let inserted = given.map { $0 < 0 ? $0 + rank : $0 }.sorted()
        guard !inserted.isEmpty, Set(inserted).count == inserted.count, inserted.allSatisfy({ (0..<rank).contains($0) }) else {
            throw unsupported(node, "axes \(given)")
        }
        let (order, tensor) = v.byPermutation.first!
        let slots = (0..<rank).filter { !inserted.contains($0) }  // where each old axis lands
        let rest = Array(tensor.shape.dropFirst())
        guard !rest.contains(-1) else { throw unsupported(node, "unsqueezes a tensor with open axes") }
        let grown = try Reshape(rest + Array(repeating: 1, count: inserted.count))(tensor)
        values[node.output[0]] = .tensor(.init(order.map { slots[$0] } + inserted, grown))
    }
}

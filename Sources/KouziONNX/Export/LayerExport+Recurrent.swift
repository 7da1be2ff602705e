import KouziNN
import KouziTensor

extension ModelTranslator {
    /// Embeddings and recurrent layers. A recurrent layer reading a masked sequence passes the real lengths as
    /// `sequence_lens`: right-padded sequences (as Kouzi's tokenisers pad) then give what Kouzi gives.
    func emitRecurrent(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue? {
        switch layer {
        case let embedding as Embedding:
            let ids = x.dtype == .int64 ? x.name : builder.op("Cast", [x.name], [ONNXAttribute.int("to", Int(ONNXElementType.int64.rawValue))], name: name)
            let y = builder.op("Gather", [builder.constant(embedding.embeddings, name + "/embeddings"), ids], [ONNXAttribute.int("axis", 0)], name: name)
            var mask = x.mask
            if embedding.maskZero {
                let zero = builder.constant(Tensor(shape: [], values: [Int64(0)]), name + "/pad_id")
                let real = builder.op("Not", [builder.op("Equal", [ids, zero], name: name)], name: name)
                let own = builder.op("Cast", [real], [ONNXAttribute.int("to", Int(ONNXElementType.float.rawValue))], name: name)
                mask = x.mask.map { builder.op("Mul", [own, $0], name: name) } ?? own
            }
            return ExportedValue(name: y, shape: [], dtype: .float32, mask: mask)
        case let recurrent as any RecurrentLayer:
            return try recurrentSequence([recurrent], merge: .concat, x, name: name)
        case let bidirectional as Bidirectional:
            return try recurrentSequence([bidirectional.forwardLayer, bidirectional.backwardLayer], merge: bidirectional.mergeMode,
                                         x, name: name)
        default:
            return nil
        }
    }

    /// One ONNX RNN, LSTM or GRU node for one direction (or both, as `bidirectional`), in batch-first layout.
    private func recurrentSequence(_ directions: [any RecurrentLayer], merge: Bidirectional.MergeMode, _ x: ExportedValue,
                                   name: String) throws -> ExportedValue {
        let first = directions[0]
        let units = first.units
        let parts = try directions.map { try weights(of: $0) }
        let w = builder.constant(Tensor.stack(parts.map(\.w), axis: 0), name + "/W")
        let r = builder.constant(Tensor.stack(parts.map(\.r), axis: 0), name + "/R")
        let b = builder.constant(Tensor.stack(parts.map(\.b), axis: 0), name + "/B")
        let lengths = x.mask.map { mask in
            builder.op("Cast", [builder.op("ReduceSum", [mask, builder.ints([1], name + "/steps")], [ONNXAttribute.int("keepdims", 0)], name: name)],
                       [ONNXAttribute.int("to", Int(ONNXElementType.int32.rawValue))], name: name)
        } ?? ""
        var attributes = [ONNXAttribute.int("hidden_size", units),
                          ONNXAttribute.string("direction", directions.count == 2 ? "bidirectional" : "forward")]
        attributes += parts[0].attributes.map { $0(directions.count) }
        let seqMajor = builder.op("Transpose", [x.name], [ONNXAttribute.ints("perm", [1, 0, 2])], name: name)
        let outputs = builder.node(parts[0].op, [seqMajor, w, r, b, lengths], attributes, outputs: 2, name: name)
        let dirs = directions.count
        let y: String
        if first.returnSequences {
            // Y: [steps, directions, batch, units] → [batch, steps, directions, units].
            let batchFirst = builder.op("Transpose", [outputs[0]], [ONNXAttribute.ints("perm", [2, 0, 1, 3])], name: name)
            y = merge == .sum && dirs == 2
                ? builder.op("ReduceSum", [batchFirst, builder.ints([2], name + "/directions")], [ONNXAttribute.int("keepdims", 0)], name: name)
                : builder.op("Reshape", [batchFirst, builder.ints([0, 0, dirs * units], name + "/shape")], name: name)
        } else {
            // Y_h: [directions, batch, units] → [batch, directions, units].
            let batchFirst = builder.op("Transpose", [outputs[1]], [ONNXAttribute.ints("perm", [1, 0, 2])], name: name)
            y = merge == .sum && dirs == 2
                ? builder.op("ReduceSum", [batchFirst, builder.ints([1], name + "/directions")], [ONNXAttribute.int("keepdims", 0)], name: name)
                : builder.op("Reshape", [batchFirst, builder.ints([0, dirs * units], name + "/shape")], name: name)
        }
        return ExportedValue(name: y, shape: [], dtype: .float32, mask: first.returnSequences ? x.mask : nil)
    }

    /// The ONNX operator, weights (`W` `[gates·units, features]`, `R` `[gates·units, units]`, `B` `[2·gates·units]`)
    /// and attributes of one direction.
    private func weights(of layer: any RecurrentLayer) throws -> (op: String, w: Tensor, r: Tensor, b: Tensor,
                                                                attributes: [(Int) -> Onnx_AttributeProto]) {
        let units = layer.units
        switch layer {
        case let lstm as LSTM:
            // Kouzi's gates are (input, forget, cell, output); ONNX's (input, output, forget, cell).
            let order = [0, 3, 1, 2]
            let bias = gateRows(lstm.bias.reshaped([1, 4 * units]), order: order, units: units).reshaped([4 * units])
            return ("LSTM", gateRows(lstm.kernel, order: order, units: units), gateRows(lstm.recurrentKernel, order: order, units: units),
                    Tensor.concatenate([bias, Tensor.zeros([4 * units])], axis: 0), [])
        case let gru as GRU:
            // Kouzi's gates are (reset, update, new); ONNX's (update, reset, hidden), with the reset applied after
            // the recurrent product as Kouzi (and PyTorch) apply it.
            let order = [1, 0, 2]
            let bias = gateRows(gru.bias.reshaped([1, 3 * units]), order: order, units: units).reshaped([3 * units])
            let recurrentBias = gateRows(gru.recurrentBias.reshaped([1, 3 * units]), order: order, units: units).reshaped([3 * units])
            return ("GRU", gateRows(gru.kernel, order: order, units: units), gateRows(gru.recurrentKernel, order: order, units: units),
                    Tensor.concatenate([bias, recurrentBias], axis: 0), [{ _ in ONNXAttribute.int("linear_before_reset", 1) }])
        case let rnn as SimpleRNN:
            let names: [Activation: String] = [.tanh: "Tanh", .relu: "Relu", .sigmoid: "Sigmoid"]
            guard let activation = names[rnn.activation] else {
                throw ONNXError.unsupportedLayer("SimpleRNN with \(rnn.activation.rawValue) (ONNX's RNN takes tanh, relu or sigmoid)")
            }
            return ("RNN", rnn.kernel.transposed(), rnn.recurrentKernel.transposed(),
                    Tensor.concatenate([rnn.bias, Tensor.zeros([units])], axis: 0),
                    [{ ONNXAttribute.strings("activations", Array(repeating: activation, count: $0)) }])
        default:
            throw ONNXError.unsupportedLayer("\(layer.name) (\(type(of: layer))) has no ONNX form")
        }
    }

    /// `matrix` `[rows, gates·units]` with its gate blocks in `order`, transposed to `[gates·units, rows]`.
    private func gateRows(_ matrix: Tensor, order: [Int], units: Int) -> Tensor {
        let blocks = order.map { matrix.slice(axis: 1, ($0 * units)..<(($0 + 1) * units)) }
        return Tensor.concatenate(blocks, axis: 1).transposed()
    }
}

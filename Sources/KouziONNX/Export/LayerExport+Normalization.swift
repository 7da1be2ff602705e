import KouziNN
import KouziTensor

extension ModelTranslator {
    /// Layer and batch normalisation (batch normalisation at inference: a scale and a shift per channel).
    func emitNormalization(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue? {
        switch layer {
        case let norm as LayerNorm:
            guard let features = norm.features else { throw ONNXError.unsupportedLayer("\(norm.name) is not built") }
            let gamma = norm.affine ? norm.gamma : Tensor.ones([features])
            let beta = norm.affine ? norm.beta : Tensor.zeros([features])
            let y = builder.op("LayerNormalization", [x.name, builder.constant(gamma, name + "/gamma"), builder.constant(beta, name + "/beta")],
                               [ONNXAttribute.int("axis", -1), ONNXAttribute.float("epsilon", norm.epsilon)], name: name)
            return value(y, like: x)
        case let norm as BatchNorm:
            // ONNX normalises axis 1: channels-last values go channels-first and back (runtimes fold the transposes).
            guard norm.runningVariance.count > 0 else { throw ONNXError.unsupportedLayer("\(norm.name) is not built") }
            let weights = [norm.gamma, norm.beta, norm.runningMean, norm.runningVariance].enumerated().map {
                builder.constant($1, name + ["/scale", "/bias", "/mean", "/variance"][$0])
            }
            let rank = x.shape.count
            let attributes = [ONNXAttribute.float("epsilon", norm.epsilon), ONNXAttribute.float("momentum", 1 - norm.momentum)]
            guard rank > 2 else { return value(builder.op("BatchNormalization", [x.name] + weights, attributes, name: name), like: x) }
            let first = channelsFirst(x.name, rank: rank, name: name)
            return value(channelsLast(builder.op("BatchNormalization", [first] + weights, attributes, name: name), rank: rank, name: name), like: x)
        default:
            return nil
        }
    }

    /// Merging layers: ONNX's variadic Sum, Mean, Max and Min, the binary Sub and Mul, and Concat.
    func emitMerge(_ layer: any MergingLayer, _ inputs: [ExportedValue], name: String, shape: [Int]?) throws -> ExportedValue {
        let names = inputs.map(\.name)
        let y: String
        switch layer {
        case is Add: y = builder.op("Sum", names, name: name)
        case is Average: y = builder.op("Mean", names, name: name)
        case is Maximum: y = builder.op("Max", names, name: name)
        case is Minimum: y = builder.op("Min", names, name: name)
        case is Subtract: y = builder.op("Sub", names, name: name)
        case is Multiply: y = names.dropFirst().reduce(names[0]) { builder.op("Mul", [$0, $1], name: name) }
        case let concat as Concatenate: y = builder.op("Concat", names, [ONNXAttribute.int("axis", concat.axis)], name: name)
        default: throw ONNXError.unsupportedLayer("\(layer.name) (\(type(of: layer))) has no ONNX form")
        }
        let mask = inputs.allSatisfy({ $0.mask == inputs[0].mask }) ? inputs[0].mask : nil
        return ExportedValue(name: y, shape: shape ?? inputs[0].shape, dtype: inputs[0].dtype, mask: mask)
    }
}

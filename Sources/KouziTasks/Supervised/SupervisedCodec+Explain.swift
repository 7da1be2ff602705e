import KouziBase
import KouziExplain
import KouziInference
import KouziNN
import KouziTensor

/// Explanations of the supervised tasks' models, attributing the numbers their answers carry (a class's probability,
/// a value in the target's units):
/// - a table model by Shapley values over its columns (a category's one-hot features are one player), against the
///   sample of training rows saved with the model — Kernel SHAP by default, exact values on request;
/// - a text model by Kernel SHAP over the sentence's tokens (a coalition keeps its tokens in order), exact up to
///   ``TokenAttribution/exactTokens`` tokens;
/// - an image model (or any model of one float tensor) by integrated gradients from a black image by default,
///   saliency, gradient × input or Grad-CAM, as a heat map over the pixels (a model of plain vectors by Kernel SHAP
///   over the vector's entries against zeros).
extension SupervisedCodec {
    /// The most rows one explanation request may carry: each row costs thousands of forward passes.
    static let maximumExplainedRows = 16

    func explain(_ tensors: [InferTensor], model: Model, options: ExplainOptions) throws -> (method: String, explanations: [RowExplanation]) {
        let x = try modelInput(tensors)
        let rows = x.shape.first ?? 0
        guard rows > 0 else { throw InferenceCodec.invalid("the inputs hold no rows") }
        guard rows <= Self.maximumExplainedRows else {
            throw InferenceCodec.invalid("an explanation request takes at most \(Self.maximumExplainedRows) rows (this one has \(rows)): "
                + "each row costs thousands of forward passes")
        }
        let target = preprocessing.target, fromLogits = self.fromLogits
        let answer: TableExplainer.Predict = { batch in
            Predictions.answerMatrix(try model.predict(batch, batchSize: Swift.max(1, batch.shape[0])), target: target, fromLogits: fromLogits)
        }
        let outputs = try model.predict(x, batchSize: rows)
        let scores = Predictions.answerMatrix(outputs, target: target, fromLogits: fromLogits)
        let width = scores.shape[1]
        let explained = try targets(scores, asked: options.target)
        let labels = classLabels ?? (0..<width).map(String.init)
        let names: [String?] = explained.map { isClassifier && labels.indices.contains($0) ? labels[$0] : nil }
        do {
            if let text = preprocessing.text {
                return try explainTokens(tensors, text: text, options: options, answer: answer, targets: explained, names: names)
            }
            if let table = preprocessing.table {
                // The saved training rows, or the training mean (zero after standardisation) for a model saved before them.
                let saved = (preprocessing.background ?? []).filter { $0.count == x.shape[1] }
                let background = saved.isEmpty ? [[Float](repeating: 0, count: x.shape[1])] : saved
                let explainer = try TableExplainer(predict: answer,
                                                   background: Tensor(shape: [background.count, x.shape[1]], scalars: background.flatMap { $0 }),
                                                   groups: table.featureGroups, names: table.columns)
                let values = try rawValues(tensors, columns: table.columns)
                return try explainShapley(explainer, x: x, options: options, targets: explained, names: names, values: values)
            }
            if x.rank == 2 && preprocessing.images == nil {
                let explainer = try TableExplainer(predict: answer, background: Tensor.zeros([1, x.shape[1]]),
                                                   names: (0..<x.shape[1]).map { "input[\($0)]" })
                let values = x.scalars.map { JSONValue.number(Double($0)) }
                return try explainShapley(explainer, x: x, options: options, targets: explained, names: names,
                                          values: (0..<rows).map { Array(values[($0 * x.shape[1])..<(($0 + 1) * x.shape[1])]) })
            }
            return try explainPixels(model, x: x, options: options, answer: answer, scores: scores, width: width, targets: explained, names: names,
                                     binary: Predictions.kind(outputs, target: target) == .binary)
        } catch let error as ExplainError {
            switch error {
            case .notDifferentiable, .tooManyFeatures: throw InferenceError.notExplainable(error.description)
            default: throw InferenceCodec.invalid(error.description)
            }
        }
    }

    /// The output explained for each row: the asked class, each row's predicted class, or the one value of a regression.
    private func targets(_ scores: Tensor, asked: String?) throws -> [Int] {
        let rows = scores.shape[0], width = scores.shape[1], values = scores.scalars
        guard isClassifier else {
            if asked != nil { throw InferenceCodec.invalid("parameter 'target' names a class, and this model is a regression") }
            guard width == 1 else { throw InferenceError.notExplainable("the model answers \(width) values per row; explanations cover one") }
            return [Int](repeating: 0, count: rows)
        }
        if let asked {
            let labels = classLabels ?? (0..<width).map(String.init)
            guard let index = labels.firstIndex(of: asked) else {
                throw InferenceCodec.invalid("parameter 'target': '\(asked)' is not one of the classes \(labels.joined(separator: ", "))")
            }
            return [Int](repeating: index, count: rows)
        }
        return (0..<rows).map { r in (0..<width).max { values[r * width + $0] < values[r * width + $1] } ?? 0 }
    }

    /// Shapley values of table rows by Kernel SHAP (the default) or exact enumeration.
    private func explainShapley(_ explainer: TableExplainer, x: Tensor, options: ExplainOptions, targets: [Int], names: [String?],
                                values: [[JSONValue]]) throws -> (method: String, explanations: [RowExplanation]) {
        let method = options.method ?? .kernelShap
        let results: [ShapleyExplanation]
        switch method {
        case .kernelShap: results = try explainer.kernelSHAP(x, samples: options.samples)
        case .exactShapley: results = try explainer.exactShapley(x)
        default:
            throw InferenceError.notExplainable("a table model is explained over its columns by 'kernel_shap' or 'exact_shapley'; "
                + "'\(method.rawValue)' works on the model's standardised, one-hot encoded features, which are not the columns")
        }
        let explanations = results.enumerated().map { r, result in
            let t = targets[r]
            return RowExplanation(target: names[r], prediction: result.prediction[t], baseValue: result.baseValue[t],
                                  features: explainer.names.indices.map { j in
                                      RowExplanation.Feature(name: explainer.names[j], value: values[r][j], attribution: result.attributions[j][t])
                                  },
                                  exact: result.exact, completenessGap: result.additivityGap)
        }
        return (method.rawValue, explanations)
    }

    /// Each row's raw column values as the request gave them.
    private func rawValues(_ tensors: [InferTensor], columns: [String]) throws -> [[JSONValue]] {
        let decoded = try tensors.map { ($0.name, try InferenceCodec.decode($0)) }
        let byName = Dictionary(decoded, uniquingKeysWith: { a, _ in a })
        let rows = decoded.first?.1.shape.first ?? 0
        if decoded.count == 1, byName[columns[0]] == nil, case let .numbers(values, shape, _) = decoded[0].1, shape.count == 2 {
            return (0..<rows).map { r in (0..<shape[1]).map { .number(values[r * shape[1] + $0]) } }
        }
        return (0..<rows).map { r in
            columns.map { column in
                switch byName[column] {
                case let .numbers(values, _, _)?: return values.indices.contains(r) ? .number(values[r]) : .null
                case let .strings(values, _)?: return values.indices.contains(r) ? .string(values[r]) : .null
                case nil: return .null
                }
            }
        }
    }

    /// Token attributions of sentences.
    private func explainTokens(_ tensors: [InferTensor], text: TextFeatures, options: ExplainOptions, answer: TableExplainer.Predict,
                               targets: [Int], names: [String?]) throws -> (method: String, explanations: [RowExplanation]) {
        let method = options.method ?? .kernelShap
        guard method == .kernelShap || method == .exactShapley else {
            throw InferenceError.notExplainable("a text model reads token ids, which have no gradient: it is explained by 'kernel_shap' "
                + "(or 'exact_shapley' for up to \(TokenAttribution.exactTokens) tokens) over its tokens")
        }
        guard case let .strings(sentences, _) = try InferenceCodec.decode(tensors[0]) else {
            throw InferenceCodec.invalid("the model reads one BYTES input of sentences")
        }
        let explanations = try sentences.enumerated().map { r, sentence -> RowExplanation in
            // Tokens past the model's length never reach it.
            let tokens = Array(text.tokenizer.tokenize(sentence).prefix(text.length))
            if method == .exactShapley, tokens.count > ExactShapley.maximumPlayers {
                throw ExplainError.tooManyFeatures(count: tokens.count, limit: ExactShapley.maximumPlayers)
            }
            let samples = method == .exactShapley ? KernelSHAP.maximumSamples : options.samples
            let result = try TokenAttribution.explain(tokens: tokens, samples: samples) { lists in
                let y = try answer(try text.vocabulary.encode(lists, length: text.length))
                let width = y.shape[1], values = y.scalars
                return (0..<lists.count).map { i in (0..<width).map { Double(values[i * width + $0]) } }
            }
            let t = targets[r]
            return RowExplanation(target: names[r], prediction: result.prediction[t], baseValue: result.baseValue[t],
                                  tokens: zip(tokens, result.attributions).map { RowExplanation.Token(token: $0, attribution: $1[t]) },
                                  exact: result.exact, completenessGap: result.additivityGap)
        }
        return (method.rawValue, explanations)
    }

    /// Heat maps over images (or any tensor samples) by a gradient method.
    private func explainPixels(_ model: Model, x: Tensor, options: ExplainOptions, answer: TableExplainer.Predict, scores: Tensor,
                               width: Int, targets: [Int], names: [String?], binary: Bool) throws -> (method: String, explanations: [RowExplanation]) {
        let method = options.method ?? .integratedGradients
        let rows = x.shape[0]
        let sample = preprocessing.images?.sampleShape ?? Array(x.shape.dropFirst())
        let height = sample.count >= 2 ? sample[0] : 1, columns = sample.count >= 2 ? sample[1] : sample.reduce(1, *)
        let channels = Swift.max(1, sample.reduce(1, *) / Swift.max(1, height * columns))
        // The model's own outputs: a single binary probability is output 0 (its class 0 is 1 − p: the gradient flips sign).
        let raw = targets.map { binary ? 0 : $0 }
        let sign: [Float] = targets.map { binary && $0 == 0 ? -1 : 1 }
        var maps: [[Float]] = [], gaps: [Double?] = [], bases: [Double?] = []
        switch method {
        case .integratedGradients, .saliency, .gradientTimesInput:
            let attributions: Tensor
            switch method {
            case .integratedGradients:
                let result = try GradientAttribution.integratedGradients(model: model, x: x, targets: raw, steps: options.steps ?? 64)
                attributions = result.attributions
                // Completeness holds in the model's own outputs; reported where those are the answer's numbers.
                let direct = !fromLogits && !binary && isClassifier
                gaps = result.gap.map { direct ? $0 : nil }
                let base = direct ? try answer(Tensor.zeros([1] + Array(x.shape.dropFirst()))).scalars : nil
                bases = targets.map { t in base.map { Double($0[t]) } }
            case .saliency: attributions = try GradientAttribution.saliency(model: model, x: x, targets: raw)
            default: attributions = try GradientAttribution.gradientTimesInput(model: model, x: x, targets: raw)
            }
            let a = attributions.scalars, size = a.count / rows
            maps = (0..<rows).map { r in
                (0..<(height * columns)).map { p in
                    var sum: Float = 0
                    for c in 0..<channels { sum += a[r * size + p * channels + c] }
                    return method == .saliency ? sum : sign[r] * sum
                }
            }
        case .gradCam:
            guard x.rank == 4 else {
                throw InferenceError.notExplainable("Grad-CAM explains convolutional models of images [height, width, channels]; "
                    + "this model reads samples of shape \(Array(x.shape.dropFirst()))")
            }
            let result = try GradCAM.explain(model: model, x: x, targets: raw)
            let m = result.maps.scalars, size = height * columns
            maps = (0..<rows).map { Array(m[($0 * size)..<(($0 + 1) * size)]) }
        case .kernelShap, .exactShapley:
            throw InferenceError.notExplainable("an image model is explained by a gradient method ('integrated_gradients', 'saliency', "
                + "'gradient_x_input' or 'grad_cam'); Shapley values over \(height * columns) pixels are out of reach")
        }
        if gaps.isEmpty { gaps = [Double?](repeating: nil, count: rows) }
        if bases.isEmpty { bases = [Double?](repeating: nil, count: rows) }
        let values = scores.scalars
        let explanations = (0..<rows).map { r in
            RowExplanation(target: names[r], prediction: Double(values[r * width + targets[r]]), baseValue: bases[r],
                           heatmap: .init(shape: [height, columns], data: maps[r].map(Double.init)), completenessGap: gaps[r])
        }
        return (method.rawValue, explanations)
    }
}

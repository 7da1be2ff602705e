import KouziNN
import KouziTensor
import KouziTraining

/// Loss and metrics of a model on data whose targets are in their original units.
///
/// Regression models trained on a standardised target are scored after their outputs are mapped back
/// to the original units, so an error of 3 means 3 of the target's own units.
package enum Evaluation {
    /// The loss and every compiled metric on `(x, y)`; `y` as ``TargetEncoding/encode(_:)`` makes it.
    package static func run(model: Model, x: Tensor, y: Tensor, target: TargetEncoding, batchSize: Int = 256) throws -> [String: Float] {
        guard let loss = model.loss else {
            throw TrainingError.failed("the model has no loss saved with it, so it cannot be evaluated; train it with `kouzi train`")
        }
        guard x.rank >= 1, x.shape[0] == y.shape[0] else {
            throw TrainingError.invalidData("\(x.rank >= 1 ? x.shape[0] : 0) examples but \(y.shape.first ?? 0) targets")
        }
        guard x.shape[0] > 0 else { throw TrainingError.invalidData("no examples to evaluate") }
        let outputs = target.unscaled(try model.predict(x, batchSize: batchSize))
        for metric in model.metrics { metric.reset() }
        var total: Double = 0
        let n = x.shape[0]
        var start = 0
        while start < n {
            let end = min(start + batchSize, n)
            let p = outputs.slice(axis: 0, start..<end), t = y.slice(axis: 0, start..<end)
            total += Double(try withoutGrad { try loss(p, t) }.item) * Double(end - start)
            for metric in model.metrics { try metric.update(predictions: p, targets: t) }
            start = end
        }
        var logs = ["loss": Float(total / Double(n))]
        for metric in model.metrics { logs[metric.name] = metric.result() }
        return logs
    }

    /// `logs` as aligned text lines: `accuracy: 0.9733`.
    package static func lines(_ logs: [String: Float], indent: String = "  ") -> [String] {
        let keys = logs.keys.sorted { a, b in a == "loss" || (b != "loss" && a < b) }
        let width = keys.map(\.count).max() ?? 0
        return keys.map { key in
            indent + key + ":" + String(repeating: " ", count: width - key.count + 1) + format(logs[key]!)
        }
    }

    /// A metric value with four decimals (or in exponent form when very large or small).
    package static func format(_ value: Float) -> String {
        guard value.isFinite else { return String(describing: value) }
        if value != 0 && (abs(value) < 1e-3 || abs(value) >= 1e6) { return String(describing: value) }
        let rounded = (Double(value) * 10_000).rounded() / 10_000
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 4 { text += String(repeating: "0", count: 4 - decimals) }
        }
        return text
    }
}

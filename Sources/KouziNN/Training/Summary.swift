import KouziTensor

extension Model {
    /// A table of the layers with their output shapes and parameter counts.
    ///
    /// ```
    /// Layer            Output shape    Params
    /// ─────────────────────────────────────────
    /// Dense            [-1, 128]       100480
    /// ```
    public func summary() throws -> String {
        var rows: [(String, String, String)] = []
        if let seq = self as? Sequential {
            var shape = [-1] + (inputShape ?? [])
            for layer in seq.layers {
                let desc: String
                if inputShape != nil {
                    shape = try layer.outputShape(for: shape)
                    desc = "\(shape)"
                } else {
                    desc = "?"
                }
                rows.append((layer.name, desc, String(layer.parameterCount)))
            }
        } else {
            rows.append((name, inputShape.map { (try? outputShape(for: [-1] + $0)).map { "\($0)" } ?? "?" } ?? "?", String(parameterCount)))
        }
        let total = parameterCount
        let trainable = trainableParameters.reduce(0) { $0 + $1.value.count }
        let header = ("Layer", "Output shape", "Params")
        let w0 = max(header.0.count, rows.map(\.0.count).max() ?? 0) + 2
        let w1 = max(header.1.count, rows.map(\.1.count).max() ?? 0) + 2
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var lines = ["Model: \(name)" + (inputShape.map { " (input \([-1] + $0))" } ?? "")]
        lines.append(pad(header.0, w0) + pad(header.1, w1) + header.2)
        lines.append(String(repeating: "─", count: w0 + w1 + 10))
        for r in rows { lines.append(pad(r.0, w0) + pad(r.1, w1) + r.2) }
        lines.append(String(repeating: "─", count: w0 + w1 + 10))
        lines.append("Total params: \(total)")
        lines.append("Trainable params: \(trainable)")
        lines.append("Non-trainable params: \(total - trainable)")
        return lines.joined(separator: "\n")
    }
}

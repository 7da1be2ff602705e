import KouziTensor

extension Model {
    /// A table of the layers with their output shapes and parameter counts; for a functional model also the
    /// nodes each call reads ("Connected to"), one row per input and per call (a shared layer's later calls show
    /// no parameters of their own).
    ///
    /// ```
    /// Layer            Output shape    Params
    /// ─────────────────────────────────────────
    /// Dense            [-1, 128]       100480
    /// ```
    public func summary() throws -> String {
        var rows: [[String]] = []
        let header: [String]
        if let graph {
            header = ["Layer (type)", "Output shape", "Params", "Connected to"]
            for input in graph.inputs { rows.append(["\(input.name) (Input)", "\(input.shape)", "0", ""]) }
            var seen = Set<ObjectIdentifier>()
            for call in graph.calls {
                let layer = call.operation.layer!
                let first = seen.insert(ObjectIdentifier(layer)).inserted
                let shapes = call.outputs.map { "\($0.shape)" }.joined(separator: ", ")
                rows.append(["\(graph.nodeNames[ObjectIdentifier(call)]!) (\(layer.name))", shapes,
                             first ? String(layer.parameterCount) : "0 (shared)",
                             call.inputs.map { graph.name(of: $0) + ($0.index > 0 ? "#\($0.index)" : "") }.joined(separator: ", ")])
            }
        } else if let seq = self as? Sequential {
            header = ["Layer", "Output shape", "Params"]
            var shape = [-1] + (inputShape ?? [])
            for layer in seq.layers {
                let desc: String
                if inputShape != nil {
                    shape = try layer.outputShape(for: shape)
                    desc = "\(shape)"
                } else {
                    desc = "?"
                }
                rows.append([layer.name, desc, String(layer.parameterCount)])
            }
        } else {
            header = ["Layer", "Output shape", "Params"]
            let shapes = inputShape == nil ? "?" : ((try? outputSignature)?.map { "\($0.shape)" }.joined(separator: ", ") ?? "?")
            rows.append([name, shapes, String(parameterCount)])
        }
        let total = parameterCount
        let trainable = trainableParameters.reduce(0) { $0 + $1.value.count }
        let widths = header.indices.map { c in Swift.max(header[c].count, rows.map { $0[c].count }.max() ?? 0) + 2 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                c == cells.count - 1 ? text : text + String(repeating: " ", count: Swift.max(0, widths[c] - text.count))
            }.joined()
        }
        let rule = String(repeating: "─", count: widths.dropLast().reduce(0, +) + Swift.max(10, widths.last! - 2))
        let inputs = graph.map { " (inputs \($0.inputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")))" }
            ?? inputShape.map { " (input \([-1] + $0))" } ?? ""
        var lines = ["Model: \(name)" + inputs, line(header), rule]
        lines += rows.map(line)
        lines += [rule, "Total params: \(total)", "Trainable params: \(trainable)", "Non-trainable params: \(total - trainable)"]
        return lines.joined(separator: "\n")
    }
}

extension Model {
    /// The number of activation values one forward pass of `batch` examples produces: the inputs and every layer's
    /// (or every graph call's) output. For memory estimates.
    public func activationCount(batch: Int) throws -> Int {
        func size(_ shape: [Int]) -> Int { shape.map { $0 < 0 ? batch : $0 }.reduce(1, *) }
        if let graph {
            return graph.inputs.map { size($0.shape) }.reduce(0, +)
                + graph.calls.flatMap { $0.outputs.map { size($0.shape) } }.reduce(0, +)
        }
        guard var shape = inputShape.map({ [-1] + $0 }) else { return 0 }
        var total = size(shape)
        if let seq = self as? Sequential {
            for layer in seq.layers {
                shape = try layer.outputShape(for: shape)
                total += size(shape)
            }
        } else {
            total += try outputSignature.map { size($0.shape) }.reduce(0, +)
        }
        return total
    }
}

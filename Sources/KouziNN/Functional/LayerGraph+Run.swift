import KouziTensor

/// Where a run of a graph keeps each tensor: one slot per node output, read by index, freed after its last read.
struct RunPlan {
    /// The slot of each model input.
    let inputSlots: [Int]
    /// For each call: the slots it reads, the first slot it writes, and the slots to free after it.
    let reads: [[Int]]
    let writes: [Int]
    let frees: [[Int]]
    /// The slots of the model's outputs.
    let outputSlots: [Int]
    let slotCount: Int

    init(inputs: [GraphNode], calls: [GraphNode], outputs: [SymbolicTensor]) {
        var base: [ObjectIdentifier: Int] = [:]
        var next = 0
        for node in inputs + calls {
            base[ObjectIdentifier(node)] = next
            next += node.outputs.count
        }
        func slot(_ t: SymbolicTensor) -> Int { base[ObjectIdentifier(t.node)]! + t.index }
        inputSlots = inputs.map { base[ObjectIdentifier($0)]! }
        reads = calls.map { $0.inputs.map(slot) }
        writes = calls.map { base[ObjectIdentifier($0)]! }
        outputSlots = outputs.map(slot)
        slotCount = next
        var lastRead = [Int](repeating: -1, count: next)
        for (i, r) in reads.enumerated() { for s in r { lastRead[s] = i } }
        let kept = Set(outputSlots)
        var frees = [[Int]](repeating: [], count: calls.count)
        for s in 0..<next where lastRead[s] >= 0 && !kept.contains(s) { frees[lastRead[s]].append(s) }
        self.frees = frees
    }
}

extension LayerGraph {
    /// Runs the graph on one tensor per input; returns one tensor per output.
    ///
    /// Masks travel along the edges as in ``Sequential``: an `Embedding` with `maskZero` creates one and the
    /// layers after it receive it; merging layers keep a mask only when all their inputs carry the same one.
    /// Float inputs given to an integer input (ids sent as numbers) are converted.
    /// `observe`, when given, sees each single-output call's result by the call's name and may replace it (an
    /// explanation method taps a feature map there).
    func run(_ values: [Tensor], observe: ((String, Tensor) throws -> Tensor)? = nil) throws -> [Tensor] {
        guard values.count == inputs.count else {
            throw NNError.invalidArgument("the model takes \(inputs.count) input\(inputs.count == 1 ? "" : "s") "
                + "(\(inputs.map(\.name).joined(separator: ", "))), got \(values.count)")
        }
        var slots = [Tensor?](repeating: nil, count: plan.slotCount)
        var masks = [Tensor?](repeating: nil, count: plan.slotCount)
        for (i, input) in inputs.enumerated() {
            var value = values[i]
            guard Shape.compatible(input.shape, value.shape) else {
                throw NNError.invalidInput(layer: "input '\(input.name)'", expected: "\(input.shape)", got: value.shape)
            }
            if value.dtype != input.dtype {
                guard value.dtype == .float32 || input.dtype == .float32 else {
                    throw NNError.invalidInput(layer: "input '\(input.name)'", expected: "\(input.dtype) values", got: value.shape)
                }
                value = value.cast(to: input.dtype)
            }
            slots[plan.inputSlots[i]] = value
        }
        for (c, call) in calls.enumerated() {
            let reads = plan.reads[c]
            let args = reads.map { slots[$0]! }
            let out = plan.writes[c]
            switch call.operation {
            case .input:
                continue
            case .layer(let layer):
                let (y, mask) = try layer.forward(args[0], mask: masks[reads[0]])
                slots[out] = try observe.map { try $0(nodeNames[ObjectIdentifier(call)]!, y) } ?? y
                masks[out] = mask
            case .merge(let layer):
                let y = try layer(args)
                slots[out] = try observe.map { try $0(nodeNames[ObjectIdentifier(call)]!, y) } ?? y
                let inputMasks = reads.map { masks[$0] }
                if let first = inputMasks[0], inputMasks.allSatisfy({ $0.map { $0.sharesStorage(with: first) } ?? false }) {
                    masks[out] = first
                }
            case .model(let model):
                for (k, y) in try model(args).enumerated() { slots[out + k] = y }
            }
            for s in plan.frees[c] { slots[s] = nil; masks[s] = nil }
        }
        return plan.outputSlots.map { slots[$0]! }
    }
}

import KouziTensor

extension Batch {
    /// The examples stacked along a new first axis: input `i` of the batch stacks input `i` of every
    /// example, and likewise for the targets and each extra.
    ///
    /// - Throws: ``DatasetError/emptyBatch``; ``DatasetError/batchStructureMismatch(example:found:expected:)``
    ///   when examples differ in their number of inputs or targets or in their extras' names;
    ///   ``DatasetError/batchShapeMismatch(slot:example:shape:expected:)`` or
    ///   ``DatasetError/batchDTypeMismatch(slot:example:dtype:expected:)`` naming the slot, the example's
    ///   position in the batch and both shapes or types.
    public init(stacking examples: [Example]) throws {
        try self.init(examples, padding: nil)
    }

    /// The examples stacked along a new first axis after padding each tensor with `padValue` to the
    /// largest size of its slot in the batch along every axis; the first axis of each input of rank 1 or
    /// more (its sequence length) is further padded up to a multiple of `toMultipleOf`.
    ///
    /// Tensors of a slot must have the same rank and element type; integer tensors are padded with
    /// `padValue` converted to their type. Slots whose shapes already agree are stacked as they are.
    ///
    /// ```swift
    /// let batch = try Batch(padding: [Example(inputs: [Tensor(shape: [2], values: [Int32(5), 6])]),
    ///                                 Example(inputs: [Tensor(shape: [3], values: [Int32(7), 8, 9])])])
    /// // inputs[0]: [[5, 6, 0], [7, 8, 9]]
    /// ```
    ///
    /// - Throws: the errors of ``init(stacking:)`` (a rank mismatch as
    ///   ``DatasetError/batchRankMismatch(slot:example:shape:expected:)``), and
    ///   ``DatasetError/invalidArgument(_:)`` for a multiple below 1 or a fractional `padValue` for
    ///   integer tensors.
    public init(padding examples: [Example], padValue: Float = 0, toMultipleOf multiple: Int = 1) throws {
        guard multiple >= 1 else {
            throw DatasetError.invalidArgument("padding must round lengths up to a multiple of at least 1, got \(multiple)")
        }
        try self.init(examples, padding: TensorStacking.Padding(value: padValue, multiple: multiple))
    }

    private init(_ examples: [Example], padding: TensorStacking.Padding?) throws {
        guard let first = examples.first else { throw DatasetError.emptyBatch }
        let names = first.extras.keys.sorted()
        for (position, example) in examples.enumerated().dropFirst() {
            func mismatch(_ found: String, _ expected: String) -> DatasetError {
                .batchStructureMismatch(example: position, found: found, expected: expected)
            }
            if example.inputs.count != first.inputs.count {
                throw mismatch(Self.plural(example.inputs.count, "input"), "\(first.inputs.count)")
            }
            if example.targets.count != first.targets.count {
                throw mismatch(Self.plural(example.targets.count, "target"), "\(first.targets.count)")
            }
            let exampleNames = example.extras.keys.sorted()
            if exampleNames != names { throw mismatch("extras \(exampleNames)", "extras \(names)") }
        }
        func stack(_ slot: String, _ lengthAxis: Bool, _ tensor: (Example) -> Tensor) throws -> Tensor {
            try TensorStacking.stack(examples.map(tensor), slot: slot, padding: padding, roundsFirstAxis: lengthAxis)
        }
        inputs = try first.inputs.indices.map { i in try stack("inputs[\(i)]", true) { $0.inputs[i] } }
        targets = try first.targets.indices.map { i in try stack("targets[\(i)]", false) { $0.targets[i] } }
        extras = try Dictionary(uniqueKeysWithValues: names.map { name in
            (name, try stack("extras[\"\(name)\"]", false) { $0.extras[name]! })
        })
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

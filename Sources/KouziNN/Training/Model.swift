import KouziData
import KouziTensor

/// A trainable network with the Keras workflow: `compile`, `fit`, `evaluate`, `predict`, `summary`.
///
/// Three ways to write one:
/// - ``Sequential`` for a stack of layers;
/// - a functional graph: `Model(inputs:outputs:)` over layers called on ``Input(shape:dtype:name:)``
///   placeholders, with several inputs and outputs, shared layers and skip connections;
/// - a subclass that overrides ``callAsFunction(_:)-(Tensor)`` (or ``callAsFunction(_:)-([Tensor])`` for several
///   inputs) and, for its own way of learning, ``trainStep(_:)`` and ``testStep(_:)``.
///
/// Layers and metrics stored in a subclass's properties are found automatically. A model keeps no state between
/// inference calls, so ``predict(_:batchSize:)`` may run from several threads at once.
open class Model: Layer, @unchecked Sendable {
    /// Optimiser set by ``compile(optimizer:loss:metrics:)``.
    public internal(set) var optimizer: Optimizer?
    /// What each output is trained on and scored by, set by `compile`; one entry per output.
    public internal(set) var objectives: [OutputObjective] = []
    /// Shape of one sample of the (first) input, without the batch dimension, once known.
    public var inputShape: [Int]?
    /// Names of the output classes, stored in model files.
    public var classLabels: [String]?
    /// Free-form notes stored in model files.
    public var metadata: [String: String] = [:]
    /// Set by callbacks (e.g. early stopping) to end ``fit`` after the current epoch.
    public var stopTraining = false
    /// The graph of a functional model.
    var graph: LayerGraph?
    /// The name given to a functional model.
    var graphName: String?
    /// Running means of the loss (and of each output's loss), reset every epoch.
    let lossTrackers = LossTrackers()
    /// The trainable parameters while `fit` runs (collected once, not at every step).
    var parametersInTraining: [Parameter]?

    public init(inputShape: [Int]? = nil) { self.inputShape = inputShape }

    /// The loss of the first output (the model's loss for a model with one output).
    public var loss: Loss? { objectives.first?.loss }
    /// The metrics of the first output.
    public var metrics: [any Metric] { objectives.first?.metrics ?? [] }

    /// The forward pass of a model with one input and one output. Subclasses override it (or the list form).
    open func callAsFunction(_ input: Tensor) throws -> Tensor {
        if let graph {
            guard graph.outputs.count == 1 else {
                throw NNError.invalidArgument("\(name) has \(graph.outputs.count) outputs: call it on a list of inputs to get them all")
            }
            return try graph.run([input])[0]
        }
        throw NNError.invalidArgument("\(type(of: self)) must override callAsFunction(_:)")
    }

    /// The forward pass on one tensor per input, giving one tensor per output. Models with several inputs or
    /// outputs override this form; the default runs the graph, or passes a single input to the one-tensor form.
    open func callAsFunction(_ inputs: [Tensor]) throws -> [Tensor] {
        if let graph { return try graph.run(inputs) }
        guard inputs.count == 1 else {
            throw NNError.invalidArgument("\(name) takes one input, got \(inputs.count): override callAsFunction(_ inputs: [Tensor]) for several")
        }
        return [try self(inputs[0])]
    }

    /// One step of training on a batch; the default is ``compiledTrainStep(_:)``: forward pass, compiled loss,
    /// backward pass, one optimiser update, metrics.
    ///
    /// Override it for another way of learning — several optimisers (a GAN), extra inputs from the batch's
    /// ``Batch/extras`` (a teacher's outputs, decoder inputs) or metrics of your own — and `fit` still drives it
    /// with callbacks, the progress bar and checkpoints. Return the running values to show (the last step's values
    /// become the epoch's logs); metrics stored in the model's properties are reset at every epoch. Draw random
    /// numbers from ``stepContext`` so a resumed run repeats an uninterrupted one, and list every optimiser in
    /// ``optimizers`` so checkpoints keep their state.
    open func trainStep(_ batch: Batch) throws -> [String: Float] { try compiledTrainStep(batch) }

    /// One step of evaluation on a batch; the default is ``compiledTestStep(_:)``. Override it together with
    /// ``trainStep(_:)`` when the model learns in its own way.
    open func testStep(_ batch: Batch) throws -> [String: Float] { try compiledTestStep(batch) }

    /// The outputs for a batch's inputs, in inference mode.
    open func predictStep(_ batch: Batch) throws -> [Tensor] {
        try withoutGrad { try withLearningPhase(training: false) { try self(batch.inputs) } }
    }

    /// Applies the model to a batch with a padding mask (a model used as a layer of a sequence model).
    open func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        (try self(input), mask)
    }

    open var isBuilt: Bool { true }
    open func build(inputShape: [Int]) throws {}
    open var name: String { graph != nil ? graphName ?? "Functional" : String(describing: type(of: self)) }

    /// The parameters: those of the graph's layers under the layers' names for a functional model, else those of
    /// the layers stored in properties.
    open var namedParameters: [(name: String, parameter: Parameter)] {
        guard let graph else { return reflectedParameters(of: self) }
        return graph.layers.flatMap { entry in entry.layer.namedParameters.map { (entry.name + "." + $0.name, $0.parameter) } }
    }

    /// The optimisers whose state checkpoints keep, by name: the compiled one; a model with its own training step
    /// and several optimisers lists them all.
    open var optimizers: [String: Optimizer] { optimizer.map { ["optimizer": $0] } ?? [:] }

    /// Loads any model saved with ``save(to:)``: architecture, weights, compile settings, labels and metadata.
    ///
    /// - Throws: ``NNError/invalidModelFile(path:reason:)`` naming what is missing, corrupt or inconsistent (an
    ///   unknown layer type names the layer; a subclass whose code is not registered names its class).
    open class func load(from path: String) throws -> Model { try read(from: path) }

    /// Builds lazily initialised layers by running one sample through the network.
    ///
    /// A dimension of ``inputShape`` given as -1 is free (a sequence length, say); the others must
    /// match `sampleShape`.
    public func ensureBuilt(sampleShape: [Int]) throws {
        try ensureBuilt(sampleShapes: [sampleShape])
    }

    /// Builds lazily initialised layers from one sample shape per input (without the batch dimension).
    public func ensureBuilt(sampleShapes: [[Int]]) throws {
        if let graph {
            for (input, shape) in zip(graph.inputs, sampleShapes) where !Shape.compatible(input.shape, [-1] + shape) {
                throw NNError.invalidInput(layer: "input '\(input.name)'", expected: "[batch] + \(Array(input.shape.dropFirst()))",
                                           got: [-1] + shape)
            }
            return
        }
        guard let sampleShape = sampleShapes.first else { return }
        if inputShape == nil { inputShape = sampleShape }
        guard let inputShape else { return }
        guard Shape.compatible(inputShape, sampleShape) else {
            throw NNError.invalidInput(layer: name, expected: "[batch] + \(inputShape) (declare a free dimension as -1 in inputShape)",
                                       got: [-1] + sampleShape)
        }
        if !isBuilt {
            let probes = sampleShapes.enumerated().map { i, shape in
                Tensor.zeros([1] + (i == 0 ? zip(shape, inputShape).map { $0 >= 0 ? $0 : ($1 >= 0 ? $1 : 1) } : shape.map { Swift.max($0, 1) }))
            }
            _ = try withoutGrad { try withLearningPhase(training: false) { try self(probes) } }
        }
    }
}

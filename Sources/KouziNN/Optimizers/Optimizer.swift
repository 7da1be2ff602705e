import KouziTensor

/// Base class of the gradient-descent optimisers.
///
/// Each subclass implements PyTorch's documented update rule for one parameter
/// (``apply(step:parameter:gradient:count:state:)``); the base class handles gradient clipping,
/// per-parameter state and the step counter.
///
/// ```swift
/// let opt = Adam(learningRate: 1e-3)
/// model.zeroGrad()
/// try loss(model(x), y).backward()
/// opt.step(model)
/// ```
open class Optimizer: @unchecked Sendable {
    /// Learning rate of the next step (schedules change it between epochs or steps).
    public var learningRate: Float
    /// If set, gradients are rescaled so their global L2 norm is at most this value.
    public var clipNorm: Float?
    /// If set, each gradient element is clamped to `[-clipValue, clipValue]`.
    public var clipValue: Float?
    /// Number of steps taken.
    public private(set) var iterations = 0
    private var states: [ObjectIdentifier: (Parameter, OptimizerState)] = [:]

    public init(learningRate: Float, clipNorm: Float? = nil, clipValue: Float? = nil) {
        self.learningRate = learningRate
        self.clipNorm = clipNorm
        self.clipValue = clipValue
    }

    /// Name used in specs and model files.
    open var name: String { "optimizer" }

    /// Hyper-parameters (for saving).
    open var options: [String: Double] { ["learning_rate": Double(learningRate)] }

    /// Number of state buffers per parameter (momentum, second moment …).
    open var stateBufferCount: Int { 0 }

    /// Updates one parameter in place.
    /// - Parameters:
    ///   - step: 1-based count of steps taken for this parameter.
    ///   - state: buffers of `count` floats each, zero on the first step.
    open func apply(step: Int, parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                    count: Int, state: OptimizerState) {}

    /// Updates the trainable parameters of `layer` from their gradients.
    public func step(_ layer: any Layer) { step(layer.trainableParameters) }

    /// Updates `parameters` from their gradients; parameters without a gradient are left alone.
    public func step(_ parameters: [Parameter]) {
        iterations += 1
        let live = parameters.compactMap { p -> (Parameter, Tensor)? in
            guard p.trainable, p.value.count > 0, let g = p.grad else { return nil }
            return (p, g)
        }
        var scale: Float = 1
        if let clipNorm {
            var total: Double = 0
            for (_, g) in live { g.withUnsafeFloats { b in for v in b { total += Double(v) * Double(v) } } }
            let norm = Float(total.squareRoot())
            if norm > clipNorm { scale = clipNorm / (norm + 1e-6) }
        }
        for (p, g) in live {
            let key = ObjectIdentifier(p)
            let state: OptimizerState
            if let s = states[key], s.1.count == p.value.count {
                state = s.1
            } else {
                state = OptimizerState(buffers: stateBufferCount, count: p.value.count)
                states[key] = (p, state)
            }
            state.step += 1
            var grad = g
            if scale != 1 || clipValue != nil {
                let limit = clipValue ?? .infinity
                grad.withUnsafeMutableFloats { b in
                    for i in b.indices { b[i] = Swift.min(Swift.max(b[i] * scale, -limit), limit) }
                }
            }
            let n = p.value.count
            grad.withUnsafeFloats { gb in
                p.update { pb in
                    let chunks = CPUBackend.chunks(n)
                    let pp = pb.baseAddress!, gp = gb.baseAddress!
                    // Elementwise rules: large parameters are updated in independent chunks in parallel.
                    CPUBackend.parallel(chunks.count) { c in
                        let r = chunks[c]
                        apply(step: state.step, parameter: pp + r.lowerBound, gradient: gp + r.lowerBound,
                              count: r.count, state: state.offset(by: r.lowerBound))
                    }
                }
            }
        }
    }

    /// Clears the gradients of `layer`'s parameters.
    public func zeroGrad(_ layer: any Layer) { layer.zeroGrad() }

    /// Forgets all per-parameter state (momentum, moments) and the step count.
    public func reset() { states = [:]; iterations = 0 }

    /// The optimiser's state for a checkpoint: one `[buffers, count]` tensor per parameter that has state
    /// (named like the parameter) and, in the metadata, the step counts.
    public func stateSnapshot(_ named: [(name: String, parameter: Parameter)]) -> (tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        var tensors: [(name: String, tensor: Tensor)] = []
        var metadata = ["optimizer": name, "iterations": String(iterations)]
        for (key, p) in named {
            guard let (_, state) = states[ObjectIdentifier(p)], stateBufferCount > 0 else { continue }
            let values = Array(UnsafeBufferPointer(start: state[0], count: stateBufferCount * state.count))
            tensors.append((key, Tensor(shape: [stateBufferCount, state.count], scalars: values)))
            metadata["step." + key] = String(state.step)
        }
        return (tensors, metadata)
    }

    /// Restores a ``stateSnapshot(_:)`` onto the parameters of the same names.
    /// - Throws: ``NNError/invalidArgument(_:)`` when the snapshot belongs to another optimiser or its buffers do
    ///   not fit the parameters; the optimiser is left as it was.
    public func restoreState(_ tensors: [String: Tensor], metadata: [String: String],
                             _ named: [(name: String, parameter: Parameter)]) throws {
        guard metadata["optimizer"] == name, let count = metadata["iterations"].flatMap(Int.init) else {
            throw NNError.invalidArgument("the optimiser state is for '\(metadata["optimizer"] ?? "?")', not '\(name)'")
        }
        var restored: [ObjectIdentifier: (Parameter, OptimizerState)] = [:]
        for (key, p) in named {
            guard let t = tensors[key] else { continue }
            guard t.shape == [stateBufferCount, p.value.count], let step = metadata["step." + key].flatMap(Int.init) else {
                throw NNError.invalidArgument("optimiser state '\(key)' has shape \(t.shape), the parameter needs \([stateBufferCount, p.value.count])")
            }
            let state = OptimizerState(buffers: stateBufferCount, count: p.value.count)
            state.step = step
            t.withUnsafeFloats { b in state[0].update(from: b.baseAddress!, count: b.count) }
            restored[ObjectIdentifier(p)] = (p, state)
        }
        states = restored
        iterations = count
    }
}

/// Per-parameter optimiser buffers.
public final class OptimizerState: @unchecked Sendable {
    /// Steps taken for this parameter.
    public internal(set) var step = 0
    /// Element count of each buffer.
    public let count: Int
    private let storage: UnsafeMutablePointer<Float>
    private let bufferCount: Int

    init(buffers: Int, count: Int) {
        self.count = count
        self.bufferCount = buffers
        storage = .allocate(capacity: Swift.max(buffers * count, 1))
        storage.initialize(repeating: 0, count: Swift.max(buffers * count, 1))
    }

    deinit { if owner == nil { storage.deallocate() } }

    /// Offset applied to every buffer (for chunked updates).
    private var base = 0
    private var owner: OptimizerState?

    /// Buffer `i` (zero-initialised).
    public subscript(i: Int) -> UnsafeMutablePointer<Float> {
        precondition(i < bufferCount)
        return storage + i * count + base
    }

    /// A view of the same buffers starting at element `offset`.
    func offset(by offset: Int) -> OptimizerState {
        if offset == 0 { return self }
        return OptimizerState(viewing: self, offset: offset)
    }

    private init(viewing other: OptimizerState, offset: Int) {
        count = other.count
        bufferCount = other.bufferCount
        storage = other.storage
        base = other.base + offset
        owner = other
        step = other.step
    }
}

extension Optimizer {
    /// Builds an optimiser from a spec name and options (`learning_rate`, `momentum` …).
    public static func named(_ name: String, options: [String: Double] = [:]) throws -> Optimizer {
        func f(_ k: String, _ d: Float) -> Float { options[k].map(Float.init) ?? d }
        let common: Set<String> = ["learning_rate", "lr", "clip_norm", "clip_value", "weight_decay"]
        let specific: [String: Set<String>] = [
            "sgd": ["momentum", "nesterov", "dampening"], "momentum": ["momentum"], "nesterov": ["momentum"],
            "adam": ["beta1", "beta2", "epsilon"], "adamw": ["beta1", "beta2", "epsilon"],
            "rmsprop": ["alpha", "epsilon", "momentum", "centered"],
            "adagrad": ["lr_decay", "epsilon", "initial_accumulator_value"],
        ]
        if let allowed = specific[name.lowercased()],
           let unknown = options.keys.sorted().first(where: { !common.contains($0) && !allowed.contains($0) }) {
            throw NNError.invalidConfig("optimizer '\(name)': unknown option '\(unknown)' (allowed: \(common.union(allowed).sorted().joined(separator: ", ")))")
        }
        let lr = options["learning_rate"] ?? options["lr"]
        let clipNorm = options["clip_norm"].map(Float.init), clipValue = options["clip_value"].map(Float.init)
        let opt: Optimizer
        switch name.lowercased() {
        case "sgd":
            opt = SGD(learningRate: lr.map(Float.init) ?? 0.01, momentum: f("momentum", 0), nesterov: f("nesterov", 0) != 0,
                      dampening: f("dampening", 0), weightDecay: f("weight_decay", 0))
        case "momentum":
            opt = SGD(learningRate: lr.map(Float.init) ?? 0.01, momentum: f("momentum", 0.9), weightDecay: f("weight_decay", 0))
        case "nesterov":
            opt = SGD(learningRate: lr.map(Float.init) ?? 0.01, momentum: f("momentum", 0.9), nesterov: true, weightDecay: f("weight_decay", 0))
        case "adam":
            opt = Adam(learningRate: lr.map(Float.init) ?? 1e-3, beta1: f("beta1", 0.9), beta2: f("beta2", 0.999),
                       epsilon: f("epsilon", 1e-8), weightDecay: f("weight_decay", 0))
        case "adamw":
            opt = AdamW(learningRate: lr.map(Float.init) ?? 1e-3, beta1: f("beta1", 0.9), beta2: f("beta2", 0.999),
                        epsilon: f("epsilon", 1e-8), weightDecay: f("weight_decay", 0.01))
        case "rmsprop":
            opt = RMSprop(learningRate: lr.map(Float.init) ?? 0.01, alpha: f("alpha", 0.99), epsilon: f("epsilon", 1e-8),
                          momentum: f("momentum", 0), centered: f("centered", 0) != 0, weightDecay: f("weight_decay", 0))
        case "adagrad":
            opt = AdaGrad(learningRate: lr.map(Float.init) ?? 0.01, learningRateDecay: f("lr_decay", 0),
                          epsilon: f("epsilon", 1e-10), initialAccumulator: f("initial_accumulator_value", 0),
                          weightDecay: f("weight_decay", 0))
        default:
            throw NNError.unknownName(kind: "optimizer", name: name,
                                      known: ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"])
        }
        opt.clipNorm = clipNorm
        opt.clipValue = clipValue
        return opt
    }
}

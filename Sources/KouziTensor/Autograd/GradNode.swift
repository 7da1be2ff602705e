/// A node of the dynamic autograd graph.
///
/// Leaves belong to tensors created with `requiresGrad = true` and keep the accumulated gradient.
/// Interior nodes belong to operation results and hold the rule that maps the output gradient to
/// the gradients of the inputs.
public final class GradNode: @unchecked Sendable {
    /// Inputs whose gradients the rule produces, in the order of the rule's results.
    private(set) var inputs: [GradNode?]
    /// The backward rule: output gradient → one gradient (or nil) per input.
    private(set) var rule: ((Tensor) -> [Tensor?])?
    /// Whether this node belongs to a user-created tensor.
    let isLeaf: Bool
    /// Set once a backward pass has freed this node's saved tensors.
    private(set) var released = false
    /// Name of the operation (for debugging and error messages).
    let op: String
    /// Accumulated gradient of a leaf.
    var grad: Tensor?

    /// A leaf.
    init() {
        self.inputs = []
        self.rule = nil
        self.op = "leaf"
        self.isLeaf = true
    }

    /// An interior node.
    init(op: String, inputs: [GradNode?], rule: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.rule = rule
        self.isLeaf = false
    }

    /// Drops the saved tensors and the links to inputs (after a backward pass).
    func release() {
        rule = nil
        inputs = []
        released = true
    }
}

extension Tensor {
    /// Whether gradients flow to this tensor. Setting it to `true` makes the tensor a leaf of the graph.
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue {
                precondition(dtype == .float32, "only float32 tensors can require gradients")
                if node == nil || !(node!.isLeaf) { node = GradNode() }
            } else {
                node = nil
            }
        }
    }

    /// The gradient accumulated by ``backward(_:)`` for a leaf; nil before any backward pass.
    public var grad: Tensor? {
        get { node?.grad }
        nonmutating set { node?.grad = newValue }
    }

    /// Whether this tensor is a leaf (created by the user, not by an operation).
    public var isLeaf: Bool { node?.isLeaf ?? true }

    /// Clears the accumulated gradient.
    public func zeroGrad() { node?.grad = nil }

    /// The same values cut off from the graph.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// Records an operation result: attaches a graph node when grad mode is on and an input needs it.
    @usableFromInline
    internal static func record(_ result: Tensor, op: String, inputs: [Tensor],
                                rule: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.enabled else { return result }
        var any = false
        for input in inputs where input.node != nil { any = true; break }
        guard any else { return result }
        var out = result
        out.node = GradNode(op: op, inputs: inputs.map(\.node), rule: rule)
        return out
    }

    /// Back-propagates from this tensor, accumulating gradients into every leaf that requires them.
    ///
    /// Like PyTorch, the pass frees the graph's saved tensors as it goes (so optimisers can update
    /// weights in place right after); pass `retainGraph: true` to back-propagate through it again.
    ///
    /// - Parameter gradient: the gradient of the final objective with respect to this tensor;
    ///   defaults to ones (so for a scalar loss, d loss / d loss = 1).
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        propagate(gradient, retainGraph: retainGraph) { leaf, g in leaf.grad = leaf.grad.map { $0 + g } ?? g }
    }

    /// The gradients of this tensor with respect to `leaves` (nil for a leaf it does not depend on), without
    /// accumulating anything into any leaf: the weights a forward pass read keep their gradients untouched, so
    /// several threads may take input gradients through one model at once. The graph is freed as by ``backward(_:retainGraph:)``.
    ///
    /// - Parameter gradient: the gradient of the final objective with respect to this tensor; defaults to ones.
    public func gradients(wrt leaves: [Tensor], seed gradient: Tensor? = nil) -> [Tensor?] {
        var wanted: [ObjectIdentifier: Tensor] = [:]
        let keys = leaves.map { $0.node.map(ObjectIdentifier.init) }
        let keep = Set(keys.compactMap { $0 })
        propagate(gradient, retainGraph: false) { leaf, g in
            let key = ObjectIdentifier(leaf)
            guard keep.contains(key) else { return }
            wanted[key] = wanted[key].map { $0 + g } ?? g
        }
        return keys.map { $0.flatMap { wanted[$0] } }
    }

    /// The backward pass from this tensor: `reachLeaf` receives each leaf's gradient.
    private func propagate(_ gradient: Tensor?, retainGraph: Bool, reachLeaf: (GradNode, Tensor) -> Void) {
        guard let root = node else {
            preconditionFailure("backward() on a tensor that does not require gradients")
        }
        precondition(!root.released, "backward() through a graph that was already freed: pass retainGraph: true to the first call")
        let seed = gradient ?? Tensor.ones(shape)
        precondition(seed.shape == shape, "backward gradient shape \(seed.shape) does not match \(shape)")
        // Topological order by iterative depth-first search.
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Bool)] = [(root, false)]
        while let (n, expanded) = stack.popLast() {
            if expanded { order.append(n); continue }
            if !visited.insert(ObjectIdentifier(n)).inserted { continue }
            stack.append((n, true))
            for case let input? in n.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached()]
        withoutGrad {
            for n in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(n)) else { continue }
                if n.isLeaf {
                    reachLeaf(n, g)
                    continue
                }
                guard let rule = n.rule else {
                    preconditionFailure("backward() through a graph that was already freed: pass retainGraph: true to the first call")
                }
                let inputGrads = rule(g)
                let inputs = n.inputs
                if !retainGraph { n.release() }
                for (input, ig) in zip(inputs, inputGrads) {
                    guard let input, let ig else { continue }
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] { grads[key] = existing + ig } else { grads[key] = ig }
                }
            }
        }
    }
}

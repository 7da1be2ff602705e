/// An N-dimensional array with value semantics and reverse-mode automatic differentiation.
///
/// Elements are stored contiguously in row-major order. Copies share storage until one of them is
/// written (copy-on-write), so passing tensors around is cheap and mutation never surprises.
///
/// ```swift
/// var w = Tensor.randomNormal([3, 2], seed: 1)
/// w.requiresGrad = true
/// let loss = (Tensor.ones([4, 3]).matmul(w)).square().mean()
/// loss.backward()
/// print(w.grad!)            // d loss / d w, shape [3, 2]
/// ```
///
/// Operations whose arguments are a programming error (mismatched shapes in `+`, an axis out of range)
/// stop with a message naming the shapes, like an out-of-range `Array` index. Entry points that take
/// outside data (layers, losses, readers, model files) validate first and throw precise errors.
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension.
    public internal(set) var shape: [Int]
    @usableFromInline internal var storage: TensorStorage
    /// The autograd node: a leaf for tensors that require gradients, an interior node for op results.
    @usableFromInline internal var node: GradNode?

    @usableFromInline
    internal init(shape: [Int], storage: TensorStorage, node: GradNode? = nil) {
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// Uninitialised tensor (internal: kernels fill it).
    @usableFromInline
    internal init(uninitializedShape shape: [Int], dtype: DType = .float32, device: Device = .cpu) {
        self.shape = shape
        self.storage = device.backend.allocate(count: shape.reduce(1, *), dtype: dtype)
        self.node = nil
    }

    /// A float tensor with the given shape and elements in row-major order.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`. Use ``init(validatingShape:scalars:)``
    ///   for data from outside the program.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(scalars.count == shape.reduce(1, *),
                     "cannot fit \(scalars.count) elements into shape \(shape)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.floats.update(from: base, count: src.count) }
        }
    }

    /// A tensor of `T` (Float, Int32 or Int64) with the given shape and elements.
    public init<T: TensorScalar>(shape: [Int], values: [T]) {
        precondition(values.count == shape.reduce(1, *), "cannot fit \(values.count) elements into shape \(shape)")
        self.init(uninitializedShape: shape, dtype: T.dtype)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.pointer(T.self).update(from: base, count: src.count) }
        }
    }

    /// A float tensor from outside data; throws if the element count does not fit the shape.
    public init(validatingShape shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), scalars.count == shape.reduce(1, *) else {
            throw TensorError.countMismatch(shape: shape, count: scalars.count)
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// A 1-D float tensor.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// A 2-D float tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "rows of unequal length")
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A 0-D (scalar) float tensor.
    public init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    // MARK: Properties

    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Element type.
    @inlinable public var dtype: DType { storage.dtype }
    /// Device holding the elements.
    @inlinable public var device: Device { storage.device }

    /// The elements as `Float`s, converting integer dtypes.
    public var scalars: [Float] {
        switch dtype {
        case .float32: return Array(UnsafeBufferPointer(start: storage.floats, count: count))
        case .int32: return UnsafeBufferPointer(start: storage.pointer(Int32.self), count: count).map { Float($0) }
        case .int64: return UnsafeBufferPointer(start: storage.pointer(Int64.self), count: count).map { Float($0) }
        }
    }

    /// The elements as `Int`s (floats are truncated toward zero).
    public var intScalars: [Int] {
        switch dtype {
        case .float32: return UnsafeBufferPointer(start: storage.floats, count: count).map { Int($0) }
        case .int32: return UnsafeBufferPointer(start: storage.pointer(Int32.self), count: count).map { Int($0) }
        case .int64: return UnsafeBufferPointer(start: storage.pointer(Int64.self), count: count).map { Int($0) }
        }
    }

    /// The single element of a tensor with one element.
    public var item: Float {
        precondition(count == 1, "item needs a tensor with one element, got shape \(shape)")
        return scalars[0]
    }

    /// Element at a multi-dimensional index, as Float.
    public subscript(index indices: Int...) -> Float {
        precondition(indices.count == rank, "index \(indices) does not match rank \(rank)")
        var offset = 0
        for (d, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[d], "index \(i) out of range for dimension \(d) of size \(shape[d])")
            offset = offset * shape[d] + i
        }
        switch dtype {
        case .float32: return storage.floats[offset]
        case .int32: return Float(storage.pointer(Int32.self)[offset])
        case .int64: return Float(storage.pointer(Int64.self)[offset])
        }
    }

    // MARK: Raw access

    /// Calls `body` with the float elements (read-only).
    @inlinable
    public func withUnsafeFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(dtype == .float32, "expected a float32 tensor, got \(dtype)")
        return try body(UnsafeBufferPointer(start: storage.floats, count: count))
    }

    /// Calls `body` with the elements of `T` (read-only).
    @inlinable
    public func withUnsafeElements<T: TensorScalar, R>(_: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        precondition(dtype == T.dtype, "expected a \(T.dtype) tensor, got \(dtype)")
        return try body(UnsafeBufferPointer(start: storage.pointer(T.self), count: count))
    }

    /// Calls `body` with writable float elements, copying shared storage first (copy-on-write).
    ///
    /// Writing does not record an autograd operation: use it for optimiser updates and kernels.
    @inlinable
    public mutating func withUnsafeMutableFloats<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(dtype == .float32, "expected a float32 tensor, got \(dtype)")
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.floats, count: count))
    }

    /// A copy with its own storage, cut off from the graph (for snapshots that must not change).
    public func deepCopy() -> Tensor { Tensor(shape: shape, storage: storage.copy()) }

    /// Whether two tensors share the same storage buffer.
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = scalars
        func fmt(_ v: Float) -> String {
            dtype == .float32 ? String(format4: v) : String(Int(v))
        }
        func render(_ dim: Int, _ offset: Int) -> String {
            if dim == rank { return fmt(values[offset]) }
            let stride = shape[(dim + 1)...].reduce(1, *)
            let n = shape[dim]
            let items: [String]
            if n > 8 {
                items = (0..<3).map { render(dim + 1, offset + $0 * stride) } + ["…"]
                    + ((n - 3)..<n).map { render(dim + 1, offset + $0 * stride) }
            } else {
                items = (0..<n).map { render(dim + 1, offset + $0 * stride) }
            }
            return "[" + items.joined(separator: dim == rank - 1 ? ", " : ",\n ") + "]"
        }
        let grad = requiresGrad ? ", requiresGrad" : ""
        return "Tensor(shape: \(shape), dtype: \(dtype)\(grad))\n" + render(0, 0)
    }
}

extension String {
    /// Compact decimal rendering of a float (up to 4 significant decimals).
    init(format4 v: Float) {
        if v.isNaN { self = "nan"; return }
        if v.isInfinite { self = v > 0 ? "inf" : "-inf"; return }
        let r = (Double(v) * 10_000).rounded() / 10_000
        if r == r.rounded() && abs(r) < 1e15 { self = String(Int64(r)) + "." } else { self = String(r) }
    }
}

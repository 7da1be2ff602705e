import KouziNN
import KouziTensor

/// An embedding table whose vocabulary can grow while a model is served or trained: new ids get new
/// rows (uniform ±0.05, as Keras's default), existing rows keep their learned values.
///
/// Row 0 is padding: it starts at zero and receives no gradient. After a grow the optimiser's state for the table is rebuilt on its next step (its size changed).
public final class GrowableEmbedding: Layer {
    /// The current number of rows.
    public private(set) var rows: Int
    /// The width of each row.
    public let width: Int
    /// The table `[rows, width]`.
    @Param public var table: Tensor
    private var rng: RecRandom

    /// A table of `rows` × `width`; throws unless both are positive.
    public init(rows: Int, width: Int, seed: UInt64 = 0) throws(RecError) {
        try require(rows >= 1, "rows", rows, "needs ≥ 1")
        try require(width >= 1, "width", width, "needs ≥ 1")
        self.rows = rows
        self.width = width
        var generator = RecRandom(seed: seed)
        var values = [Float](repeating: 0, count: rows * width)
        for k in width..<values.count { values[k] = (generator.unit() - 0.5) * 0.1 }   // row 0 = padding, zero
        rng = generator
        table = Tensor(shape: [rows, width], scalars: values)
    }

    /// Grows the table to at least `newRows` rows, keeping existing rows.
    public func grow(to newRows: Int) {
        guard newRows > rows else { return }
        var values = table.scalars
        values.reserveCapacity(newRows * width)
        for _ in 0..<((newRows - rows) * width) { values.append((rng.unit() - 0.5) * 0.1) }
        $table.assign(Tensor(shape: [newRows, width], scalars: values))
        rows = newRows
    }

    /// Looks up ids (`[…]` int64) → `[…, width]`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        Tensor.embeddingLookup(table, ids: input, paddingIndex: 0)
    }
}

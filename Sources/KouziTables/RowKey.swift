import KouziBase
import KouziData

/// A row (or part of one) as a dictionary key, hashed once with FNV-1a over its cells' UTF-8 bytes.
///
/// Hashing a 785-cell row through `Hasher` costs one SipHash round per string; this precomputed hash
/// makes duplicate detection on MNIST-sized tables about twice as fast. Equality still compares the
/// cells, so collisions cost time, never correctness.
struct RowKey: Hashable {
    let cells: [String?]
    private let hash: UInt64

    init(_ cells: [String?]) {
        self.cells = cells
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for cell in cells {
            if let cell {
                var text = cell
                text.withUTF8 { bytes in
                    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
                }
                h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
            } else {
                h = (h ^ 0x1E) &* 0x0000_0100_0000_01B3
            }
        }
        hash = h
    }

    static func == (a: RowKey, b: RowKey) -> Bool { a.hash == b.hash && a.cells == b.cells }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

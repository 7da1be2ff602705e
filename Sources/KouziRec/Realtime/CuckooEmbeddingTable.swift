/// A collisionless embedding table keyed by 64-bit ids (after ByteDance's Monolith, Liu et al. 2022).
///
/// Ids are placed by cuckoo hashing in two slot arrays with independent hash functions; every id owns its
/// own row of `dimension` floats, so no two ids ever share a row (unlike the hashing trick). An insert
/// that kicks out an id moves it to its other slot; after `maxKicks` displacements, or above 50 % load,
/// the slot arrays double and everything is re-placed. Rows are allocated from a free list, so expiring
/// ids frees rows for new ones and the table grows only when needed.
///
/// Two admission and eviction policies from Monolith are built in:
/// - frequency filtering: an id gets a row only once it has been seen `admissionThreshold` times (counts
///   of not-yet-admitted ids are kept exactly);
/// - expiry: ``expire(olderThan:)`` drops ids whose last update is older than a timestamp.
///
/// - Complexity: lookup O(1) worst case (two probes); insert O(1) expected.
public struct CuckooEmbeddingTable: Sendable {
    /// The length of each embedding row.
    public let dimension: Int
    /// How many sightings an id needs before it gets a row (1 admits on first sight).
    public let admissionThreshold: Int
    /// The standard deviation of new rows (0: zeros).
    public let initStd: Float
    /// The most rows the table may hold (`Int.max`: unbounded).
    public let maxRows: Int

    private var keys1: [UInt64]
    private var rows1: [Int32]
    private var keys2: [UInt64]
    private var rows2: [Int32]
    private var storage: [Float] = []
    private var lastSeen: [Int64] = []
    private var rowKeys: [UInt64] = []
    private var freeRows: [Int32] = []
    private var pending: [UInt64: Int32] = [:]
    private var rng: RecRandom
    private let maxKicks = 64
    /// The number of ids that own a row.
    public private(set) var count = 0

    private static let empty = UInt64.max

    /// An empty table of `dimension`-long rows.
    ///
    /// - Throws: ``RecError/invalidParameter(name:value:reason:)`` unless dimension ≥ 1, threshold ≥ 1, maxRows ≥ 1.
    public init(dimension: Int, admissionThreshold: Int = 1, initStd: Float = 0.01, maxRows: Int = .max,
                initialSlots: Int = 1024, seed: UInt64 = 0) throws(RecError) {
        try require(dimension >= 1, "dimension", dimension, "needs ≥ 1")
        try require(admissionThreshold >= 1, "admissionThreshold", admissionThreshold, "needs ≥ 1")
        try require(maxRows >= 1, "maxRows", maxRows, "needs ≥ 1")
        try require(initStd >= 0, "initStd", initStd, "needs ≥ 0")
        self.dimension = dimension
        self.admissionThreshold = admissionThreshold
        self.initStd = initStd
        self.maxRows = maxRows
        let slots = max(16, initialSlots)
        keys1 = Array(repeating: Self.empty, count: slots); rows1 = Array(repeating: -1, count: slots)
        keys2 = keys1; rows2 = rows1
        rng = RecRandom(seed: seed)
    }

    @inline(__always) private static func mix(_ x: UInt64, _ salt: UInt64) -> UInt64 {
        var z = x ^ salt
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return z ^ (z >> 33)
    }
    @inline(__always) private func slot1(_ key: UInt64) -> Int { Int(Self.mix(key, 0x9E37_79B9_7F4A_7C15) % UInt64(keys1.count)) }
    @inline(__always) private func slot2(_ key: UInt64) -> Int { Int(Self.mix(key, 0xD1B5_4A32_D192_ED03) % UInt64(keys2.count)) }

    /// The row of `id`, or nil when it has none (never seen, filtered, or expired).
    public func row(of id: UInt64) -> Int? {
        let a = slot1(id)
        if keys1[a] == id && rows1[a] >= 0 { return Int(rows1[a]) }
        let b = slot2(id)
        if keys2[b] == id && rows2[b] >= 0 { return Int(rows2[b]) }
        return nil
    }

    /// The embedding of `id`, or nil when it has no row.
    public func embedding(of id: UInt64) -> [Float]? {
        guard let r = row(of: id) else { return nil }
        return Array(storage[(r * dimension)..<((r + 1) * dimension)])
    }

    /// Records a sighting of `id` at `timestamp` and returns its row, admitting it when it reaches the
    /// frequency threshold; nil while it is still filtered.
    ///
    /// - Throws: ``RecError/tableFull(capacity:)`` when `maxRows` rows are in use,
    ///   ``RecError/invalidParameter`` for the reserved id `UInt64.max`.
    public mutating func touch(_ id: UInt64, timestamp: Int64 = 0) throws(RecError) -> Int? {
        try require(id != Self.empty, "id", id, "UInt64.max is reserved")
        if let r = row(of: id) { lastSeen[r] = max(lastSeen[r], timestamp); return r }
        if admissionThreshold > 1 {
            let seen = (pending[id] ?? 0) + 1
            if seen < admissionThreshold { pending[id] = seen; return nil }
            pending[id] = nil
        }
        return try insert(id, timestamp: timestamp)
    }

    private mutating func insert(_ id: UInt64, timestamp: Int64) throws(RecError) -> Int {
        let row: Int32
        if let free = freeRows.popLast() {
            row = free
        } else {
            guard rowKeys.count < maxRows else { throw RecError.tableFull(capacity: maxRows) }
            row = Int32(rowKeys.count)
            rowKeys.append(0); lastSeen.append(0)
            storage.append(contentsOf: repeatElement(0, count: dimension))
        }
        let base = Int(row) * dimension
        for k in 0..<dimension { storage[base + k] = initStd > 0 ? rng.normal(std: initStd) : 0 }
        rowKeys[Int(row)] = id
        lastSeen[Int(row)] = timestamp
        if 2 * (count + 1) > keys1.count + keys2.count { rehash(slots: keys1.count * 2) }
        place(id, row)
        count += 1
        return Int(row)
    }

    /// Places (key, row) by cuckoo displacement, growing the slot arrays when a cycle is suspected.
    private mutating func place(_ key: UInt64, _ row: Int32) {
        var key = key, row = row
        while true {
            for _ in 0..<maxKicks {
                let a = slot1(key)
                if rows1[a] < 0 { keys1[a] = key; rows1[a] = row; return }
                swap(&keys1[a], &key); swap(&rows1[a], &row)
                let b = slot2(key)
                if rows2[b] < 0 { keys2[b] = key; rows2[b] = row; return }
                swap(&keys2[b], &key); swap(&rows2[b], &row)
            }
            rehash(slots: keys1.count * 2)
        }
    }

    private mutating func rehash(slots: Int) {
        let old = zip(keys1 + keys2, rows1 + rows2).filter { $0.1 >= 0 }
        keys1 = Array(repeating: Self.empty, count: slots); rows1 = Array(repeating: -1, count: slots)
        keys2 = keys1; rows2 = rows1
        for (k, r) in old { place(k, r) }
    }

    /// Removes `id` and frees its row; returns whether it had one.
    @discardableResult
    public mutating func remove(_ id: UInt64) -> Bool {
        let a = slot1(id)
        if keys1[a] == id && rows1[a] >= 0 { freeRows.append(rows1[a]); keys1[a] = Self.empty; rows1[a] = -1; count -= 1; return true }
        let b = slot2(id)
        if keys2[b] == id && rows2[b] >= 0 { freeRows.append(rows2[b]); keys2[b] = Self.empty; rows2[b] = -1; count -= 1; return true }
        return false
    }

    /// Drops every id whose last sighting is before `timestamp`; returns the expired ids.
    @discardableResult
    public mutating func expire(olderThan timestamp: Int64) -> [UInt64] {
        var gone: [UInt64] = []
        for (k, r) in zip(keys1 + keys2, rows1 + rows2) where r >= 0 && lastSeen[Int(r)] < timestamp { gone.append(k) }
        for k in gone { remove(k) }
        return gone
    }

    /// The ids that own rows.
    public var ids: [UInt64] { zip(keys1 + keys2, rows1 + rows2).filter { $0.1 >= 0 }.map(\.0) }

    /// Read-write access to the row storage (row r occupies `r·dimension ..< (r+1)·dimension`).
    public mutating func withRows<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }
}

/// FNV-1a 64-bit hash of a string id: the key under which outside ids enter a ``CuckooEmbeddingTable``.
public func stableID(_ s: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h == .max ? h - 1 : h
}

/// A two-way mapping between outside ids (strings such as `"196"`) and dense indices `0..<count`.
///
/// Indices are assigned in first-seen order and never change, so a model trained on one split keeps
/// working on another split that shares the map. Lookup is O(1) on average.
public struct IdMap: Sendable, Equatable {
    /// The outside ids, by index.
    public private(set) var ids: [String] = []
    private var lookup: [String: Int] = [:]

    /// An empty map.
    public init() {}

    /// A map over `ids` in the given order; duplicates keep their first index.
    public init<S: Sequence>(_ ids: S) where S.Element == String { for id in ids { _ = add(id) } }

    /// The number of ids.
    public var count: Int { ids.count }

    /// The index of `id`, adding it when new.
    @discardableResult
    public mutating func add(_ id: String) -> Int {
        if let index = lookup[id] { return index }
        lookup[id] = ids.count
        ids.append(id)
        return ids.count - 1
    }

    /// The index of `id`, or nil when it is unknown.
    public func index(of id: String) -> Int? { lookup[id] }

    /// The outside id at `index`.
    public subscript(index: Int) -> String { ids[index] }
}

import KouziBase

/// Typed access to a layer config with errors that name the layer and field.
public struct ConfigReader {
    public let layer: String
    public let fields: [String: JSONValue]

    public init(layer: String, fields: [String: JSONValue]) {
        self.layer = layer
        self.fields = fields
    }

    public func int(_ key: String) throws -> Int {
        guard let v = fields[key] else { throw NNError.invalidConfig("\(layer): missing field '\(key)'") }
        guard let i = v.intValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be an integer, got \(v)") }
        return i
    }

    public func int(_ key: String, default d: Int?) throws -> Int? {
        guard let v = fields[key], v != .null else { return d }
        guard let i = v.intValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be an integer, got \(v)") }
        return i
    }

    public func double(_ key: String, default d: Double) throws -> Double {
        guard let v = fields[key], v != .null else { return d }
        guard let x = v.doubleValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be a number, got \(v)") }
        return x
    }

    public func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = fields[key], v != .null else { return d }
        guard let b = v.boolValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be true or false, got \(v)") }
        return b
    }

    public func string(_ key: String, default d: String?) throws -> String? {
        guard let v = fields[key], v != .null else { return d }
        guard let s = v.stringValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be a string, got \(v)") }
        return s
    }

    public func ints(_ key: String) throws -> [Int]? {
        guard let v = fields[key], v != .null else { return nil }
        guard let a = v.arrayValue, let ints = Optional(a.compactMap(\.intValue)), ints.count == a.count else {
            throw NNError.invalidConfig("\(layer): field '\(key)' must be a list of integers, got \(v)")
        }
        return ints
    }

    /// Throws if the config has fields outside `allowed` (catches typos in specs).
    public func onlyKnown(_ allowed: Set<String>) throws {
        let extra = Set(fields.keys).subtracting(allowed).subtracting(["type", "name"])
        if let bad = extra.sorted().first {
            throw NNError.invalidConfig("\(layer): unknown field '\(bad)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

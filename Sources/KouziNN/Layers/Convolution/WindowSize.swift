import KouziTensor

/// A height × width pair for kernel sizes, strides, dilations, pool sizes and upsampling factors.
///
/// Write `3` for 3 × 3 or `[3, 5]` for 3 rows by 5 columns, as Keras accepts an int or a tuple.
public struct WindowSize: Sendable, Equatable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
                          CustomStringConvertible {
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int

    /// A size of `height` rows and `width` columns.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same size along both axes.
    public init(integerLiteral value: Int) { self.init(value, value) }

    /// `[n]` or `[height, width]`.
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 1 || elements.count == 2, "a window size has one or two values, got \(elements)")
        self.init(elements[0], elements.last!)
    }

    /// The pair as a tuple.
    public var pair: (Int, Int) { (height, width) }

    /// Whether both values are positive.
    public var isPositive: Bool { height > 0 && width > 0 }

    public var description: String { height == width ? "\(height)" : "\(height)×\(width)" }

    /// The JSON form: a number when square, else `[height, width]`.
    var json: JSONValue {
        height == width ? .number(Double(height)) : .array([.number(Double(height)), .number(Double(width))])
    }
}

extension ConfigReader {
    /// Reads a field holding an int or a list of one or two positive ints.
    func window(_ key: String, default d: WindowSize?) throws -> WindowSize? {
        guard let v = fields[key], v != .null else { return d }
        if let i = v.intValue, i > 0 { return WindowSize(i, i) }
        if let list = try? ints(key), (1...2).contains(list.count), list.allSatisfy({ $0 > 0 }) {
            return WindowSize(list[0], list.last!)
        }
        throw NNError.invalidConfig("\(layer): field '\(key)' must be a positive integer or a list of one or two, got \(v)")
    }

    /// Reads a positive int field.
    func positive(_ key: String, default d: Int?) throws -> Int? {
        guard let i = try int(key, default: d) else { return nil }
        guard i > 0 && i <= 1 << 20 else {
            throw NNError.invalidConfig("\(layer): field '\(key)' must be between 1 and \(1 << 20), got \(i)")
        }
        return i
    }

    /// Reads `"valid"`, `"same"` or a list of non-negative ints (explicit padding).
    func padding(_ key: String = "padding", sides: Set<Int>) throws -> ConvPadding {
        guard let v = fields[key], v != .null else { return .valid }
        if let s = v.stringValue {
            switch s.lowercased() {
            case "valid": return .valid
            case "same": return .same
            default: break
            }
        } else if let list = try? ints(key), sides.contains(list.count), list.allSatisfy({ $0 >= 0 }) {
            return .explicit(list)
        }
        throw NNError.invalidConfig("\(layer): field '\(key)' must be \"valid\", \"same\" or a list of "
            + "\(sides.sorted().map(String.init).joined(separator: " or ")) non-negative integers, got \(v)")
    }
}

extension ConvPadding {
    /// The JSON form written into layer configs.
    var json: JSONValue {
        switch self {
        case .valid: return .string("valid")
        case .same: return .string("same")
        case let .explicit(values): return .array(values.map { .number(Double($0)) })
        }
    }

    /// Whether an explicit list has a length the layer accepts.
    func isWellFormed(sides: Set<Int>) -> Bool {
        guard case let .explicit(v) = self else { return true }
        return sides.contains(v.count) && v.allSatisfy { $0 >= 0 }
    }
}


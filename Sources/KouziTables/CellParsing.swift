import KouziBase
import KouziData

/// Fast classification of raw cell text: missing markers, numbers and booleans.
///
/// Profiling a 70,000 × 785 table parses 55 million cells, so the common cases (short unsigned or signed
/// integers, cells that cannot be a missing marker) avoid hashing and `strtod`.
struct MissingMarkers: Sendable, Equatable {
    /// The markers (compared after trimming spaces and tabs).
    let markers: Set<String>
    /// `firstBytes[b]` is true when some marker starts with byte `b`.
    private let firstBytes: [Bool]

    init(_ markers: Set<String>) {
        self.markers = markers
        var first = [Bool](repeating: false, count: 256)
        for marker in markers { if let b = marker.utf8.first { first[Int(b)] = true } }
        firstBytes = first
    }

    /// Whether `text` (after trimming spaces and tabs) is one of the markers.
    func contains(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first else { return markers.contains("") }
        let last = utf8.last!
        let padded = first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        if !padded && !firstBytes[Int(first)] { return false }
        return markers.contains(padded ? text.trimmingSpaces() : text)
    }
}

/// A cell's text read as a number.
enum CellNumber {
    /// Parses `text` (spaces and tabs around it allowed) as a finite number, or returns nil.
    ///
    /// `isInteger` is true when the text is written as an integer (`"42"`, `"-7"`), not merely when the
    /// value is integral (`"42.0"` is not).
    static func parse(_ text: String) -> (value: Double, isInteger: Bool)? {
        if let fast = text.utf8.withContiguousStorageIfAvailable(parseInteger), let result = fast {
            return (Double(result), true)
        }
        let trimmed = text.trimmingSpaces()
        guard let first = trimmed.utf8.first else { return nil }
        // Reject what strtod accepts but a table should not: "inf", "nan", hex floats with letters first.
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= 0x30 && first <= 0x39) else { return nil }
        // Hexadecimal ("0x1A", "0x1p3") parses in Swift but is not how tables write numbers.
        guard !trimmed.utf8.contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }),
              let value = Double(trimmed), value.isFinite else { return nil }
        let isInteger = trimmed.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B }
        return (value, isInteger)
    }

    /// The value of `text` as a number, or nil.
    static func value(_ text: String) -> Double? { parse(text)?.value }

    /// An optionally signed decimal integer of at most 18 digits with no surrounding spaces.
    private static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = bytes.count
        guard n > 0, n <= 19 else { return nil }  // sign + 18 digits never overflows Int64
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
            guard n > 1 else { return nil }
        }
        guard n - i <= 18 else { return nil }
        var result: Int64 = 0
        while i < n {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            result = result &* 10 &+ Int64(d)
            i += 1
        }
        return negative ? -result : result
    }

    /// Text for a computed number: integral values without a fractional part (`3`), others as Swift
    /// prints them (`0.25`).
    static func format(_ value: Double) -> String { DataTable.categoryText(value) }
}

/// A cell's text read as a boolean.
enum CellBoolean {
    /// `true`/`false`, `yes`/`no`, `t`/`f`, `y`/`n` in any case (after trimming), or nil.
    static func parse(_ text: String) -> Bool? {
        let utf8 = text.utf8
        guard utf8.count <= 7 else { return nil }
        switch text.trimmingSpaces().lowercased() {
        case "true", "yes", "t", "y": return true
        case "false", "no", "f", "n": return false
        default: return nil
        }
    }

    /// Like ``parse(_:)`` but also accepting `1` and `0`, as a cast to boolean does.
    static func parseForCast(_ text: String) -> Bool? {
        if let value = parse(text) { return value }
        switch text.trimmingSpaces() {
        case "1": return true
        case "0": return false
        default: return nil
        }
    }
}

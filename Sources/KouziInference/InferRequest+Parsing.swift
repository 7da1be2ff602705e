import KouziBase
import Foundation
import KouziNN

/// Why an inference request body could not be read: not JSON, or JSON that is not a V2 request.
public struct InferRequestSyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// Whether the binary tensor data, not the JSON, is at fault.
    public var inBinaryData = false
    public var description: String { message }

    /// An error in the binary tensor data of a request.
    static func binary(_ message: String) -> InferRequestSyntaxError { InferRequestSyntaxError(message: message, inBinaryData: true) }
}

extension InferRequest {
    /// Reads a V2 inference request from its JSON bytes.
    ///
    /// A request is mostly numbers (784 of them for one 28×28 image), and `JSONDecoder` spends most of a small
    /// model's request time on them: generic containers, a `Double` decode call and a `strtod` per number. This
    /// reader scans the bytes once, turns decimal numbers of up to 19 digits with an exponent within ±22 into
    /// doubles exactly (one multiplication or division of two exactly represented values, so correctly rounded)
    /// and leaves only the rare longer ones to `strtod`. Unknown fields are ignored, as `JSONDecoder` does.
    public static func parse(_ body: UnsafeRawBufferPointer) throws(InferRequestSyntaxError) -> InferRequest {
        try parse(body, binaryFollows: false)
    }

    /// Reads the JSON of a request; when `binaryFollows`, inputs that declare `binary_data_size` come without data
    /// (``parse(_:jsonLength:)`` fills it in).
    static func parse(_ body: UnsafeRawBufferPointer, binaryFollows: Bool) throws(InferRequestSyntaxError) -> InferRequest {
        var reader = JSONBytesReader(body.bindMemory(to: UInt8.self))
        return try InferRequest(parsed: try reader.document(), binaryFollows: binaryFollows)
    }

    /// Reads a V2 inference request from its JSON bytes (see ``parse(_:)-(UnsafeRawBufferPointer)``).
    public static func parse(_ body: Data) throws(InferRequestSyntaxError) -> InferRequest {
        var result: Result<InferRequest, InferRequestSyntaxError>!
        body.withUnsafeBytes { raw in
            result = Result { () throws(InferRequestSyntaxError) -> InferRequest in try parse(raw) }
        }
        return try result.get()
    }

    /// A request from a parsed JSON document, with the path of whatever does not fit.
    init(parsed value: JSONValue, binaryFollows: Bool) throws(InferRequestSyntaxError) {
        func fail(_ message: String) -> InferRequestSyntaxError { InferRequestSyntaxError(message: message) }
        guard case let .object(top) = value else { throw fail("the body should be an object with 'inputs'") }
        func text(_ object: [String: JSONValue], _ key: String, _ path: String, required: Bool) throws(InferRequestSyntaxError) -> String? {
            guard let value = object[key], value != .null else {
                if required { throw fail("missing field '\(key)'\(path.isEmpty ? "" : " in \(path)")") }
                return nil
            }
            guard case let .string(s) = value else { throw fail("\(path.isEmpty ? "" : path + ".")\(key) should be a string") }
            return s
        }
        func readParameters(_ object: [String: JSONValue], _ path: String) throws(InferRequestSyntaxError) -> [String: JSONValue]? {
            guard let value = object["parameters"], value != .null else { return nil }
            guard case let .object(p) = value else { throw fail("\(path.isEmpty ? "" : path + ".")parameters should be an object") }
            return p
        }
        id = try text(top, "id", "", required: false)
        parameters = try readParameters(top, "")
        guard let list = top["inputs"], list != .null else { throw fail("missing field 'inputs'") }
        guard case let .array(items) = list else { throw fail("inputs should be an array") }
        var tensors: [InferTensor] = []
        tensors.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let path = "inputs[\(i)]"
            guard case let .object(fields) = item else { throw fail("\(path) should be an object") }
            let name = try text(fields, "name", path, required: true)!
            let datatype = try text(fields, "datatype", path, required: true)!
            guard let shapeValue = fields["shape"], shapeValue != .null else { throw fail("missing field 'shape' in \(path)") }
            guard case let .array(dims) = shapeValue else { throw fail("\(path).shape should be an array of integers") }
            var shape: [Int] = []
            shape.reserveCapacity(dims.count)
            for dim in dims {
                guard case let .number(n) = dim, n == n.rounded(), abs(n) < 9e15 else {
                    throw fail("\(path).shape should be an array of integers")
                }
                shape.append(Int(n))
            }
            let parameters = try readParameters(fields, path)
            let data = fields["data"] ?? .null
            if parameters?[BinaryTensorData.sizeParameter] != nil {
                guard binaryFollows else {
                    throw fail("\(path) declares binary_data_size but the request has no Inference-Header-Content-Length header")
                }
                guard data == .null else { throw fail("\(path) has both data and binary_data_size") }
            } else if data == .null {
                throw fail("missing field 'data' in \(path)")
            } else if case .array = data {} else {
                throw fail("\(path).data should be an array (flat or nested) of values")
            }
            tensors.append(InferTensor(name: name, shape: shape, datatype: datatype, data: data, parameters: parameters))
        }
        inputs = tensors
        if let wanted = top["outputs"], wanted != .null {
            guard case let .array(list) = wanted else { throw fail("outputs should be an array") }
            var outputs: [RequestedOutput] = []
            for (i, item) in list.enumerated() {
                guard case let .object(fields) = item else { throw fail("outputs[\(i)] should be an object") }
                outputs.append(RequestedOutput(name: try text(fields, "name", "outputs[\(i)]", required: true)!,
                                               parameters: try readParameters(fields, "outputs[\(i)]")))
            }
            self.outputs = outputs
        } else {
            outputs = nil
        }
    }
}

/// A strict JSON reader (RFC 8259) over bytes, producing `JSONValue`s.
struct JSONBytesReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    /// Arrays and objects nest at most this deep.
    static let maxDepth = 256

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func fail(_ what: String) -> InferRequestSyntaxError {
        InferRequestSyntaxError(message: "the body is not valid JSON: \(what) at byte \(at)")
    }

    mutating func document() throws(InferRequestSyntaxError) -> JSONValue {
        skipSpace()
        let value = try self.value(depth: 0)
        skipSpace()
        guard at == bytes.count else { throw fail("unexpected data after the value") }
        return value
    }

    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(InferRequestSyntaxError) -> JSONValue {
        guard at < bytes.count else { throw fail("unexpected end") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character '\(Character(UnicodeScalar(bytes[at])))'")
        }
    }

    mutating func literal(_ word: StaticString) throws(InferRequestSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { throw fail("unexpected end") }
        for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw fail("unknown literal") }
        at += count
    }

    mutating func array(depth: Int) throws(InferRequestSyntaxError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("arrays and objects nested deeper than \(Self.maxDepth)") }
        at += 1
        var items: [JSONValue] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end inside an array") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func object(depth: Int) throws(InferRequestSyntaxError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("arrays and objects nested deeper than \(Self.maxDepth)") }
        at += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try string()
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            at += 1
            skipSpace()
            members[key] = try value(depth: depth)
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end inside an object") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func string() throws(InferRequestSyntaxError) -> String {
        at += 1
        let start = at
        // The common case: no escapes.
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<at])
                at += 1
                guard let text = String(validating: slice, as: UTF8.self) else { throw fail("a string that is not UTF-8") }
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("a control character inside a string") }
            at += 1
        }
        var out = Array(bytes[start..<at])
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw fail("a string that is not UTF-8") }
                return text
            }
            if b < 0x20 { throw fail("a control character inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); at += 1; continue }
            at += 1
            guard at < bytes.count else { break }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                        throw fail("a lone surrogate in a \\u escape")
                    }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("a lone surrogate in a \\u escape")
                }
                out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
            default: throw fail("an unknown escape '\\\(Character(UnicodeScalar(e)))'")
            }
        }
        throw fail("unexpected end inside a string")
    }

    mutating func hex4() throws(InferRequestSyntaxError) -> UInt32 {
        guard at + 4 <= bytes.count else { throw fail("unexpected end inside a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[at]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            v = v << 4 | digit
            at += 1
        }
        return v
    }

    /// Exactly representable powers of ten.
    static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    mutating func number() throws(InferRequestSyntaxError) -> Double {
        let start = at
        var negative = false
        if bytes[at] == UInt8(ascii: "-") { negative = true; at += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, dropped = 0, exponent = 0
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard at < bytes.count, isDigit(bytes[at]) else { throw fail("a number without digits") }
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
            if at < bytes.count, isDigit(bytes[at]) { throw fail("a number with a leading zero") }
        } else {
            while at < bytes.count, isDigit(bytes[at]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[at] - UInt8(ascii: "0")); digits += 1 } else { dropped += 1 }
                at += 1
            }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard at < bytes.count, isDigit(bytes[at]) else { throw fail("a number with no digits after '.'") }
            while at < bytes.count, isDigit(bytes[at]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[at] - UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    dropped += 1
                }
                at += 1
            }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            var sign = 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") {
                if bytes[at] == UInt8(ascii: "-") { sign = -1 }
                at += 1
            }
            guard at < bytes.count, isDigit(bytes[at]) else { throw fail("a number with no digits in its exponent") }
            var e = 0
            while at < bytes.count, isDigit(bytes[at]) {
                if e < 100_000 { e = e * 10 + Int(bytes[at] - UInt8(ascii: "0")) }
                at += 1
            }
            exponent += sign * e
        }
        // Exact: the mantissa fits a double's 53 bits and the power of ten is exact, so one operation rounds once.
        if dropped == 0, mantissa < (1 << 53), abs(exponent) <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * Self.powers[exponent] : m / Self.powers[-exponent]
            return negative ? -v : v
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { throw fail("a number out of range") }
        return v
    }
}

import KouziBase
/// One record of CSV input: its fields and the line on which it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The field values, with quotes removed and `""` unescaped.
    public var fields: [String]
    /// The 1-based line of the record's first character.
    public var line: Int

    /// Creates a record.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// A streaming RFC 4180 tokenizer over UTF-8 bytes.
///
/// Handles quoted fields, `""` inside quotes, delimiters and line breaks inside quotes, and LF, CRLF or
/// CR line endings. A leading UTF-8 byte order mark is skipped; blank lines are skipped. A quote inside an
/// unquoted field is kept literally, as most readers do.
///
/// - Complexity: O(n) in the input size.
public struct CSVParser: Sendable {
    /// The field separator byte.
    public let delimiter: UInt8
    /// A name for the input in error messages.
    public var source: String

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Creates a parser.
    ///
    /// - Throws: ``CSVError/invalidDelimiter(_:)`` unless `delimiter` is one ASCII character other than a
    ///   quote, CR or LF.
    public init(delimiter: Character = ",", source: String = "<string>") throws {
        guard let ascii = delimiter.asciiValue, ascii != Self.quote, ascii != Self.lf, ascii != Self.cr else {
            throw CSVError.invalidDelimiter(String(delimiter))
        }
        self.delimiter = ascii
        self.source = source
    }

    /// Splits `bytes` into records.
    public func parse(_ bytes: [UInt8]) throws -> [CSVRecord] {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    /// Splits a string into records.
    public func parse(_ text: String) throws -> [CSVRecord] {
        try parse(Array(text.utf8))
    }

    private func parse(_ p: UnsafeBufferPointer<UInt8>) throws -> [CSVRecord] {
        try parsePrefix(p, isFinal: true, firstLine: 1, atStart: true).records
    }

    /// The complete records at the start of `p`, for input read piece by piece.
    ///
    /// With `isFinal` false, `p` may end inside a record: parsing stops before the first record whose
    /// end (its line break) is not in `p`, and `consumed` bytes are the records returned; the caller
    /// passes the rest again, followed by more input, with `firstLine` set to `nextLine`. With `isFinal`
    /// true, `p` is the rest of the input and every record is returned. A byte order mark is skipped when
    /// `atStart`.
    func parsePrefix(_ p: UnsafeBufferPointer<UInt8>, isFinal: Bool, firstLine: Int,
                     atStart: Bool) throws -> (records: [CSVRecord], consumed: Int, nextLine: Int) {
        let n = p.count
        var records: [CSVRecord] = []
        var fields: [String] = []
        var scratch: [UInt8] = []
        var line = firstLine
        var lineStart = 0
        var recordLine = firstLine
        var i = (atStart && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        var lastFieldQuoted = false
        if i == 3 { lineStart = 3 }
        var recordStart = i
        var unfinished: (records: [CSVRecord], consumed: Int, nextLine: Int) { (records, recordStart, recordLine) }

        func position(_ index: Int) -> Int {
            String(decoding: UnsafeBufferPointer(rebasing: p[lineStart..<index]), as: UTF8.self).count + 1
        }
        func decode(_ slice: Slice<UnsafeBufferPointer<UInt8>>, at index: Int) throws -> String {
            guard let text = validUTF8(UnsafeBufferPointer(rebasing: slice)) else {
                throw CSVError.invalidUTF8(source: source, line: line, column: position(index))
            }
            return text
        }
        func endRecord() throws {
            let blank = fields.count == 1 && fields[0].isEmpty && !lastFieldQuoted
            if !blank { records.append(CSVRecord(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
            if records.count & 4095 == 0 { try StopRequest.check() }
        }

        while i <= n {
            // At the start of a field.
            if i < n && p[i] == Self.quote {
                let openLine = line, openColumn = position(i)
                scratch.removeAll(keepingCapacity: true)
                i += 1
                while true {
                    guard i < n else {
                        if !isFinal { return unfinished }
                        throw CSVError.unterminatedQuote(source: source, line: openLine, column: openColumn)
                    }
                    let c = p[i]
                    if c == Self.quote {
                        if i + 1 == n && !isFinal { return unfinished }
                        if i + 1 < n && p[i + 1] == Self.quote { scratch.append(c); i += 2; continue }
                        i += 1
                        break
                    }
                    if c == Self.lf || (c == Self.cr && !(i + 1 < n && p[i + 1] == Self.lf)) {
                        line += 1
                        lineStart = i + 1
                    }
                    scratch.append(c)
                    i += 1
                }
                guard let text = scratch.withUnsafeBufferPointer(validUTF8) else {
                    throw CSVError.invalidUTF8(source: source, line: openLine, column: openColumn)
                }
                fields.append(text)
                lastFieldQuoted = true
                if i < n && p[i] != delimiter && p[i] != Self.lf && p[i] != Self.cr {
                    let end = min(n, i + 4)
                    let character = String(decoding: UnsafeBufferPointer(rebasing: p[i..<end]), as: UTF8.self).first
                    throw CSVError.unexpectedCharacterAfterQuote(
                        source: source, line: line, column: position(i), character: character.map { String($0) } ?? "?")
                }
            } else {
                var j = i
                while j < n && p[j] != delimiter && p[j] != Self.lf && p[j] != Self.cr { j += 1 }
                if j == n && !isFinal { return unfinished }
                fields.append(try decode(p[i..<j], at: i))
                lastFieldQuoted = false
                i = j
            }
            // After a field: a delimiter, a line break or the end.
            if i >= n {
                if !isFinal { return unfinished }
                try endRecord()
                break
            }
            let c = p[i]
            if c == delimiter {
                i += 1
                continue
            }
            if c == Self.cr && i + 1 == n && !isFinal { return unfinished }
            i += (c == Self.cr && i + 1 < n && p[i + 1] == Self.lf) ? 2 : 1
            try endRecord()
            line += 1
            lineStart = i
            recordLine = line
            recordStart = i
            if i == n { break }
        }
        return (records, n, line)
    }
}

/// Decodes bytes that must be valid UTF-8, or returns nil.
func validUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    loop: while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: break loop
        case .error: return nil
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

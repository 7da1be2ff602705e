/// Finds where one HTTP/1.1 response ends in bytes read from a socket: the status line, the headers, and a
/// body framed by `Content-Length`, by chunked transfer encoding, or (neither given) by the end of the stream.
enum HTTPResponseParser {
    /// What the bytes read so far hold.
    enum Outcome: Equatable {
        /// More bytes are needed.
        case incomplete
        /// One whole response of `length` bytes; `keepAlive` is false when the server closes the connection after it.
        case complete(status: Int, length: Int, keepAlive: Bool)
        /// The bytes are not an HTTP response.
        case invalid(String)
    }

    /// Parses the response at the start of `bytes`; `closed` says the server has closed the stream after them.
    static func parse(_ bytes: [UInt8], closed: Bool = false) -> Outcome {
        guard let headEnd = find(crlfcrlf, in: bytes, from: 0) else {
            return closed ? .invalid("the connection closed inside the response head") : .incomplete
        }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]), (100...999).contains(status) else {
            return .invalid("bad status line '\(lines[0])'")
        }
        var contentLength: Int?, chunked = false
        var keepAlive = statusParts[0] != "HTTP/1.0"
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .invalid("bad header line '\(line)'") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces().lowercased()
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0 else { return .invalid("bad Content-Length '\(value)'") }
                contentLength = length
            case "transfer-encoding": chunked = value.split(separator: ",").last?.trimmingSpaces() == "chunked"
            case "connection":
                if value.contains("close") { keepAlive = false } else if value.contains("keep-alive") { keepAlive = true }
            default: break
            }
        }
        let bodyStart = headEnd + 4
        if (100..<200).contains(status) || status == 204 || status == 304 {
            return .complete(status: status, length: bodyStart, keepAlive: keepAlive)
        }
        if chunked {
            switch chunkedEnd(bytes, from: bodyStart) {
            case .incomplete: return closed ? .invalid("the connection closed inside a chunked body") : .incomplete
            case let .invalid(reason): return .invalid(reason)
            case let .end(at): return .complete(status: status, length: at, keepAlive: keepAlive)
            }
        }
        if let contentLength {
            let end = bodyStart + contentLength
            if bytes.count >= end { return .complete(status: status, length: end, keepAlive: keepAlive) }
            return closed ? .invalid("the connection closed after \(bytes.count - bodyStart) of \(contentLength) body bytes") : .incomplete
        }
        return closed ? .complete(status: status, length: bytes.count, keepAlive: false) : .incomplete
    }

    private enum ChunkedOutcome { case incomplete, invalid(String), end(Int) }

    /// Walks the chunks from `start` to just past the empty line after the last (zero-size) chunk and its trailers.
    private static func chunkedEnd(_ bytes: [UInt8], from start: Int) -> ChunkedOutcome {
        var at = start
        while true {
            guard let lineEnd = find(crlf, in: bytes, from: at) else { return .incomplete }
            var size = 0, digits = 0
            for byte in bytes[at..<lineEnd] {
                if byte == UInt8(ascii: ";") { break }
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { continue }
                guard let digit = hexValue(byte) else { return .invalid("bad chunk size line") }
                guard size < 1 << 40 else { return .invalid("chunk size too large") }
                size = size << 4 | digit
                digits += 1
            }
            guard digits > 0 else { return .invalid("empty chunk size") }
            at = lineEnd + 2
            if size == 0 {
                // Trailer lines, then an empty line.
                while true {
                    guard let end = find(crlf, in: bytes, from: at) else { return .incomplete }
                    if end == at { return .end(end + 2) }
                    at = end + 2
                }
            }
            guard bytes.count >= at + size + 2 else { return .incomplete }
            guard bytes[at + size] == 13, bytes[at + size + 1] == 10 else { return .invalid("chunk not followed by CRLF") }
            at += size + 2
        }
    }

    private static let crlf: [UInt8] = [13, 10]
    private static let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    /// The first index at or after `from` where `needle` starts.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        var i = from
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == needle[0] {
                var j = 1
                while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}

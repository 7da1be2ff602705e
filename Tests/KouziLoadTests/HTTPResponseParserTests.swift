import Testing
@testable import KouziLoad

/// Framing of HTTP/1.1 responses: Content-Length, chunked bodies, interim answers and closed streams.
@Suite struct HTTPResponseParserTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func contentLengthBodyEndsAfterItsBytes() {
        let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\": 123}"
        #expect(HTTPResponseParser.parse(bytes(response)) == .complete(status: 200, length: response.utf8.count, keepAlive: true))
        // A following response in the same read is left for the next call.
        #expect(HTTPResponseParser.parse(bytes(response + "HTTP/1.1 20")) == .complete(status: 200, length: response.utf8.count, keepAlive: true))
    }

    @Test func everyPrefixIsIncomplete() {
        let response = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nbusy"
        let all = bytes(response)
        for cut in 0..<all.count { #expect(HTTPResponseParser.parse(Array(all[..<cut])) == .incomplete) }
        #expect(HTTPResponseParser.parse(all) == .complete(status: 503, length: all.count, keepAlive: true))
    }

    @Test func chunkedBodyEndsAfterTheLastChunkAndTrailers() {
        let plain = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1A;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n"
        #expect(HTTPResponseParser.parse(bytes(plain)) == .complete(status: 200, length: plain.utf8.count, keepAlive: true))
        let trailers = "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"
        #expect(HTTPResponseParser.parse(bytes(trailers)) == .complete(status: 200, length: trailers.utf8.count, keepAlive: true))
        let all = bytes(plain)
        for cut in 0..<all.count { #expect(HTTPResponseParser.parse(Array(all[..<cut])) == .incomplete) }
    }

    @Test func malformedChunksAreInvalid() {
        let badSize = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
        #expect(HTTPResponseParser.parse(bytes(badSize)) == .invalid("bad chunk size line"))
        let noCRLF = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n"
        #expect(HTTPResponseParser.parse(bytes(noCRLF)) == .invalid("chunk not followed by CRLF"))
    }

    /// Whole responses without a body to read, with whether the connection stays open after them.
    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 200, false),
        ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, false),
        ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 200, true),
        ("HTTP/1.1 100 Continue\r\n\r\n", 100, true),
        ("HTTP/1.1 204 No Content\r\n\r\n", 204, true),
    ])
    func connectionHeadersVersionAndStatusDecideTheEnd(response: String, status: Int, keepAlive: Bool) {
        #expect(HTTPResponseParser.parse(bytes(response)) == .complete(status: status, length: response.utf8.count, keepAlive: keepAlive))
    }

    @Test func bodiesWithoutFramingEndWithTheStream() {
        let unframed = "HTTP/1.1 200 OK\r\n\r\nsome text"
        #expect(HTTPResponseParser.parse(bytes(unframed)) == .incomplete)
        #expect(HTTPResponseParser.parse(bytes(unframed), closed: true) == .complete(status: 200, length: unframed.utf8.count, keepAlive: false))
        let cut = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
        #expect(HTTPResponseParser.parse(bytes(cut), closed: true) == .invalid("the connection closed after 3 of 10 body bytes"))
    }

    @Test func garbageIsInvalid() {
        #expect(HTTPResponseParser.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n")) == .invalid("bad status line 'SSH-2.0-OpenSSH'"))
        #expect(HTTPResponseParser.parse(bytes("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")) == .invalid("bad header line 'no colon'"))
        #expect(HTTPResponseParser.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")) == .invalid("bad Content-Length '-1'"))
        #expect(HTTPResponseParser.parse([], closed: true) == .invalid("the connection closed inside the response head"))
    }
}

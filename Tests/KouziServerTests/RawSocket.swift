import Foundation

/// A bare TCP connection to the test server, for requests a normal client cannot make: a body cut off halfway.
final class RawSocket: @unchecked Sendable {
    fileprivate let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestFailure("connect() failed") }
    }

    func send(_ data: Data) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw TestFailure("send() failed") }
                offset += sent
            }
        }
    }

    /// Starts an upload that declares `declared` bytes and sends only `sent` of them.
    static func partialUpload(port: Int, path: String, token: String, declared: Int, sent: Int) throws -> RawSocket {
        let socket = try RawSocket(port: port)
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: text/csv\r\nContent-Length: \(declared)\r\n\r\n"
        try socket.send(Data(head.utf8))
        var body = Data("a,b\n".utf8)
        while body.count < sent { body.append(contentsOf: Array("1,2\n".utf8)) }
        try socket.send(body.prefix(sent))
        return socket
    }

    func closeNow() {
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }
}

extension RawSocket {
    /// Reads until the peer closes the connection or `limit` seconds pass; what was read, and whether the peer closed.
    func readUntilClosed(limit: Double) -> (data: Data, closed: Bool) {
        var timeout = timeval(tv_sec: Int(limit), tv_usec: Int((limit - limit.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (result, true) }
            if count < 0 { return (result, errno == ECONNRESET) }
            result.append(contentsOf: buffer[0..<count])
        }
        return (result, false)
    }

    /// Reads until the peer closes the connection.
    func readAll() -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// One blocking HTTP/1.1 request with `Connection: close`; returns the status (0 when the server is gone).
    static func request(port: Int, method: String, path: String, token: String?, body: Data = Data(),
                        contentType: String = "application/json") -> (status: Int, body: Data) {
        guard let socket = try? RawSocket(port: port) else { return (0, Data()) }
        defer { close(socket.fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if !body.isEmpty { head += "Content-Type: \(contentType)\r\n" }
        head += "\r\n"
        guard (try? socket.send(Data(head.utf8) + body)) != nil else { return (0, Data()) }
        let response = socket.readAll()
        guard let split = response.range(of: Data("\r\n\r\n".utf8)),
              let statusLine = String(data: response[..<split.lowerBound], encoding: .utf8)?.split(separator: "\r\n").first,
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return (0, Data()) }
        return (status, Data(response[split.upperBound...]))
    }
}

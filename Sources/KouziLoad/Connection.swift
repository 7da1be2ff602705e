import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failure on the socket (connect, send, receive or framing), counted apart from HTTP error statuses.
struct SocketError: Error, CustomStringConvertible {
    var description: String
}

/// One blocking TCP connection with `TCP_NODELAY` that sends whole requests and reads whole responses
/// (HTTP/1.1 keep-alive; it reconnects when the server closes).
final class Connection {
    private let host: String
    private let port: Int
    private var fd: Int32 = -1
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    deinit { close() }

    /// Sends `request` (connecting first when needed) and returns the response's status.
    func exchange(_ request: [UInt8]) throws -> Int {
        if fd < 0 { try connect() }
        do {
            try send(request)
            return try receive()
        } catch {
            close()
            throw error
        }
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        pending.removeAll(keepingCapacity: true)
    }

    private func connect() throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let socket = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if socket >= 0 {
                if Glibc.connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    var timeout = timeval(tv_sec: 30, tv_usec: 0)
                    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    fd = socket
                    return
                }
                reason = String(cString: strerror(errno))
                _ = Glibc.close(socket)
            }
            entry = info.pointee.ai_next
        }
        throw SocketError(description: "cannot connect to \(host):\(port): \(reason)")
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        try bytes.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SocketError(description: "send: \(String(cString: strerror(errno)))")
                }
                sent += n
            }
        }
    }

    /// Reads until one whole response is buffered, drops it from the buffer and returns its status.
    private func receive() throws -> Int {
        var closed = false
        while true {
            if !pending.isEmpty || closed {
                switch HTTPResponseParser.parse(pending, closed: closed) {
                case let .complete(status, length, keepAlive):
                    if status < 200 {
                        // An interim answer (100 Continue): the real one follows.
                        pending.removeFirst(length)
                        continue
                    }
                    pending.removeFirst(length)
                    if !keepAlive { close() }
                    return status
                case let .invalid(reason): throw SocketError(description: reason)
                case .incomplete:
                    if closed { throw SocketError(description: "the connection closed before a response") }
                }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SocketError(description: "receive: \(String(cString: strerror(errno)))")
            }
            if n == 0 { closed = true } else { pending.append(contentsOf: buffer[0..<n]) }
        }
    }
}

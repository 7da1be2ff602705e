import Foundation
import Testing

/// Connections that make no progress are closed after the idle timeout, whichever part of a request they stall
/// in; a refused body is not read, and a response that ends the connection closes it at once.
@Suite struct ConnectionLimitTests {
    static let idle = 2.0

    func seconds(since start: Date) -> Double { Date().timeIntervalSince(start) }

    @Test func stalledConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let server = try await TestServer(.sqlite, extraArguments: ["--idle-timeout", String(Self.idle)])
        defer { server.shutdown() }
        let port = server.process.port
        // Nothing sent at all; the head of a request, one byte at a time; a body that stops.
        let silent = try RawSocket(port: port)
        let trickling = try RawSocket(port: port)
        let stalled = try RawSocket(port: port)
        let start = Date()
        try stalled.send(Data("POST /api/v1/projects/1/datasets HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"na".utf8))
        let trickle = Task.detached {
            for byte in "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8 + Array(repeating: UInt8(ascii: "a"), count: 200) {
                guard (try? trickling.send(Data([byte]))) != nil else { return }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let results = await withTaskGroup(of: (String, Bool, Double).self) { group in
            for (name, socket) in [("silent", silent), ("trickling", trickling), ("stalled", stalled)] {
                group.addTask {
                    let (_, closed) = socket.readUntilClosed(limit: 4 * Self.idle)
                    return (name, closed, self.seconds(since: start))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        trickle.cancel()
        for (name, closed, after) in results {
            #expect(closed, "\(name): still open after \(after) s")
            #expect(after >= Self.idle * 0.9 && after < Self.idle * 3, "\(name): closed after \(after) s")
        }
        // A connection in use is not cut: keep-alive requests spaced under the timeout.
        let busy = try RawSocket(port: port)
        for _ in 0..<3 {
            try busy.send(Data("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            let (answer, closed) = busy.readUntilClosed(limit: Self.idle / 2)
            #expect(!closed && String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
        #expect(try await server.call(nil, "GET", "/healthz").status == 200)
    }

    @Test func aBodyTooLargeIsRefusedUnreadAndTheConnectionCloses() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        for connection in ["Connection: close\r\n", ""] {
            let socket = try RawSocket(port: server.process.port)
            let start = Date()
            try socket.send(Data(("POST /v2/models/anything/infer HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(server.admin.token!)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\(connection)\r\n").utf8))
            let (answer, closed) = socket.readUntilClosed(limit: 10)
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 413") && text.contains("\"code\":\"too_large\""), "\(text)")
            #expect(closed && seconds(since: start) < 2, "'\(connection)': closed \(closed) after \(seconds(since: start)) s")
        }
        #expect(try await server.call(nil, "GET", "/healthz").status == 200)
    }
}

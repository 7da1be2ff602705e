import Foundation
import Testing

/// Console sessions: signing in with a token starts a session whose own secret, not the token, is the cookie; it
/// expires, is listed, and ends at once when revoked, when its token is revoked, or at sign-out.
@Suite struct SessionTests {
    /// One HTTP/1.1 exchange on a bare socket (no redirects followed, no cookies kept): status, header text, body.
    func exchange(_ server: TestServer, _ method: String, _ path: String, headers: [String: String] = [:],
                  body: String = "") throws -> (status: Int, head: String, body: String) {
        let socket = try RawSocket(port: server.process.port)
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try socket.send(Data((request + "\r\n" + body).utf8))
        let text = String(decoding: socket.readAll(), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, parts[0], parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    func signIn(_ server: TestServer, token: String) throws -> String {
        let answer = try exchange(server, "POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded",
                                                                      "User-Agent": "session-test"], body: "token=\(token)")
        #expect(answer.status == 303, "\(answer.head)")
        let cookie = answer.head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: kouzi_session=") }
        let value = String(cookie?.split(separator: "=", maxSplits: 1).last?.split(separator: ";").first ?? "")
        #expect(value.hasPrefix("ks_") && value != token && cookie?.contains("Max-Age=43200") == true && cookie?.contains("HttpOnly") == true,
                "\(cookie ?? "no cookie")")
        return value
    }

    func me(_ server: TestServer, cookie: String) throws -> Int {
        try exchange(server, "GET", "/api/v1/me", headers: ["Cookie": "kouzi_session=\(cookie)"]).status
    }

    @Test func aSessionIsItsOwnSecretListedAndRevocable() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let token = server.admin.token!
        let cookie = try signIn(server, token: token)
        #expect(try me(server, cookie: cookie) == 200)
        // The API token itself is no session.
        #expect(try me(server, cookie: token) == 401)
        let sessions = try await server.call(nil, "GET", "/api/v1/sessions").array
        let session = try #require(sessions.first { cookie.hasPrefix($0["prefix"] as? String ?? "-") })
        #expect(session["userAgent"] as? String == "session-test")
        let lifetime = (session["expiresAt"] as? Int ?? 0) - (session["createdAt"] as? Int ?? 0)
        #expect(lifetime == 12 * 3_600_000)
        let revoked = try await server.call(nil, "DELETE", "/api/v1/sessions/\(session["id"] as! Int)")
        #expect(revoked.status == 200 && revoked.object["revokedAt"] is Int)
        #expect(try me(server, cookie: cookie) == 401)
        #expect(try await server.call(nil, "DELETE", "/api/v1/sessions/999").status == 404)

        // Signing out ends the session; revoking the token ends every session signed in with it.
        let second = try signIn(server, token: token)
        #expect(try exchange(server, "POST", "/logout", headers: ["Cookie": "kouzi_session=\(second)"]).status == 303)
        #expect(try me(server, cookie: second) == 401)
        let other = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "browser", "role": "viewer"]).object
        let otherSecret = try #require(other["secret"] as? String)
        let third = try signIn(server, token: otherSecret)
        #expect(try me(server, cookie: third) == 200)
        let tokenID = try #require((other["token"] as? [String: Any])?["id"] as? Int)
        #expect(try await server.call(nil, "DELETE", "/api/v1/tokens/\(tokenID)").status == 200)
        #expect(try me(server, cookie: third) == 401)
        try await server.checkAgainstOpenAPI()
    }
}

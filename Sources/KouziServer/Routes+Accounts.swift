import Hummingbird
import KouziPlatform

extension APIRoutes {
    /// Users, tokens, projects and members.
    static func accounts(_ platform: Platform) -> [Endpoint] {
        let accounts = platform.accounts
        struct NewUser: Codable { var name: String; var isAdmin: Bool? }
        struct NewToken: Codable { var name: String; var role: String?; var userID: Int64? }
        struct NewProject: Codable { var name: String; var description: String? }
        struct MemberRole: Codable { var role: String }
        return [
            Endpoint(method: .get, path: "/api/v1/me", operationID: "getMe", summary: "The caller: user, token role, projects",
                     tag: "accounts", responses: [(200, "The caller", .json(.ref("Me")))]) { _, context in
                let principal = try context.caller
                let projects = try await accounts.listProjects(principal)
                struct Me: Encodable { let principal: Principal; let projects: [Project] }
                return try JSON.response(Me(principal: principal, projects: projects))
            },
            Endpoint(method: .get, path: "/api/v1/users", operationID: "listUsers", summary: "List users", tag: "accounts",
                     responses: [(200, "Users", .json(.array(.ref("User"))))]) { _, context in
                try JSON.response(try await accounts.listUsers(try context.caller))
            },
            Endpoint(method: .post, path: "/api/v1/users", operationID: "createUser", summary: "Create a user (server admins)",
                     tag: "accounts", request: .json(.ref("NewUser")), responses: [(201, "The user", .json(.ref("User")))]) { request, context in
                let body = try await JSON.decode(NewUser.self, from: request, context: context)
                return try JSON.response(try await accounts.createUser(try context.caller, name: body.name, isAdmin: body.isAdmin ?? false),
                                         status: .created)
            },
            Endpoint(method: .get, path: "/api/v1/tokens", operationID: "listTokens", summary: "List tokens (never their secrets)",
                     tag: "accounts", responses: [(200, "Tokens", .json(.array(.ref("Token"))))]) { _, context in
                try JSON.response(try await accounts.listTokens(try context.caller))
            },
            Endpoint(method: .post, path: "/api/v1/tokens", operationID: "createToken",
                     summary: "Create a token; its secret is returned once", tag: "accounts", request: .json(.ref("NewToken")),
                     responses: [(201, "The token and its secret", .json(.ref("CreatedToken")))]) { request, context in
                let body = try await JSON.decode(NewToken.self, from: request, context: context)
                let role = try body.role.map(Role.parse) ?? .editor
                return try JSON.response(try await accounts.createToken(try context.caller, name: body.name, role: role, userID: body.userID),
                                         status: .created)
            },
            Endpoint(method: .delete, path: "/api/v1/tokens/{token}", operationID: "revokeToken", summary: "Revoke a token",
                     tag: "accounts", responses: [(200, "The revoked token", .json(.ref("Token")))]) { _, context in
                try JSON.response(try await accounts.revokeToken(try context.caller, id: try context.id("token")))
            },
            Endpoint(method: .get, path: "/api/v1/sessions", operationID: "listSessions",
                     summary: "Console sessions that have not expired (the caller's; server admins: everyone's), newest first",
                     tag: "accounts", responses: [(200, "Sessions", .json(.array(.ref("Session"))))]) { _, context in
                try JSON.response(try await accounts.listSessions(try context.caller))
            },
            Endpoint(method: .delete, path: "/api/v1/sessions/{session}", operationID: "revokeSession",
                     summary: "Revoke a console session: its cookie stops working at once", tag: "accounts",
                     responses: [(200, "The revoked session", .json(.ref("Session")))]) { _, context in
                try JSON.response(try await accounts.revokeSession(try context.caller, id: try context.id("session")))
            },
            Endpoint(method: .get, path: "/api/v1/projects", operationID: "listProjects", summary: "Projects the caller belongs to",
                     tag: "projects", responses: [(200, "Projects", .json(.array(.ref("Project"))))]) { _, context in
                try JSON.response(try await accounts.listProjects(try context.caller))
            },
            Endpoint(method: .post, path: "/api/v1/projects", operationID: "createProject",
                     summary: "Create a project; the caller becomes its admin", tag: "projects", request: .json(.ref("NewProject")),
                     responses: [(201, "The project", .json(.ref("Project")))]) { request, context in
                let body = try await JSON.decode(NewProject.self, from: request, context: context)
                return try JSON.response(try await accounts.createProject(try context.caller, name: body.name,
                                                                          description: body.description ?? ""), status: .created)
            },
            Endpoint(method: .get, path: "/api/v1/projects/{project}", operationID: "getProject", summary: "One project",
                     tag: "projects", responses: [(200, "The project", .json(.ref("Project")))]) { _, context in
                try JSON.response(try await accounts.project(try context.caller, id: try context.id("project")))
            },
            Endpoint(method: .get, path: "/api/v1/projects/{project}/members", operationID: "listMembers",
                     summary: "Members of a project", tag: "projects",
                     responses: [(200, "Members", .json(.array(.ref("Membership"))))]) { _, context in
                try JSON.response(try await accounts.members(try context.caller, projectID: try context.id("project")))
            },
            Endpoint(method: .put, path: "/api/v1/projects/{project}/members/{user}", operationID: "setMember",
                     summary: "Add a member or change their role (project admins)", tag: "projects",
                     request: .json(.ref("MemberRole")), responses: [(200, "The membership", .json(.ref("Membership")))]) { request, context in
                let body = try await JSON.decode(MemberRole.self, from: request, context: context)
                return try JSON.response(try await accounts.setMember(try context.caller, projectID: try context.id("project"),
                                                                      userID: try context.id("user"), role: try Role.parse(body.role)))
            },
            Endpoint(method: .delete, path: "/api/v1/projects/{project}/members/{user}", operationID: "removeMember",
                     summary: "Remove a member (project admins)", tag: "projects", responses: [(204, "Removed", nil)]) { _, context in
                try await accounts.removeMember(try context.caller, projectID: try context.id("project"), userID: try context.id("user"))
                return Response(status: .noContent)
            },
        ]
    }
}

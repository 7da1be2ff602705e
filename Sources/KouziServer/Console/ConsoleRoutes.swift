import Foundation
import HTTPTypes
import Hummingbird
import KouziPlatform

/// The console's session: signing in with an API token starts a session of its own (``AccountService/startSession``)
/// whose secret — not the token — is kept in an HTTP-only, same-site cookie that ends with the session.
enum ConsoleSession {
    static let cookie = "kouzi_session"
    /// The header the console's scripts add to requests that change something (see `authenticate`).
    static let marker = HTTPField.Name("X-Kouzi-Console")!

    /// The session secret in the request's cookie.
    static func secret(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == cookie {
                    let value = pair[1].trimmingCharacters(in: .whitespaces)
                    return value.isEmpty ? nil : value.removingPercentEncoding ?? value
                }
            }
        }
        return nil
    }

    static func setCookie(_ secret: String, secure: Bool) -> String {
        "\(cookie)=\(secret); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(AccountService.sessionLifetimeMillis / 1000)"
            + (secure ? "; Secure" : "")
    }

    static let clearCookie = "\(cookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
}

/// What a console page knows about who is looking and where.
struct ConsoleView: Sendable {
    let platform: Platform
    let principal: Principal
    let project: Project
    let projects: [Project]
    let role: Role
    /// The page's path, for the navigation's current marker.
    let path: String

    var canEdit: Bool { role >= .editor }
    /// The console's root for this project.
    var base: String { "/p/\(project.id)" }
    /// The API's root for this project.
    var api: String { "/api/v1/projects/\(project.id)" }
}

/// One rendered page.
struct ConsolePage {
    var title: String
    /// `data-page` of the body (tests and styles key on it).
    var kind: String
    /// Which navigation entry is current.
    var section: String
    var body: String
    var status: HTTPResponse.Status = .ok
}

/// The web console: server-rendered pages over the platform's services, one small script and one style sheet.
enum ConsoleRoutes {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        router.get("/") { request, _ -> Response in
            guard let principal = try? await authenticate(request, accounts: platform.accounts) else {
                return redirect("/login")
            }
            let projects = try await platform.accounts.listProjects(principal)
            guard let first = projects.first else { return html(errorPage("No project", "This account belongs to no project yet; ask an administrator to add it to one."), status: .ok) }
            return redirect("/p/\(first.id)/datasets")
        }
        router.get("/login") { request, _ -> Response in
            html(loginPage(next: safeNext(request.uri.queryParameters.get("next")), error: nil))
        }
        router.post("/login") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = parseForm(String(buffer: body))
            let next = safeNext(form["next"])
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                return html(loginPage(next: next, error: "Enter an API token."), status: .badRequest)
            }
            let session: StartedSession
            do {
                session = try await platform.accounts.startSession(token: token, userAgent: request.headers[.userAgent] ?? "")
            } catch let error as PlatformError where error.kind == .unauthorized {
                return html(loginPage(next: next, error: "This token is not valid (unknown, revoked or expired)."), status: .unauthorized)
            }
            let secure = request.headers[.init("X-Forwarded-Proto")!] == "https"
            var response = redirect(next ?? "/")
            response.headers[.setCookie] = ConsoleSession.setCookie(session.secret, secure: secure)
            return response
        }
        router.post("/logout") { request, _ -> Response in
            if let secret = ConsoleSession.secret(in: request) { try await platform.accounts.endSession(secret: secret) }
            var response = redirect("/login")
            response.headers[.setCookie] = ConsoleSession.clearCookie
            return response
        }
        router.get("/console/app.js") { _, _ in asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/console/app.css") { _, _ in asset(ConsoleAssets.style, type: "text/css; charset=utf-8") }
        router.get("/favicon.ico") { _, _ in asset(ConsoleAssets.icon, type: "image/svg+xml") }

        ConsoleDatasets.add(to: router, platform: platform)
        ConsoleTraining.add(to: router, platform: platform)
        ConsoleModels.add(to: router, platform: platform)
        ConsoleDeployments.add(to: router, platform: platform)
        ConsoleMonitoring.add(to: router, platform: platform)
    }

    /// Routes a console page under `/p/{project}/…`: resolves the session (or sends the browser to log in), the
    /// project and the caller's role, renders, and shows failures as an HTML page with the right status.
    static func page(_ router: Router<KouziContext>, _ path: String, platform: Platform,
                     _ render: @escaping @Sendable (Request, KouziContext, ConsoleView) async throws -> ConsolePage) {
        router.on(RouterPath("/p/{project}" + path), method: .get) { request, context -> Response in
            let start = ContinuousClock.now
            guard let principal = try? await authenticate(request, accounts: platform.accounts) else {
                return redirect("/login?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            do {
                let projects = try await platform.accounts.listProjects(principal)
                guard let projectID = Int64(context.parameters.get("project") ?? ""),
                      let project = projects.first(where: { $0.id == projectID }) else {
                    throw PlatformError.notFound("project", context.parameters.get("project") ?? "")
                }
                let role = try await platform.accounts.role(of: principal, in: project.id)
                let view = ConsoleView(platform: platform, principal: principal, project: project, projects: projects,
                                       role: role, path: request.uri.path)
                let page = try await render(request, context, view)
                var response = html(layout(page, view: view), status: page.status)
                response.headers[.init("Server-Timing")!] = "render;dur=\(millis(since: start))"
                return response
            } catch {
                let (status, _, message) = ErrorMiddleware.classify(error)
                if status == .internalServerError {
                    context.logger.error("console page failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
                }
                return html(errorPage(status == .notFound ? "Not found" : "Something went wrong", message), status: status)
            }
        }
    }

    static func millis(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        return String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }

    /// Only paths of this server are followed after logging in.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }

    /// `application/x-www-form-urlencoded` fields.
    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .init("Content-Security-Policy")!: contentPolicy,
                                           .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "same-origin"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Nothing but this server: no outside scripts, styles, fonts or frames.
    static let contentPolicy = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; "
        + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300", .eTag: "\"\(ConsoleAssets.tag)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The console's sections: their address segment and title.
    static let sections = [("datasets", "Datasets"), ("training", "Training"), ("models", "Models"),
                           ("deployments", "Deployments"), ("monitoring", "Monitoring")]

    /// The page frame: header with project switch, navigation, user and log-out, then the page.
    static func layout(_ page: ConsolePage, view: ConsoleView) -> String {
        var nav = ""
        for (i, (key, title)) in sections.enumerated() {
            let current = key == page.section ? " aria-current=\"page\"" : ""
            nav += "<a id=\"nav-\(key)\" href=\"\(view.base)/\(key)\"\(current) data-key=\"\(i + 1)\">\(title)</a>"
        }
        let projectOptions = view.projects.map { p in
            "<option value=\"/p/\(p.id)/\(page.section)\"\(p.id == view.project.id ? " selected" : "")>\(esc(p.name))</option>"
        }.joined()
        return document(title: page.title, kind: page.kind, body: """
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><a class="brand" href="/">Kouzi</a>
            <label class="project-switch"><span class="sr-only">Project</span><select id="project-switch" data-navigate>\(projectOptions)</select></label>
            <nav id="nav" aria-label="Sections">\(nav)</nav>
            <div class="who"><span id="who">\(esc(view.principal.userName)) · \(view.role.rawValue)</span>
            <form method="post" action="/logout"><button type="submit" class="link-button" id="logout">Log out</button></form></div></header>
            <main id="main" tabindex="-1"><h1>\(esc(page.title))</h1>\(page.body)</main>
            <footer class="keys">Keys: <kbd>g</kbd> then <kbd>1</kbd>–<kbd>5</kbd> switches section · <kbd>?</kbd> all keys</footer>
            <dialog id="help" aria-labelledby="help-title"><h2 id="help-title">Keyboard</h2><dl class="keys-list">
            <div><dt><kbd>Tab</kbd> / <kbd>Shift</kbd>+<kbd>Tab</kbd></dt><dd>move between links, fields and buttons</dd></div>
            <div><dt><kbd>g</kbd> then <kbd>1</kbd>…<kbd>5</kbd></dt><dd>Datasets, Training, Models, Deployments, Monitoring</dd></div>
            <div><dt><kbd>1</kbd>…<kbd>9</kbd></dt><dd>on a labelling page: choose that label</dd></div>
            <div><dt><kbd>Enter</kbd></dt><dd>submit the form you are in</dd></div>
            <div><dt><kbd>Esc</kbd></dt><dd>close this help</dd></div></dl>
            <form method="dialog"><button id="help-close">Close</button></form></dialog>
            """)
    }

    static func document(title: String, kind: String, body: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title)) · Kouzi</title><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/console/app.css?\(ConsoleAssets.tag)">
        <script src="/console/app.js?\(ConsoleAssets.tag)" defer></script></head><body data-page="\(kind)">\(body)</body></html>
        """
    }

    static func loginPage(next: String?, error: String?) -> String {
        document(title: "Log in", kind: "login", body: """
            <main id="main" class="login"><h1>Kouzi</h1><p>Log in with an API token (<code>kouzi serve</code> prints the first one;
            <code>kouzi tokens create</code> makes more).</p>
            <form id="login-form" method="post" action="/login" class="card" data-once>
            \(next.map { "<input type=\"hidden\" name=\"next\" value=\"\(esc($0))\">" } ?? "")
            <input type="text" name="username" value="token" autocomplete="username" hidden>
            <div class="field"><label for="token">API token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus
             aria-describedby="token-error"\(error == nil ? "" : " aria-invalid=\"true\"")>
            <span class="field-error" id="token-error" role="alert">\(esc(error ?? ""))</span></div>
            <button id="login-submit" type="submit">Log in</button></form></main>
            """)
    }

    /// Whether a request that matched no route came from a browser reading the console (a page under `/p/`, or any
    /// path outside the APIs that asks for HTML), so that it gets a page instead of the API's JSON error.
    static func isConsoleRequest(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/p/") { return true }
        let apis = ["/api/", "/v1/", "/v2/", "/mlflow/", "/metrics", "/openapi.json", "/health"]
        return !apis.contains { path.hasPrefix($0) } && (request.headers[.accept] ?? "").contains("text/html")
    }

    /// The page for a console address that names nothing: the project's sections when the address is inside one.
    static func notFoundPage(path: String) -> String {
        let parts = path.split(separator: "/")
        var links = "<li><a href=\"/\">The console's start page</a></li>"
        if parts.count >= 2, parts[0] == "p", let project = Int64(parts[1]) {
            for (key, title) in sections {
                links += "<li><a id=\"nav-\(key)\" href=\"/p/\(project)/\(key)\">\(title)</a></li>"
            }
        }
        return document(title: "Not found", kind: "error", body: """
            <main id="main" class="login"><h1>Not found</h1><p class="error-text" id="page-error">There is no page at
            <code>\(esc(String(path.prefix(300))))</code>.</p><nav aria-label="Sections"><ul>\(links)</ul></nav></main>
            """)
    }

    static func errorPage(_ title: String, _ message: String) -> String {
        document(title: title, kind: "error", body: """
            <main id="main" class="login"><h1>\(esc(title))</h1><p class="error-text" id="page-error">\(esc(message))</p>
            <p><a href="/">Back to the console</a></p></main>
            """)
    }
}

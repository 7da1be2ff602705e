import Foundation
import Hummingbird
import NIOCore
import KouziPlatform

/// Turns every error into a JSON response `{"error": "...", "code": "..."}` with the fitting status: platform errors
/// by their kind, framework errors (no route, wrong method, body too large) by their status, and anything else as a
/// 500 that is logged (a 500 is a bug).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = KouziContext
    /// Path templates and their methods, to tell a wrong method (405) from a wrong path (404).
    let routes: [(template: [Substring], methods: [String])]

    init(endpoints: [Endpoint]) {
        var routes: [(template: [Substring], methods: [String])] = []
        for endpoint in endpoints {
            let template = endpoint.path.split(separator: "/")
            if let index = routes.firstIndex(where: { $0.template == template }) {
                routes[index].methods.append(endpoint.method.rawValue)
            } else {
                routes.append((template, [endpoint.method.rawValue]))
            }
        }
        self.routes = routes
    }

    /// The methods a path supports, when some template matches it.
    func allowedMethods(for path: String) -> [String]? {
        let parts = path.split(separator: "/")
        let matches = routes.filter { route in
            route.template.count == parts.count
                && zip(route.template, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        return matches.isEmpty ? nil : Array(Set(matches.flatMap(\.methods))).sorted()
    }

    func handle(_ request: Request, context: KouziContext, next: (Request, KouziContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            // The router's own 404 (no route matched): a wrong method on a known path, or a console address.
            if let http = error as? HTTPError, http.status == .notFound, http.body == nil {
                if let allowed = allowedMethods(for: request.uri.path) {
                    return jsonError(status: .methodNotAllowed, code: "method_not_allowed",
                                     message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))",
                                     headers: [.allow: allowed.joined(separator: ", ")])
                }
                if ConsoleRoutes.isConsoleRequest(request) {
                    return ConsoleRoutes.html(ConsoleRoutes.notFoundPage(path: request.uri.path), status: .notFound)
                }
            }
            if ErrorMiddleware.isClientGone(error) {
                // The client closed or reset the connection mid-request (an abandoned upload): nothing to answer.
                context.logger.info("client went away", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
                return jsonError(status: .badRequest, code: "connection_closed", message: "the client closed the connection")
            }
            let (status, code, message) = ErrorMiddleware.classify(error)
            if status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))",
                                                                   "path": "\(request.uri.path)"])
            }
            // The rest of a body too large to take is not read: the connection closes after the answer.
            return jsonError(status: status, code: code, message: message,
                             headers: status == .contentTooLarge ? [.connection: "close"] : [:])
        }
    }

    /// Whether reading the request failed because the client went away (reset, closed or half-closed connection).
    static func isClientGone(_ error: any Error) -> Bool {
        if let error = error as? IOError { return [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode) }
        if let error = error as? ChannelError {
            switch error {
            case .ioOnClosedChannel, .eof, .inputClosed, .outputClosed, .alreadyClosed: return true
            default: return false
            }
        }
        return false
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String, String) {
        switch PlatformError.wrap(error) {
        case let error as PlatformError:
            return (status(of: error.kind), error.code, error.message)
        case let error as HTTPError:
            let code: String
            switch error.status {
            case .notFound: code = "route_not_found"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "too_large"
            case .badRequest: code = "bad_request"
            default: code = "http_\(error.status.code)"
            }
            let message = error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase)
            return (error.status, code, message)
        case let error as DecodingError:
            return (.badRequest, "invalid_json", describe(error))
        case let error as NIOTooManyBytesError:
            let limit = error.maxBytes.map { " (\($0 >> 20) MiB)" } ?? ""
            return (.contentTooLarge, "too_large", "the request body is larger than this endpoint takes\(limit)")
        default:
            return (.internalServerError, "internal", "internal error")
        }
    }

    static func status(of kind: PlatformError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .tooLarge: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .unprocessable: return .unprocessableContent
        case .unavailable: return .serviceUnavailable
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the body" : String(keys.drop { $0 == "." })
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context)
            return "missing field '\(key.stringValue)'" + (parent == "the body" ? "" : " in \(parent)")
        case let .typeMismatch(type, context): return "\(path(context)) should be \(jsonTypeName(type))"
        case let .valueNotFound(type, context): return "\(path(context)) should be \(jsonTypeName(type)), not null"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "invalid JSON body"
        }
    }

    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}

/// A JSON error response.
func jsonError(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
    struct Body: Encodable { let error: String; let code: String }
    let data = (try? JSON.encoder.encode(Body(error: message, code: code))) ?? Data("{}".utf8)
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(status: status, headers: fields,
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

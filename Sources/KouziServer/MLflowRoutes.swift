import KouziBase
import Foundation
import Hummingbird
import KouziNN
import KouziPlatform

/// MLflow's tracking and model-registry REST API (the subset the stock `mlflow` client uses), served per project
/// under `/mlflow/projects/{project}` so the tracking URI `http://HOST:PORT/mlflow/projects/NAME` names the
/// project (and under the server's root for callers who belong to exactly one project). Errors answer in
/// MLflow's shape, `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`.
///
/// These routes speak MLflow's protocol, not Kouzi's, so they are a separate route group, described in
/// `docs/platform.md` rather than in `/openapi.json`.
enum MLflowRoutes {
    static let prefix = "/mlflow/projects/{project}"

    /// One MLflow call: the caller, the project and the request's fields (the JSON body, or for GET the query).
    struct Call: Sendable {
        let principal: Principal
        let projectID: Int64
        let fields: [String: JSONValue]
    }

    typealias Handler = @Sendable (Call) async throws -> JSONValue

    /// Routes the API under the project prefix and, for callers who belong to exactly one project, under the
    /// server's root (a tracking URI without a path).
    static func add(to router: Router<KouziContext>, platform: Platform) {
        let routes = tracking(platform) + registry(platform)
        for (prefix, catchAll) in [(prefix, "**"), ("", "api/2.0/mlflow/**")] {
            let group = router.group(RouterPath(prefix)).add(middleware: MLflowErrorMiddleware())
            for (method, path, handler) in routes {
                group.on(RouterPath("api/2.0/mlflow/" + path), method: method) { request, context in
                    let call = try await makeCall(request, context: context, platform: platform, readBody: method != .get)
                    return try JSON.response(try await handler(call))
                }
            }
            artifacts(platform, group: group)
            answerUnknown(group, routes: routes, catchAll: catchAll)
        }
    }

    /// A known path with another method, and unknown paths, answer in MLflow's shape too.
    static func answerUnknown(_ group: RouterGroup<KouziContext>, routes: [(HTTPRequest.Method, String, Handler)], catchAll: String) {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        var paths = Dictionary(grouping: routes, by: { "api/2.0/mlflow/" + $0.1 }).mapValues { $0.map(\.0) }
        paths[artifactsBase] = [.get]
        paths[artifactsBase + "/**"] = [.get, .put]
        for (path, allowed) in paths {
            for method in methods where !allowed.contains(method) {
                group.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw MLflowError(status: .methodNotAllowed, code: "ENDPOINT_NOT_FOUND",
                                      message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        for method in methods {
            group.on(RouterPath(catchAll), method: method) { request, _ -> Response in
                throw MLflowError(status: .notFound, code: "ENDPOINT_NOT_FOUND",
                                  message: "\(request.method.rawValue) \(request.uri.path) is not part of Kouzi's MLflow API (see docs/platform.md)")
            }
        }
    }

    static func makeCall(_ request: Request, context: KouziContext, platform: Platform, readBody: Bool) async throws -> Call {
        let principal = try await authenticate(request, accounts: platform.accounts)
        let projectID: Int64
        if let reference = context.parameters.get("project") {
            projectID = try await platform.tracking.projectID(principal, reference: reference)
        } else {
            let projects = try await platform.accounts.listProjects(principal)
            guard projects.count == 1 else {
                throw PlatformError.invalid("project", "you can reach \(projects.count) projects; name one in the tracking URI: http://HOST:PORT/mlflow/projects/PROJECT")
            }
            projectID = projects[0].id
        }
        var fields: [String: JSONValue] = [:]
        if readBody {
            var request = request
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            if buffer.readableBytes > 0 {
                guard case let .object(object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
                    throw PlatformError.invalid("body", "the request body must be a JSON object")
                }
                fields = object
            }
        } else {
            // Form encoding, as Python's requests writes it: '+' is a space.
            for pair in (request.uri.query ?? "").split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                let key = parts[0], value = JSONValue.string(parts.count > 1 ? parts[1] : "")
                switch fields[key] {
                case nil: fields[key] = value
                case let .array(values)?: fields[key] = .array(values + [value])
                case let other?: fields[key] = .array([other, value])
                }
            }
        }
        return Call(principal: principal, projectID: projectID, fields: fields)
    }
}

extension MLflowRoutes.Call {
    /// A required text field.
    func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else {
            throw PlatformError.invalid(name, "missing value for required parameter '\(name)'")
        }
        return value
    }

    /// A text field that may be absent (numbers are accepted as their text).
    func optionalString(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case let .string(text)?: return text
        case let .number(number)?: return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: throw PlatformError.invalid(name, "must be a string")
        }
    }

    /// An integer field that may be absent; numeric text is accepted (query parameters and MLflow's int64 strings).
    func int64(_ name: String) throws -> Int64? {
        switch fields[name] {
        case nil, .null?: return nil
        case let .number(number)? where number == number.rounded() && abs(number) < 9e18: return Int64(number)
        case let .string(text)?: if let value = Int64(text) { return value }
        default: break
        }
        throw PlatformError.invalid(name, "must be an integer")
    }

    /// A required integer id, e.g. `experiment_id` (MLflow sends ids as strings).
    func id(_ name: String) throws -> Int64 {
        guard let value = try int64(name) else { throw PlatformError.invalid(name, "missing value for required parameter '\(name)'") }
        return value
    }

    /// A required number (MLflow also accepts numeric strings).
    func double(_ name: String) throws -> Double {
        switch fields[name] {
        case nil, .null?: throw PlatformError.invalid(name, "missing value for required parameter '\(name)'")
        case let .number(number)?: return number
        case let .string(text)?: if let value = Double(text) { return value }
        default: break
        }
        throw PlatformError.invalid(name, "must be a number")
    }

    /// A list of texts (a repeated field; a single value counts as a list of one).
    func strings(_ name: String) throws -> [String] {
        switch fields[name] {
        case nil, .null?: return []
        case let .array(values)?:
            return try values.map { value in
                guard case let .string(text) = value else { throw PlatformError.invalid(name, "must be a list of strings") }
                return text
            }
        case .string?: return [try string(name)]
        default: throw PlatformError.invalid(name, "must be a list of strings")
        }
    }

    /// A list of objects, e.g. `tags` or `metrics`.
    func objects(_ name: String) throws -> [MLflowRoutes.Call] {
        switch fields[name] {
        case nil, .null?: return []
        case let .array(values)?:
            return try values.map { value in
                guard case let .object(object) = value else { throw PlatformError.invalid(name, "must be a list of objects") }
                return MLflowRoutes.Call(principal: principal, projectID: projectID, fields: object)
            }
        default: throw PlatformError.invalid(name, "must be a list of objects")
        }
    }

    /// A list of `{"key": …, "value": …}` as a dictionary.
    func keyValues(_ name: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for entry in try objects(name) { result[try entry.string("key")] = try entry.optionalString("value") ?? "" }
        return result
    }
}

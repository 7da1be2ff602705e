import Foundation

/// Checks real responses against the server's own `/openapi.json`: the operation must exist, the status must be
/// one it documents, and a JSON body must match the documented schema.
struct OpenAPIChecker {
    let document: [String: Any]

    var paths: [String: [String: Any]] { document["paths"] as? [String: [String: Any]] ?? [:] }

    /// Every documented (method, path template).
    var operations: [(method: String, template: String, operation: [String: Any])] {
        paths.flatMap { template, methods in
            methods.compactMap { method, operation in
                (operation as? [String: Any]).map { (method.uppercased(), template, $0) }
            }
        }.sorted { ($0.template, $0.method) < ($1.template, $1.method) }
    }

    /// The template a concrete path matches (most literal segments wins).
    func template(for path: String) -> String? {
        let parts = path.split(separator: "?")[0].split(separator: "/")
        var best: (String, Int)?
        for template in paths.keys {
            let pattern = template.split(separator: "/")
            guard pattern.count == parts.count else { continue }
            var literal = 0
            var matches = true
            for (p, q) in zip(pattern, parts) {
                if p.hasPrefix("{") { continue }
                if p == q { literal += 1 } else { matches = false; break }
            }
            if matches, literal > (best?.1 ?? -1) { best = (template, literal) }
        }
        return best?.0
    }

    /// Problems with one response (empty when it conforms).
    func check(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let template = template(for: path) else { return ["\(method) \(path): no documented path matches"] }
        guard let operation = paths[template]?[method.lowercased()] as? [String: Any] else {
            return ["\(method) \(template): method not documented"]
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let response = responses[String(status)] as? [String: Any] else {
            return ["\(method) \(template): status \(status) not documented (documented: \(responses.keys.sorted()))"]
        }
        guard let content = response["content"] as? [String: Any] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status): a body where none is documented"]
        }
        // The media type served must be one documented (parameters such as charset aside).
        func essence(_ type: String) -> String { String(type.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces).lowercased() }
        guard let contentType, let documented = content.first(where: { essence($0.key) == essence(contentType) }) else {
            return ["\(method) \(template) \(status): served as \(contentType ?? "no content type"), documented \(content.keys.sorted())"]
        }
        guard essence(contentType) == "application/json", let schema = (documented.value as? [String: Any])?["schema"] as? [String: Any],
              schema["format"] as? String != "binary" else {
            return []
        }
        guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return ["\(method) \(template) \(status): body is not JSON"]
        }
        return validate(value, schema, at: "\(method) \(template) \(status) body")
    }

    func validate(_ value: Any, _ schema: [String: Any], at location: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            let components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            guard let target = components?[name] as? [String: Any] else { return ["\(location): unknown schema \(name)"] }
            return validate(value, target, at: location)
        }
        if let options = schema["oneOf"] as? [[String: Any]], schema["type"] == nil {
            return options.contains { validate(value, $0, at: location).isEmpty } ? [] : ["\(location): matches no option"]
        }
        var problems: [String] = []
        if let allowed = schema["enum"] as? [String], let text = value as? String, !allowed.contains(text) {
            problems.append("\(location): '\(text)' not in \(allowed)")
        }
        switch schema["type"] as? String {
        case "object"?:
            guard let object = value as? [String: Any] else { return ["\(location): expected an object, got \(type(of: value))"] }
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(location): missing required '\(name)'")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (name, propertySchema) in properties {
                if let field = object[name], !(field is NSNull), let propertySchema = propertySchema as? [String: Any] {
                    problems += validate(field, propertySchema, at: "\(location).\(name)")
                }
            }
            if let additional = schema["additionalProperties"] as? [String: Any] {
                for (name, field) in object where properties[name] == nil {
                    problems += validate(field, additional, at: "\(location).\(name)")
                }
            }
        case "array"?:
            guard let array = value as? [Any] else { return ["\(location): expected an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { problems += validate(item, items, at: "\(location)[\(index)]") }
            }
        case "string"?:
            if !(value is String) { problems.append("\(location): expected a string, got \(value)") }
        case "integer"?:
            if let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() {} else {
                problems.append("\(location): expected an integer, got \(value)")
            }
        case "number"?:
            if !(value is NSNumber) { problems.append("\(location): expected a number, got \(value)") }
        case "boolean"?:
            if !(value is Bool) && !(value is NSNumber) { problems.append("\(location): expected a boolean, got \(value)") }
        default:
            break
        }
        return problems
    }
}


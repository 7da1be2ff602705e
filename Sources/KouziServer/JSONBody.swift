import Foundation
import Hummingbird
import NIOCore
import KouziInference
import KouziPlatform
import KouziTraining

/// JSON in and out of handlers, with camelCase keys as the Swift types name them.
enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let data = try encoder.encode(value)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body of a request that must be JSON (any other declared content type is refused with 415).
    static func body(of request: Request, context: KouziContext) async throws -> ByteBuffer {
        try await body(of: request, context: context, accepting: ["application/json"])
    }

    /// The body of a request whose declared content type (when it declares one) is one of `types`; 415 otherwise.
    static func body(of request: Request, context: KouziContext, accepting types: [String]) async throws -> ByteBuffer {
        var request = request
        if let contentType = request.headers[.contentType], !types.contains(where: { contentType.lowercased().hasPrefix($0) }) {
            throw PlatformError(.unsupportedMediaType, code: "unsupported_media_type",
                                "this endpoint takes \(types.joined(separator: " or ")), not \(contentType)")
        }
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw PlatformError(.unsupportedMediaType, code: "unsupported_media_type",
                                "request bodies are read without a content encoding, not \(encoding)")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > context.maxUploadSize {
            throw NIOTooManyBytesError(maxBytes: context.maxUploadSize)
        }
        return try await request.collectBody(upTo: context.maxUploadSize)
    }

    /// Reads an Open Inference Protocol request body with the protocol's own reader (much faster than
    /// `JSONDecoder` on the numbers that make up most of a request). With an `Inference-Header-Content-Length`
    /// header the body is that much JSON followed by binary tensor data (the binary tensor data extension); without
    /// it the whole body is JSON, whichever of the two media types it is sent as.
    static func inferRequest(from request: Request, context: KouziContext) async throws -> InferRequest {
        let declared = request.headers[inferenceHeaderLength]
        let jsonLength = try declared.map { text -> Int in
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw PlatformError(.badRequest, code: "invalid_header",
                                    "Inference-Header-Content-Length should be a byte count, got '\(text)'")
            }
            return n
        }
        let buffer = try await body(of: request, context: context,
                                    accepting: ["application/json", "application/octet-stream"])
        return try buffer.withUnsafeReadableBytes { raw in
            do throws(InferRequestSyntaxError) {
                if let jsonLength { return try InferRequest.parse(raw, jsonLength: jsonLength) }
                return try InferRequest.parse(raw)
            } catch {
                throw PlatformError(.badRequest, code: error.inBinaryData ? "invalid_tensor_data" : "invalid_json", error.message)
            }
        }
    }

    /// The answer to an inference request: JSON, or JSON followed by binary tensor data when the request asks
    /// for some outputs in binary (with `Inference-Header-Content-Length` giving the JSON's size).
    static func inferResponse(_ response: InferResponse, to request: InferRequest) throws -> Response {
        guard let (body, jsonLength) = try response.binaryBody(for: request, encoder: encoder) else { return try JSON.response(response) }
        var fields = HTTPFields()
        fields[.contentType] = "application/octet-stream"
        fields[inferenceHeaderLength] = String(jsonLength)
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Decodes a JSON request body; an empty body decodes as `{}`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: KouziContext) async throws -> T {
        let buffer = try await body(of: request, context: context)
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw FractionalIntegerProbe.locate(error, in: data, as: T.self) ?? error
        }
    }
}

extension KouziContext {
    /// A path parameter as a 64-bit id, with a 400 when it is not one.
    func id(_ name: String) throws -> Int64 {
        guard let text = parameters.get(name), let value = Int(text), SchemaDoc.ids.contains(value) else {
            throw PlatformError.invalid(name, "'\(parameters.get(name) ?? "")' is not a positive integer id")
        }
        return Int64(value)
    }

    /// A path parameter as text.
    func text(_ name: String) throws -> String {
        guard let text = parameters.get(name) else { throw PlatformError.invalid(name, "missing") }
        return text
    }

    /// The authenticated caller (endpoints marked as authenticated always have one).
    var caller: Principal {
        get throws {
            guard let principal else { throw PlatformError(.unauthorized, code: "unauthorized", "authentication required") }
            return principal
        }
    }
}

extension Request {
    /// A query parameter.
    func query(_ name: String) -> String? { uri.queryParameters.get(name) }

    /// A query parameter that must be an integer in `range` when present (the range its description states).
    func queryInt(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text) else { throw PlatformError.invalid(name, "'\(text)' is not an integer") }
        guard range.contains(value) else {
            throw PlatformError.invalid(name, "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
        return value
    }
}

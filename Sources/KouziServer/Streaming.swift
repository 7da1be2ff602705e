import Foundation
import Hummingbird
import KouziPlatform

/// Streams a request body into an upload without holding it in memory; a body over the limit is refused as
/// early as its `Content-Length` shows it, or as soon as the bytes pass the limit. A broken connection aborts the
/// upload, leaving nothing behind. An empty body is refused unless `allowEmpty` (MLflow logs empty files too).
func receive(_ request: Request, into upload: ArtifactUpload, limit: Int64, allowEmpty: Bool = false) async throws {
    if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
        upload.abort()
        throw PlatformError(.tooLarge, code: "too_large", "the body has \(length) bytes; the limit is \(limit)")
    }
    do {
        for try await buffer in request.body {
            try buffer.withUnsafeReadableBytes { try upload.write($0) }
        }
    } catch {
        upload.abort()
        throw PlatformError.wrap(error)
    }
    guard upload.size > 0 || allowEmpty else {
        upload.abort()
        throw PlatformError(.badRequest, code: "empty_body", "the request body is empty; send the file's bytes")
    }
}

/// A download streamed chunk by chunk (an artifact checks its hash as it goes); `ETag` carries the sha256
/// when the content has one.
func download(_ reader: some ChunkSource, sha256: String? = nil, filename: String, contentType: String) -> Response {
    let safeName = filename.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
    var headers: HTTPFields = [
        .contentType: contentType,
        .contentDisposition: "attachment; filename=\"\(safeName.isEmpty ? "download" : safeName)\"",
    ]
    if let sha256 { headers[.eTag] = "\"\(sha256)\"" }
    let body = ResponseBody(contentLength: Int(reader.size)) { writer in
        while let chunk = try reader.next() {
            try await writer.write(ByteBuffer(bytes: chunk))
        }
        try await writer.finish(nil)
    }
    return Response(status: .ok, headers: headers, body: body)
}

/// The media types of downloaded files by name suffix; any other file is `application/octet-stream`.
let fileMediaTypes: [(suffix: String, mediaType: String)] = [
    (".csv", "text/csv"), (".zip", "application/zip"), (".txt", "text/plain; charset=utf-8"), (".json", "application/json"),
]

/// A media type for a file name.
func mediaType(for name: String) -> String {
    let lower = name.lowercased()
    return fileMediaTypes.first { lower.hasSuffix($0.suffix) }?.mediaType ?? "application/octet-stream"
}

extension BodyDoc {
    /// A downloaded file: served with the media type of its name.
    static let fileDescription = "The file, typed by its name (.csv, .zip, .txt, .json; anything else application/octet-stream)"
    static let file = BodyDoc.choices((fileMediaTypes.map(\.mediaType) + ["application/octet-stream"]).map { .binary($0) })
}

/// Bytes held in memory, handed out as one chunk (a file made on request, such as an exported model).
final class MemoryChunks: ChunkSource, @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    let size: Int64

    init(_ data: Data) {
        self.data = data
        size = Int64(data.count)
    }

    func next() throws -> Data? {
        lock.withLock {
            defer { data = nil }
            return data
        }
    }
}

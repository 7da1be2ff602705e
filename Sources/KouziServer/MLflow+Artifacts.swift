import KouziBase
import Hummingbird
import KouziNN
import KouziPlatform

extension MLflowRoutes {
    /// MLflow's artifact proxy (`mlflow-artifacts:` URIs). A run's artifact URI is
    /// `mlflow-artifacts:/EXPERIMENT/RUN/artifacts`, which clients resolve to
    /// `…/mlflow/projects/P/api/2.0/mlflow-artifacts/artifacts/EXPERIMENT/RUN/artifacts/PATH`; the bytes live in
    /// Kouzi's artifact store and the run's artifact list.
    static let artifactsBase = "api/2.0/mlflow-artifacts/artifacts"

    static func artifacts(_ platform: Platform, group: RouterGroup<KouziContext>) {
        let tracking = platform.tracking
        let limit = platform.configuration.maxUploadBytes
        let base = artifactsBase
        group.get(RouterPath(base)) { request, context -> Response in
            let call = try await makeCall(request, context: context, platform: platform, readBody: false)
            let location = try ArtifactLocation(try call.optionalString("path") ?? "", allowRunRoot: true)
            let run = try await location.run(call, tracking)
            let prefix = location.path.isEmpty ? "" : location.path + "/"
            var files: [String: JSONValue] = [:]
            for artifact in try await tracking.artifacts(call.principal, projectID: call.projectID, runID: run.id) {
                if artifact.path == location.path {
                    // The path names a file: MLflow lists it as itself.
                    files[artifact.path] = .object(["path": .string(String(artifact.path.split(separator: "/").last!)),
                                                    "is_dir": .bool(false), "file_size": MLflowJSON.int(artifact.size)])
                    continue
                }
                guard artifact.path.hasPrefix(prefix) else { continue }
                let rest = artifact.path.dropFirst(prefix.count)
                if let slash = rest.firstIndex(of: "/") {
                    let name = String(rest[..<slash])
                    files[name] = .object(["path": .string(name), "is_dir": .bool(true)])
                } else {
                    files[String(rest)] = .object(["path": .string(String(rest)), "is_dir": .bool(false),
                                                   "file_size": MLflowJSON.int(artifact.size)])
                }
            }
            return try JSON.response(JSONValue.object(["files": .array(files.sorted { $0.key < $1.key }.map(\.value))]))
        }
        group.get(RouterPath(base + "/**")) { request, context -> Response in
            let call = try await makeCall(request, context: context, platform: platform, readBody: false)
            let location = try ArtifactLocation(decodedCatchAll(context), allowRunRoot: false)
            let run = try await location.run(call, tracking)
            let (artifact, reader) = try await tracking.openArtifact(call.principal, projectID: call.projectID, runID: run.id, path: location.path)
            return download(reader, sha256: artifact.sha256, filename: String(artifact.path.split(separator: "/").last!),
                            contentType: "application/octet-stream")
        }
        group.put(RouterPath(base + "/**")) { request, context -> Response in
            let call = try await makeCall(request, context: context, platform: platform, readBody: false)
            let location = try ArtifactLocation(decodedCatchAll(context), allowRunRoot: false)
            let run = try await location.run(call, tracking)
            let upload = try await tracking.beginArtifactUpload(call.principal, projectID: call.projectID, runID: run.id, limit: limit)
            try await receive(request, into: upload, limit: limit, allowEmpty: true)
            _ = try await tracking.commitArtifact(call.principal, projectID: call.projectID, runID: run.id, path: location.path, upload: upload)
            return try JSON.response(JSONValue.object([:]))
        }
    }
}

/// The path after the route's prefix, each segment percent-decoded once (clients encode spaces and non-ASCII
/// names; `%2F` becomes a separator that the location's checks then see like any other).
func decodedCatchAll(_ context: KouziContext) throws -> String {
    try context.parameters.getCatchAll().map { segment in
        guard let decoded = String(segment).removingPercentEncoding else {
            throw PlatformError.invalid("path", "'\(segment.prefix(300))' is not a valid percent-encoded path segment")
        }
        return decoded
    }.joined(separator: "/")
}

/// An artifact path of MLflow's proxy: `EXPERIMENT/RUN/artifacts[/PATH]`.
struct ArtifactLocation {
    let experimentID: Int64
    let runID: String
    /// The path inside the run's artifacts ("" for the run's root).
    let path: String

    init(_ text: String, allowRunRoot: Bool) throws {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count >= 3, let experiment = Int64(parts[0]), parts[2] == "artifacts", parts.count > 3 || allowRunRoot else {
            throw PlatformError.invalid("path", "'\(text.prefix(300))' is not an artifact path of a run (EXPERIMENT/RUN/artifacts/PATH)")
        }
        experimentID = experiment
        runID = parts[1]
        path = parts.dropFirst(3).joined(separator: "/")
    }

    /// The run, checked to belong to the experiment the path names.
    func run(_ call: MLflowRoutes.Call, _ tracking: TrackingService) async throws -> Run {
        let run = try await tracking.run(call.principal, projectID: call.projectID, runID: runID)
        guard run.experimentID == experimentID else { throw PlatformError.notFound("run", "\(runID) in experiment \(experimentID)") }
        return run
    }
}

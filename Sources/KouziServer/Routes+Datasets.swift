import KouziTables
import Hummingbird
import KouziData
import KouziPlatform

extension APIRoutes {
    /// Uploads, datasets, versions, downloads, profiles, quality reports and cleaning.
    static func datasets(_ platform: Platform) -> [Endpoint] {
        let datasets = platform.datasets
        let limit = platform.configuration.maxUploadBytes
        struct NewDataset: Codable { var name: String; var description: String? }
        struct FileRef: Codable { var name: String; var sha256: String }
        struct NewVersion: Codable { var format: String; var files: [FileRef]; var target: String? }
        struct CleanRequest: Codable { var steps: CleaningPipeline; var previewRows: Int? }
        struct QualityRequest: Codable { var constraints: [String: ColumnConstraint]? }
        let base = "/api/v1/projects/{project}/datasets"
        let version = base + "/{dataset}/versions/{version}"
        return [
            Endpoint(method: .post, path: "/api/v1/projects/{project}/uploads", operationID: "uploadFile",
                     summary: "Upload one file (streamed) for a later dataset version; returns its sha256", tag: "datasets",
                     request: .binary("application/octet-stream"),
                     responses: [(201, "The stored file", .json(.ref("Upload")))]) { request, context in
                let project = try context.id("project")
                let upload = try await datasets.beginUpload(try context.caller, projectID: project)
                try await receive(request, into: upload, limit: limit)
                let ref = try await datasets.finishUpload(try context.caller, projectID: project, upload: upload)
                return try JSON.response(ref, status: .created)
            },
            Endpoint(method: .get, path: base, operationID: "listDatasets", summary: "Datasets of a project", tag: "datasets",
                     query: pageQuery, responses: [(200, "Datasets", .json(.array(.ref("Dataset"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await datasets.list(try context.caller, projectID: try context.id("project"),
                                                                 limit: limit, offset: offset))
            },
            Endpoint(method: .post, path: base, operationID: "createDataset", summary: "Create a dataset", tag: "datasets",
                     request: .json(.ref("NewDataset")), responses: [(201, "The dataset", .json(.ref("Dataset")))]) { request, context in
                let body = try await JSON.decode(NewDataset.self, from: request, context: context)
                return try JSON.response(try await datasets.create(try context.caller, projectID: try context.id("project"),
                                                                   name: body.name, description: body.description ?? ""),
                                         status: .created)
            },
            Endpoint(method: .get, path: base + "/{dataset}", operationID: "getDataset", summary: "One dataset", tag: "datasets",
                     responses: [(200, "The dataset", .json(.ref("Dataset")))]) { _, context in
                try JSON.response(try await datasets.get(try context.caller, projectID: try context.id("project"),
                                                         datasetID: try context.id("dataset")))
            },
            Endpoint(method: .get, path: base + "/{dataset}/versions", operationID: "listDatasetVersions",
                     summary: "Versions of a dataset with their lineage (parent and operation)", tag: "datasets",
                     responses: [(200, "Versions", .json(.array(.ref("DatasetVersion"))))]) { _, context in
                try JSON.response(try await datasets.versions(try context.caller, projectID: try context.id("project"),
                                                              datasetID: try context.id("dataset")))
            },
            Endpoint(method: .post, path: base + "/{dataset}/versions", operationID: "createDatasetVersion",
                     summary: "Make a version from uploaded files (format csv, idx, image-folder, audio-folder, text)",
                     tag: "datasets", request: .json(.ref("NewVersion")),
                     responses: [(201, "The version", .json(.ref("DatasetVersion")))]) { request, context in
                let body = try await JSON.decode(NewVersion.self, from: request, context: context)
                let files = body.files.map { DatasetFile(name: $0.name, sha256: $0.sha256.lowercased(), size: 0) }
                return try JSON.response(try await datasets.createVersion(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    format: try DatasetFormat.parse(body.format), files: files, target: body.target), status: .created)
            },
            Endpoint(method: .post, path: base + "/{dataset}/versions/upload", operationID: "uploadDatasetVersion",
                     summary: "Upload one file (streamed) and make it a version in one request", tag: "datasets",
                     query: [QueryDoc(name: "format", schema: .enumeration(DatasetFormat.allCases.map(\.rawValue)),
                                      description: "The file's format", required: true),
                             QueryDoc(name: "filename", schema: .string, description: "The file's name in the version"),
                             QueryDoc(name: "target", schema: .string, description: "The label column of a table")],
                     request: .binary("application/octet-stream"),
                     responses: [(201, "The version", .json(.ref("DatasetVersion")))]) { request, context in
                let project = try context.id("project")
                let dataset = try context.id("dataset")
                guard let formatName = request.query("format") else {
                    throw PlatformError.invalid("format", "missing; one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let format = try DatasetFormat.parse(formatName)
                let filename = request.query("filename") ?? defaultFileName(format)
                let principal = try context.caller
                _ = try await datasets.get(principal, projectID: project, datasetID: dataset)
                let upload = try await datasets.beginUpload(principal, projectID: project)
                try await receive(request, into: upload, limit: limit)
                let ref = try await datasets.finishUpload(principal, projectID: project, upload: upload)
                let version = try await datasets.createVersion(
                    principal, projectID: project, datasetID: dataset, format: format,
                    files: [DatasetFile(name: filename, sha256: ref.sha256, size: ref.size)], target: request.query("target"))
                return try JSON.response(version, status: .created)
            },
            Endpoint(method: .get, path: version, operationID: "getDatasetVersion", summary: "One version", tag: "datasets",
                     responses: [(200, "The version", .json(.ref("DatasetVersion")))]) { _, context in
                try JSON.response(try await datasets.version(try context.caller, projectID: try context.id("project"),
                                                             datasetID: try context.id("dataset"), number: try context.id("version")))
            },
            Endpoint(method: .get, path: version + "/profile", operationID: "getDatasetProfile",
                     summary: "Per-column statistics, histograms and class balance", tag: "datasets",
                     responses: [(200, "The profile", .json(.any))]) { _, context in
                try JSON.response(try await datasets.profile(try context.caller, projectID: try context.id("project"),
                                                             datasetID: try context.id("dataset"), number: try context.id("version")))
            },
            Endpoint(method: .get, path: version + "/quality", operationID: "getDatasetQuality",
                     summary: "Data-quality report: missing values, duplicates, type errors, out-of-range values",
                     tag: "datasets", responses: [(200, "The report", .json(.any))]) { _, context in
                try JSON.response(try await datasets.quality(try context.caller, projectID: try context.id("project"),
                                                             datasetID: try context.id("dataset"), number: try context.id("version")))
            },
            Endpoint(method: .post, path: version + "/quality", operationID: "checkDatasetQuality",
                     summary: "Quality report against declared constraints: {\"constraints\": {column: {min, max, allowedValues}}}",
                     tag: "datasets", request: .json(.ref("QualityRequest")),
                     responses: [(200, "The report", .json(.any))]) { request, context in
                let body = try await JSON.decode(QualityRequest.self, from: request, context: context)
                return try JSON.response(try await datasets.quality(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), constraints: body.constraints ?? [:]))
            },
            Endpoint(method: .get, path: version + "/download", operationID: "downloadDatasetVersion",
                     summary: "Download the version's (first) file", tag: "datasets",
                     responses: [(200, BodyDoc.fileDescription, .file)]) { _, context in
                let (file, reader) = try await datasets.openFile(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), name: nil)
                return download(reader, sha256: file.sha256, filename: file.name, contentType: mediaType(for: file.name))
            },
            Endpoint(method: .get, path: version + "/archive", operationID: "downloadDatasetArchive",
                     summary: "Download all files of a version as one ZIP", tag: "datasets",
                     responses: [(200, "The ZIP", .binary("application/zip"))]) { _, context in
                let (name, reader) = try await datasets.openVersionArchive(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"))
                return download(reader, filename: name, contentType: "application/zip")
            },
            Endpoint(method: .get, path: version + "/files/{name}", operationID: "downloadDatasetFile",
                     summary: "Download one file of a version", tag: "datasets",
                     responses: [(200, BodyDoc.fileDescription, .file)]) { _, context in
                let (file, reader) = try await datasets.openFile(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), name: try context.text("name"))
                return download(reader, sha256: file.sha256, filename: file.name, contentType: mediaType(for: file.name))
            },
            Endpoint(method: .post, path: version + "/clean/preview", operationID: "previewCleaning",
                     summary: "Run a cleaning pipeline without writing: step reports and the first rows", tag: "datasets",
                     request: .json(.ref("CleanRequest")), responses: [(200, "The preview", .json(.ref("CleaningOutcome")))]) { request, context in
                let body = try await JSON.decode(CleanRequest.self, from: request, context: context)
                return try JSON.response(try await datasets.clean(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), pipeline: body.steps, preview: true, previewRows: body.previewRows ?? 20))
            },
            Endpoint(method: .post, path: version + "/clean", operationID: "cleanDatasetVersion",
                     summary: "Run a cleaning pipeline; the result becomes the next version", tag: "datasets",
                     request: .json(.ref("CleanRequest")), responses: [(201, "The new version", .json(.ref("CleaningOutcome")))]) { request, context in
                let body = try await JSON.decode(CleanRequest.self, from: request, context: context)
                return try JSON.response(try await datasets.clean(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), pipeline: body.steps, preview: false), status: .created)
            },
        ]
    }

    static func defaultFileName(_ format: DatasetFormat) -> String {
        switch format {
        case .csv: return "data.csv"
        case .idx: return "data.idx"
        case .imageFolder, .audioFolder: return "data.zip"
        case .text: return "data.txt"
        }
    }

    /// How many items one page may hold.
    static let pageLimits = 1...1000

    static let pageQuery = [
        QueryDoc(name: "limit", schema: .integer(pageLimits), description: "At most this many items (1–1000, default 100)"),
        QueryDoc(name: "offset", schema: .integer(SchemaDoc.counts), description: "Skip this many items"),
    ]

    static func page(_ request: Request) throws -> (Int, Int) {
        (try request.queryInt("limit", in: pageLimits) ?? 100, try request.queryInt("offset", in: SchemaDoc.counts) ?? 0)
    }
}

import KouziTables
import Hummingbird
import KouziFormats
import KouziPlatform

extension APIRoutes {
    /// Label schemas, labelling tasks, annotations, agreement and export.
    static func labelling(_ platform: Platform) -> [Endpoint] {
        let datasets = platform.datasets
        struct NewTask: Codable { var annotationsPerItem: Int? }
        struct NewAnnotation: Codable { var item: Int64; var label: String }
        struct SchemaBody: Codable { var type: String; var classes: [String]?; var column: String? }
        let base = "/api/v1/projects/{project}/datasets/{dataset}"
        let task = base + "/label-tasks/{task}"
        return [
            Endpoint(method: .put, path: base + "/label-schema", operationID: "setLabelSchema",
                     summary: "Define the labels: fixed classes or free text, and the column they go to", tag: "labelling",
                     request: .json(.ref("LabelSchema")), responses: [(200, "The dataset", .json(.ref("Dataset")))]) { request, context in
                let body = try await JSON.decode(SchemaBody.self, from: request, context: context)
                let schema = try LabelSchema(type: body.type, classes: body.classes, column: body.column ?? "label")
                return try JSON.response(try await datasets.setLabelSchema(try context.caller, projectID: try context.id("project"),
                                                                           datasetID: try context.id("dataset"), schema: schema))
            },
            Endpoint(method: .post, path: base + "/versions/{version}/label-tasks", operationID: "createLabelTask",
                     summary: "Create a labelling task over the version's unlabelled rows or files", tag: "labelling",
                     request: .json(.ref("NewLabelTask")), responses: [(201, "The task", .json(.ref("LabelTask")))]) { request, context in
                let body = try await JSON.decode(NewTask.self, from: request, context: context)
                return try JSON.response(try await datasets.createLabelTask(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    number: try context.id("version"), annotationsPerItem: body.annotationsPerItem ?? 1), status: .created)
            },
            Endpoint(method: .get, path: task, operationID: "getLabelTask", summary: "A task and its progress", tag: "labelling",
                     responses: [(200, "The task", .json(.ref("LabelTask")))]) { _, context in
                try JSON.response(try await datasets.labelTask(try context.caller, projectID: try context.id("project"),
                                                               datasetID: try context.id("dataset"), taskID: try context.id("task")))
            },
            Endpoint(method: .get, path: task + "/items", operationID: "listLabelItems",
                     summary: "Items of a task with their annotations", tag: "labelling", query: pageQuery,
                     responses: [(200, "Items", .json(.array(.ref("LabelItem"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await datasets.labelItems(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    taskID: try context.id("task"), limit: limit, offset: offset))
            },
            Endpoint(method: .get, path: task + "/next", operationID: "nextLabelItem",
                     summary: "The next item for the caller to label (204 when none is left)", tag: "labelling",
                     responses: [(200, "The item", .json(.ref("LabelItem"))), (204, "Nothing left for the caller", nil)]) { _, context in
                guard let item = try await datasets.nextLabelItem(try context.caller, projectID: try context.id("project"),
                                                                  datasetID: try context.id("dataset"), taskID: try context.id("task")) else {
                    return Response(status: .noContent)
                }
                return try JSON.response(item)
            },
            Endpoint(method: .post, path: task + "/annotations", operationID: "annotate",
                     summary: "Label an item (replaces the caller's earlier label for it)", tag: "labelling",
                     request: .json(.ref("NewAnnotation")), responses: [(200, "The item", .json(.ref("LabelItem")))]) { request, context in
                let body = try await JSON.decode(NewAnnotation.self, from: request, context: context)
                return try JSON.response(try await datasets.annotate(
                    try context.caller, projectID: try context.id("project"), datasetID: try context.id("dataset"),
                    taskID: try context.id("task"), item: body.item, label: body.label))
            },
            Endpoint(method: .get, path: task + "/agreement", operationID: "labelAgreement",
                     summary: "Agreement between annotators: percent agreement, Krippendorff's alpha, Cohen's kappa",
                     tag: "labelling", responses: [(200, "Agreement", .json(.ref("LabelAgreement")))]) { _, context in
                try JSON.response(try await datasets.labelAgreement(try context.caller, projectID: try context.id("project"),
                                                                    datasetID: try context.id("dataset"), taskID: try context.id("task")))
            },
            Endpoint(method: .post, path: task + "/export", operationID: "exportLabels",
                     summary: "Write the majority labels into a new version and close the task", tag: "labelling",
                     responses: [(201, "The new version", .json(.ref("DatasetVersion")))]) { _, context in
                try JSON.response(try await datasets.exportLabels(try context.caller, projectID: try context.id("project"),
                                                                  datasetID: try context.id("dataset"), taskID: try context.id("task")),
                                  status: .created)
            },
        ]
    }
}

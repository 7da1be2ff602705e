import KouziBase
import KouziTables
import Foundation
import Hummingbird
import KouziData
import KouziNN
import KouziPlatform

/// Decodes a stored JSON value as a typed report (nil when it is not one).
func decodeJSON<T: Decodable>(_ type: T.Type, _ value: JSONValue?) -> T? {
    guard let value, let data = try? JSONEncoder().encode(value) else { return nil }
    return try? JSONDecoder().decode(T.self, from: data)
}

/// Embeds a value as JSON in a page for its script (`<` escaped so it cannot close the script element).
func embeddedJSON<T: Encodable>(_ id: String, _ value: T) -> String {
    let text = (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "null"
    return "<script type=\"application/json\" id=\"\(id)\">\(text.replacingOccurrences(of: "<", with: "\\u003c"))</script>"
}

/// Datasets: the list with an upload form; one dataset's versions as a lineage graph, profile, quality and the
/// cleaning-pipeline builder.
enum ConsoleDatasets {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        addLabelling(to: router, platform: platform)
        ConsoleRoutes.page(router, "/datasets", platform: platform) { _, _, view in
            let datasets = try await platform.datasets.list(view.principal, projectID: view.project.id, limit: 500)
            let rows = datasets.map { d in
                "<tr>" + H.td(H.link("\(view.base)/datasets/\(d.id)", d.name, cls: "dataset-link"), raw: true)
                    + H.td("v\(d.latestVersion)", numeric: true) + H.td(d.description) + H.td(Format.time(d.createdAt)) + "</tr>"
            }
            var body = H.table(id: "datasets", ["Name", "Latest", "Description", "Created (UTC)"], rows, numeric: [1],
                               empty: "No datasets yet. Upload a CSV table below.")
            if view.canEdit { body += uploadForm(view) }
            return ConsolePage(title: "Datasets", kind: "datasets", section: "datasets", body: body)
        }
        ConsoleRoutes.page(router, "/datasets/{dataset}", platform: platform) { request, context, view in
            let id = try context.id("dataset")
            let dataset = try await platform.datasets.get(view.principal, projectID: view.project.id, datasetID: id)
            let versions = try await platform.datasets.versions(view.principal, projectID: view.project.id, datasetID: id)
            let number = try request.queryInt("version", in: SchemaDoc.ids).map(Int64.init) ?? dataset.latestVersion
            guard let version = versions.first(where: { $0.number == number }) else {
                throw PlatformError.notFound("dataset version", "\(id)/\(number)")
            }
            return ConsolePage(title: "Dataset \(dataset.name)", kind: "dataset", section: "datasets",
                               body: try await datasetBody(dataset, versions: versions, version: version, view: view))
        }
    }

    static func addLabelling(to router: Router<KouziContext>, platform: Platform) {
        ConsoleRoutes.page(router, "/datasets/{dataset}/label/{task}", platform: platform) { _, context, view in
            let datasetID = try context.id("dataset"), taskID = try context.id("task")
            let dataset = try await platform.datasets.get(view.principal, projectID: view.project.id, datasetID: datasetID)
            let task = try await platform.datasets.labelTask(view.principal, projectID: view.project.id, datasetID: datasetID, taskID: taskID)
            let agreement = try await platform.datasets.labelAgreement(view.principal, projectID: view.project.id, datasetID: datasetID,
                                                                        taskID: taskID)
            return ConsolePage(title: "Label \(dataset.name) v\(task.versionNumber) · task \(task.id)", kind: "label", section: "datasets",
                               body: labelBody(dataset, task: task, agreement: agreement, view: view))
        }
        // One image or audio item, for the labelling page's <img>/<audio>.
        router.get("/p/{project}/datasets/{dataset}/label/{task}/items/{index}/media") { request, context -> Response in
            let principal = try await authenticate(request, accounts: platform.accounts)
            let (bytes, type) = try await platform.datasets.labelItemMedia(
                principal, projectID: try context.id("project"), datasetID: try context.id("dataset"), taskID: try context.id("task"),
                index: Int64(try context.text("index")) ?? -1)
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=3600"],
                             body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func labelBody(_ dataset: KouziPlatform.Dataset, task: LabelTask, agreement: LabelAgreement, view: ConsoleView) -> String {
        let schema = dataset.labelSchema
        let api = "\(view.api)/datasets/\(dataset.id)/label-tasks/\(task.id)"
        let share = task.itemCount > 0 ? Double(task.completeItems) / Double(task.itemCount) : 0
        var body = H.facts([
            ("Progress", "<span id=\"label-progress\">\(task.completeItems) of \(task.itemCount) items complete</span>"
                + "<progress id=\"label-progress-bar\" max=\"\(task.itemCount)\" value=\"\(task.completeItems)\">\(Format.percent(share))</progress>"),
            ("Annotations", "<span id=\"label-annotations\">\(task.annotationCount)</span> (\(task.annotationsPerItem) wanted per item)"),
            ("Agreement", agreement.percentAgreement.map { "\(Format.percent($0)) of items with several annotators agree"
                + (agreement.krippendorffAlpha.map { ", Krippendorff's α \(Format.number($0, digits: 3))" } ?? "")
                + (agreement.cohenKappa.map { ", Cohen's κ \(Format.number($0, digits: 3))" } ?? "") }
                ?? "needs items labelled by more than one person (\(agreement.itemsWithSeveralAnnotators) so far)"),
            ("Label column", "<code>\(esc(task.labelColumn))</code>"),
            ("Status", esc(task.status)),
        ], id: "label-facts")
        let classes = schema?.classes ?? []
        let buttons = classes.prefix(36).enumerated().map { i, c in
            let key = i < 9 ? "\(i + 1)" : ""
            return "<button type=\"button\" class=\"label-choice secondary\" data-label=\"\(esc(c))\"\(key.isEmpty ? "" : " data-key=\"\(key)\" aria-keyshortcuts=\"\(key)\"")>"
                + (key.isEmpty ? "" : "<kbd>\(key)</kbd> ") + "\(esc(c))</button>"
        }.joined()
        let free = classes.isEmpty
            ? "<form id=\"label-text-form\" class=\"row\"><label for=\"label-text\">Label</label><input id=\"label-text\" required maxlength=\"500\"><button type=\"submit\">Save (Enter)</button></form>"
            : ""
        body += H.section("Label the next item", id: "labelling", """
            <div id="label-panel" class="card" data-api="\(api)" data-column="\(esc(task.labelColumn))" data-media="\(view.base)/datasets/\(dataset.id)/label/\(task.id)/items" tabindex="-1">
            <div id="label-item" aria-live="polite"><p class="hint">Loading the next item…</p></div>
            <div id="label-choices" class="row" role="group" aria-label="Labels">\(buttons)</div>\(free)
            <p class="form-error" id="label-error" role="alert"></p>
            <p class="hint">Keys: <kbd>1</kbd>–<kbd>9</kbd> choose a label; each answer moves to the next item.</p></div>
            """)
        if view.canEdit {
            body += "<form class=\"inline\" id=\"export-form\" data-api=\"\(api)/export\" data-redirect=\"\(view.base)/datasets/\(dataset.id)?version={number}\""
                + " data-confirm=\"Write the majority labels into a new version and close this task?\"><button type=\"submit\" id=\"export-submit\">Export labels as a new version</button>"
                + "<span class=\"form-error\" id=\"export-form-error\"></span></form>"
        }
        return body
    }

    static func labellingSection(_ dataset: KouziPlatform.Dataset, version: DatasetVersion, tasks: [LabelTask], view: ConsoleView) -> String {
        var body = ""
        if let schema = dataset.labelSchema {
            body += "<p>Labels: \(schema.type == "classes" ? "one of " + esc((schema.classes ?? []).joined(separator: ", ")) : "free text") into column <code>\(esc(schema.column))</code>.</p>"
        }
        let rows = tasks.map { t in
            "<tr>" + H.td(H.link("\(view.base)/datasets/\(dataset.id)/label/\(t.id)", "task \(t.id)", cls: "label-task-link"), raw: true)
                + H.td("v\(t.versionNumber)") + H.td(t.status) + H.td("\(t.completeItems) / \(t.itemCount)", numeric: true)
                + H.td("\(t.annotationCount)", numeric: true) + H.td(Format.time(t.createdAt)) + "</tr>"
        }
        body += H.table(id: "label-tasks", ["Task", "Version", "Status", "Complete items", "Annotations", "Created (UTC)"], rows,
                        numeric: [3, 4], empty: "No labelling tasks.")
        if view.canEdit {
            let schema = dataset.labelSchema
            body += "<div class=\"columns\">" + """
                <form id="schema-form" class="card" data-api="\(view.api)/datasets/\(dataset.id)/label-schema" data-method="PUT" data-build="schema" data-reload novalidate>
                <h3>Label schema</h3>
                \(H.field("schema-type", label: "Labels are", control: H.select("schema-type", name: "type", options: [("classes", "one of fixed classes"), ("text", "free text")], selected: schema?.type ?? "classes")))
                \(H.field("schema-classes", label: "Classes (comma-separated)", control: "<input id=\"schema-classes\" data-field=\"classes\" value=\"\(esc((schema?.classes ?? []).joined(separator: ", ")))\" placeholder=\"cat, dog\">"))
                \(H.field("schema-column", label: "Column", control: "<input id=\"schema-column\" data-field=\"column\" value=\"\(esc(schema?.column ?? "label"))\" required>"))
                <p class="form-error" id="schema-form-error" role="alert"></p><button type="submit" id="schema-submit">Save schema</button></form>
                """
            if schema != nil {
                body += """
                    <form id="task-form" class="card" data-api="\(view.api)/datasets/\(dataset.id)/versions/\(version.number)/label-tasks" data-redirect="\(view.base)/datasets/\(dataset.id)/label/{id}" novalidate>
                    <h3>New task over v\(version.number)'s unlabelled items</h3>
                    \(H.field("task-annotators", label: "Annotations per item", control: "<input id=\"task-annotators\" type=\"number\" min=\"1\" max=\"10\" step=\"1\" value=\"1\" data-field=\"annotationsPerItem\" data-type=\"int\" required>"))
                    <p class="form-error" id="task-form-error" role="alert"></p><button type="submit" id="task-submit">Create task</button></form>
                    """
            }
            body += "</div>"
        }
        return H.section("Labelling", id: "labelling", body)
    }

    static func uploadForm(_ view: ConsoleView) -> String {
        let formats = DatasetFormat.allCases.map { ($0.rawValue, $0.rawValue) }
        return H.section("Upload a dataset", id: "upload", """
            <form id="upload-form" class="card" data-upload="\(view.api)/datasets" data-redirect="\(view.base)/datasets/{id}" novalidate>
            <div class="row">\(H.field("upload-name", label: "Name", control: "<input id=\"upload-name\" name=\"name\" data-field=\"name\" required maxlength=\"200\" pattern=\"[A-Za-z0-9][A-Za-z0-9._ \\-]*\" aria-describedby=\"upload-name-error\">",
                                        hint: "letters, digits, . _ - and spaces"))
            \(H.field("upload-file", label: "File", control: "<input id=\"upload-file\" name=\"file\" type=\"file\" data-field=\"file\" required aria-describedby=\"upload-file-error\">"))
            \(H.field("upload-format", label: "Format", control: H.select("upload-format", name: "format", options: formats, selected: "csv")))
            \(H.field("upload-target", label: "Label column (tables)", control: "<input id=\"upload-target\" name=\"target\" data-field=\"target\" placeholder=\"e.g. label\">"))
            \(H.field("upload-description", label: "Description", control: "<input id=\"upload-description\" name=\"description\" data-field=\"description\">"))</div>
            <p class="form-error" id="upload-form-error" role="alert"></p>
            <button id="upload-submit" type="submit">Upload</button></form>
            """)
    }

    static func datasetBody(_ dataset: KouziPlatform.Dataset, versions: [DatasetVersion], version: DatasetVersion, view: ConsoleView) async throws -> String {
        let href = { (n: Int64) in "\(view.base)/datasets/\(dataset.id)?version=\(n)" }
        let nodes = versions.map { v in
            (number: v.number, parent: v.parentNumber, label: "v\(v.number) · \(v.format)",
             detail: v.rowCount > 0 ? "\(v.rowCount) rows · \(operationName(v.operation))" : operationName(v.operation),
             href: href(v.number), current: v.number == version.number)
        }
        var body = H.facts([
            ("Description", esc(dataset.description.isEmpty ? "–" : dataset.description)),
            ("Version shown", "v\(version.number) (\(esc(version.kind)), \(Format.bytes(Double(version.size))))"),
            ("Rows", "\(version.rowCount)"),
            ("Files", esc(version.files.map(\.name).prefix(5).joined(separator: ", ")) + (version.files.count > 5 ? " …" : "")),
            ("Made by", esc(operationName(version.operation))),
            ("Content hash", "<code>\(esc(String(version.contentHash.prefix(16))))</code>"),
        ], id: "version-facts")
        body += H.section("Lineage", id: "lineage", Chart.lineage(id: "lineage", nodes: nodes)
            + "<p class=\"hint\">Each box is a version; arrows lead from the version it was derived from. Select one to show it.</p>")
        let profileJSON = try await view.platform.datasets.profile(view.principal, projectID: view.project.id,
                                                                   datasetID: dataset.id, number: version.number)
        if let profile = decodeJSON(TableProfile.self, profileJSON) {
            body += profileSection(profile)
            if let quality = decodeJSON(QualityReport.self, try? await view.platform.datasets.quality(
                view.principal, projectID: view.project.id, datasetID: dataset.id, number: version.number)) {
                body += qualitySection(quality)
            }
            if view.canEdit { body += cleaningSection(profile, dataset: dataset, version: version, view: view) }
        } else {
            body += H.section("Summary", id: "profile", "<pre class=\"json\" id=\"profile\">\(esc(ConsoleTraining.pretty(profileJSON)))</pre>")
        }
        let tasks = try await view.platform.datasets.labelTasks(view.principal, projectID: view.project.id, datasetID: dataset.id)
        body += labellingSection(dataset, version: version, tasks: tasks, view: view)
        return body
    }

    static func operationName(_ operation: JSONValue) -> String {
        if case let .object(members) = operation, case let .string(kind)? = members["type"] ?? members["kind"] {
            return kind
        }
        if case .null = operation { return "upload" }
        return "upload"
    }

    static func profileSection(_ profile: TableProfile) -> String {
        var charts = ""
        var rows: [String] = []
        for column in profile.columns {
            var summary = ""
            if let n = column.numeric {
                charts += "<figure>" + Chart.histogram(title: column.name, unit: "value of \(column.name)", edges: n.histogram.edges,
                                                        counts: n.histogram.counts) + "</figure>"
                summary = "min \(Format.number(n.min)) · median \(Format.number(n.median)) · max \(Format.number(n.max)) · mean \(Format.number(n.mean))"
            } else if let top = column.topValues {
                let shown = Array(top.prefix(12))
                charts += "<figure>" + Chart.bars(cls: "category-chart", title: column.name, xLabel: "value", yLabel: "rows",
                                                   categories: shown.map(\.value), series: [(column.name, shown.map { Double($0.count) })],
                                                   width: 360, height: 200) + "</figure>"
                summary = shown.prefix(3).map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
            }
            rows.append("<tr>" + H.td(column.name) + H.td("\(column.type)") + H.td(Format.percent(column.missingFraction), numeric: true)
                        + H.td("\(column.distinctCount)", numeric: true) + H.td(summary) + "</tr>")
        }
        var body = "<p>\(profile.rowCount) rows × \(profile.columnCount) columns\(profile.target.map { "; label column <code>\(esc($0))</code>" } ?? "").</p>"
        body += H.table(id: "columns", ["Column", "Type", "Missing", "Distinct", "Summary"], rows, numeric: [2, 3])
        body += "<div class=\"chart-grid\">\(charts)</div>"
        if let balance = profile.classBalance {
            body += "<figure>" + Chart.bars(id: "class-balance", title: "Class balance of \(balance.column)", xLabel: "class", yLabel: "rows",
                                             categories: balance.classes.map(\.label), series: [("rows", balance.classes.map { Double($0.count) })])
                + "</figure>"
        }
        return H.section("Profile", id: "profile", "<div id=\"profile\">\(body)</div>")
    }

    static func qualitySection(_ quality: QualityReport) -> String {
        let issues = quality.issues.map { issue in
            "<tr>" + H.td(H.badge("\(issue.severity)"), raw: true) + H.td(issue.column ?? "–") + H.td(issue.message) + "</tr>"
        }
        let body = H.facts([
            ("Rows with a missing value", "\(quality.rowsWithMissing) of \(quality.rowCount)"),
            ("Duplicate rows", "\(quality.duplicateRowCount)"),
            ("Type errors", "\(quality.typeErrors.reduce(0) { $0 + $1.count })"),
            ("Outliers", "\(quality.outliers.reduce(0) { $0 + $1.count })"),
        ]) + H.table(id: "quality-issues", ["Severity", "Column", "Finding"], issues, empty: "No quality issues found.")
        return H.section("Data quality", id: "quality", "<div id=\"quality\">\(body)</div>")
    }

    static func cleaningSection(_ profile: TableProfile, dataset: KouziPlatform.Dataset, version: DatasetVersion, view: ConsoleView) -> String {
        let columns = profile.columns.map(\.name)
        let numeric = profile.columns.filter { $0.numeric != nil }.map(\.name)
        let url = "\(view.api)/datasets/\(dataset.id)/versions/\(version.number)"
        return H.section("Clean", id: "clean", """
            <form id="clean-form" class="card" data-clean="\(url)" data-redirect="\(view.base)/datasets/\(dataset.id)?version={number}" novalidate>
            <p class="hint">Add steps; each runs on the output of the one before. <em>Preview</em> shows the first rows and what each step changed;
            <em>Save as new version</em> writes v\(dataset.latestVersion + 1) derived from v\(version.number).</p>
            \(embeddedJSON("clean-columns", ["all": columns, "numeric": numeric]))
            <ol id="clean-steps"></ol>
            <div class="row"><label for="clean-op">Step</label>\(H.select("clean-op", name: "op", options: [
                ("dropMissing", "Drop rows with missing values"), ("impute", "Fill missing values"), ("dropDuplicates", "Drop duplicate rows"),
                ("clip", "Clip to quantiles 1 %–99 %"), ("standardize", "Standardise (z-score)"), ("normalize", "Normalise to [0, 1]"),
                ("dropColumns", "Drop columns")]))
            <button type="button" id="clean-add" class="secondary">Add step</button></div>
            <p class="form-error" id="clean-form-error" role="alert"></p>
            <div class="row"><button type="button" id="clean-preview-button" class="secondary">Preview</button>
            <button type="submit" id="clean-submit">Save as new version</button></div>
            <div id="clean-preview" aria-live="polite"></div></form>
            """)
    }

}

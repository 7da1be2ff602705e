import Foundation
import Hummingbird
import KouziNN
import KouziPlatform
import KouziTraining

/// Models: the registry's models, a model's versions with metrics, lineage and aliases, and a version's
/// evaluation reports (confusion matrix heat map, ROC curves) and column importances (``ConsoleImportances``).
enum ConsoleModels {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        ConsoleRoutes.page(router, "/models", platform: platform) { _, _, view in
            let models = try await platform.models.list(view.principal, projectID: view.project.id, limit: 500)
            let rows = models.map { m in
                "<tr>" + H.td(H.link("\(view.base)/models/\(m.id)", m.name, cls: "model-link"), raw: true)
                    + H.td("v\(m.latestVersion)", numeric: true)
                    + H.td(m.aliases.sorted { $0.key < $1.key }.map { "\($0.key) → v\($0.value)" }.joined(separator: ", "))
                    + H.td(m.description) + H.td(Format.time(m.createdAt)) + "</tr>"
            }
            return ConsolePage(title: "Models", kind: "models", section: "models",
                               body: H.table(id: "models", ["Model", "Latest", "Aliases", "Description", "Created (UTC)"], rows,
                                             numeric: [1], empty: "No models yet. A training job with a model name registers one."))
        }
        ConsoleRoutes.page(router, "/models/{model}", platform: platform) { _, context, view in
            let id = try context.id("model")
            let model = try await platform.models.get(view.principal, projectID: view.project.id, modelID: id)
            let versions = try await platform.models.versions(view.principal, projectID: view.project.id, modelID: id)
            let importances = try await platform.jobs.importances(view.principal, projectID: view.project.id, modelID: id)
            return ConsolePage(title: "Model \(model.name)", kind: "model", section: "models",
                               body: modelBody(model, versions: versions, importances: importances, view: view))
        }
        ConsoleRoutes.page(router, "/models/{model}/versions/{version}", platform: platform) { _, context, view in
            let id = try context.id("model")
            let model = try await platform.models.get(view.principal, projectID: view.project.id, modelID: id)
            let version = try await platform.models.version(view.principal, projectID: view.project.id, modelID: id,
                                                              reference: try context.text("version"))
            let evaluations = try await platform.jobs.evaluations(view.principal, projectID: view.project.id, modelID: id, limit: 100)
                .filter { $0.modelVersion == version.number }
            let datasets = try await platform.datasets.list(view.principal, projectID: view.project.id, limit: 500)
            let importances = try await platform.jobs.importances(view.principal, projectID: view.project.id, modelID: id)
            let trained = await ConsoleImportances.trainingData(view, version: version)
            var explained = ""
            if ConsoleImportances.isTable(version, trained: trained, templates: platform.jobs.templates)
                || importances.versions.contains(where: { $0.version == version.number }) {
                let options = view.canEdit ? await ConsoleImportances.candidates(view, datasets: datasets, version: version, trained: trained) : []
                explained = ConsoleImportances.section(importances, model: model, version: version, trained: trained,
                                                       names: Dictionary(datasets.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                                                       options: options, view: view)
            }
            return ConsolePage(title: "\(model.name) v\(version.number)", kind: "model-version", section: "models",
                               body: versionBody(model, version, evaluations: evaluations, datasets: view.canEdit ? datasets : [],
                                                 importances: explained, view: view))
        }
    }

    /// The metric names worth a column: those most versions have, accuracy-like first.
    static func metricColumns(_ versions: [ModelVersion]) -> [String] {
        var counts: [String: Int] = [:]
        for v in versions { for k in v.metrics.keys { counts[k, default: 0] += 1 } }
        let preferred = ["test_accuracy", "accuracy", "val_accuracy", "f1_macro", "roc_auc", "holdout_rmse", "rmse", "val_loss"]
        let common = counts.filter { $0.value * 2 >= versions.count }.keys
        return (preferred.filter(common.contains) + common.filter { !preferred.contains($0) }.sorted()).prefix(4).map { $0 }
    }

    static func modelBody(_ model: RegisteredModel, versions: [ModelVersion], importances: ModelImportances, view: ConsoleView) -> String {
        let columns = metricColumns(versions)
        let rows = versions.sorted { $0.number > $1.number }.map { v -> String in
            var lineage: [String] = []
            if let d = v.lineage.datasetID { lineage.append(H.link("\(view.base)/datasets/\(d)?version=\(v.lineage.datasetVersion ?? 1)", "data \(d) v\(v.lineage.datasetVersion ?? 1)")) }
            if let job = v.tags["kouzi.job"] { lineage.append(H.link("\(view.base)/jobs/\(job)", "job \(job)")) }
            return "<tr class=\"version-row\" data-version=\"\(v.number)\">"
                + H.td(H.link("\(view.base)/models/\(model.id)/versions/\(v.number)", "v\(v.number)", cls: "version-link"), raw: true)
                + H.td(v.aliases.sorted().map { H.badge($0) }.joined(separator: " "), raw: true)
                + columns.map { H.td(Format.number(v.metrics[$0]), numeric: true) }.joined()
                + H.td(lineage.joined(separator: " · "), raw: true) + H.td(Format.bytes(Double(v.size)), numeric: true)
                + H.td(Format.time(v.createdAt)) + "</tr>"
        }
        var body = H.facts([("Description", esc(model.description.isEmpty ? "–" : model.description)),
                            ("Versions", "\(versions.count)"),
                            ("Aliases", esc(model.aliases.sorted { $0.key < $1.key }.map { "\($0.key) → v\($0.value)" }.joined(separator: ", ").ifEmpty("none")))])
        if let key = columns.first, versions.count > 1 {
            let points = versions.compactMap { v in v.metrics[key].map { (Double(v.number), $0) } }
            body += "<figure>" + Chart.line(id: "version-metric", title: "\(key) by version", xLabel: "version", yLabel: key,
                                            series: [Chart.Series(name: key, points: points)], width: 640, height: 240) + "</figure>"
        }
        body += H.section("Versions", id: "versions", H.table(id: "versions", ["Version", "Aliases"] + columns + ["Lineage", "Size", "Created (UTC)"],
                                                             rows, numeric: Set(2..<(2 + columns.count)).union([3 + columns.count])))
        body += ConsoleImportances.modelSection(importances, model: model, view: view)
        if view.canEdit, let latest = versions.map(\.number).max() {
            let versionOptions = versions.sorted { $0.number > $1.number }.map { ("\($0.number)", "v\($0.number)") }
            body += "<div class=\"columns\">" + H.section("Move an alias", id: "alias", """
                <form id="alias-form" class="card" data-api="\(view.api)/models/\(model.id)/aliases/{alias}" data-method="PUT" data-reload novalidate>
                \(H.field("alias-name", label: "Alias", control: "<input id=\"alias-name\" name=\"alias\" data-field=\"alias\" data-path required pattern=\"[A-Za-z][A-Za-z0-9_\\-]*\" placeholder=\"e.g. production\">"))
                \(H.field("alias-version", label: "Version", control: H.select("alias-version", name: "version", options: versionOptions, extra: "data-type=\"int\"")))
                <p class="form-error" id="alias-form-error" role="alert"></p><button id="alias-submit" type="submit">Set alias</button></form>
                """) + H.section("Deploy", id: "deploy", """
                <form id="deploy-form" class="card" data-api="\(view.api)/deployments" data-redirect="\(view.base)/deployments/{name}" novalidate>
                <input type="hidden" name="model" data-field="model" data-type="int" value="\(model.id)">
                \(H.field("deploy-name", label: "Endpoint name", control: "<input id=\"deploy-name\" name=\"name\" data-field=\"name\" required pattern=\"[a-z0-9][a-z0-9\\-]*\" maxlength=\"63\" placeholder=\"lower-case, digits, -\">"))
                \(H.field("deploy-version", label: "Version or alias", control: H.select("deploy-version", name: "version",
                    options: versionOptions + model.aliases.keys.sorted().map { ($0, "alias \($0)") }, selected: "\(latest)")))
                <p class="form-error" id="deploy-form-error" role="alert"></p><button id="deploy-submit" type="submit">Deploy</button></form>
                """) + "</div>"
        }
        return body
    }

    /// `importances` is the rendered column-importances section (empty for models without one).
    static func versionBody(_ model: RegisteredModel, _ version: ModelVersion, evaluations: [KouziPlatform.Evaluation], datasets: [KouziPlatform.Dataset],
                            importances: String, view: ConsoleView) -> String {
        var facts: [(String, String)] = [
            ("Model", H.link("\(view.base)/models/\(model.id)", model.name)),
            ("Aliases", esc(version.aliases.joined(separator: ", ").ifEmpty("none"))),
            ("Package", "\(Format.bytes(Double(version.size))) · sha256 <code>\(esc(String(version.packageSHA256.prefix(16))))</code>"),
            ("Created", Format.time(version.createdAt)),
        ]
        if let d = version.lineage.datasetID {
            facts.append(("Trained on", H.link("\(view.base)/datasets/\(d)?version=\(version.lineage.datasetVersion ?? 1)", "dataset \(d) v\(version.lineage.datasetVersion ?? 1)")))
        }
        if let job = version.tags["kouzi.job"] { facts.append(("Job", H.link("\(view.base)/jobs/\(job)", "job \(job)"))) }
        if version.tags["source_format"] == "onnx" { facts.append(("Uploaded as", "ONNX model")) }
        if !version.packageSHA256.isEmpty {
            let download = "\(view.api)/models/\(model.id)/versions/\(version.number)/download"
            facts.append(("Download", H.link(download, ".kouzi package", cls: "download-package") + " · "
                + H.link(download + "?format=onnx", "ONNX", cls: "download-onnx")))
        }
        var body = H.facts(facts, id: "version-facts")
        let metricRows = version.metrics.sorted { $0.key < $1.key }.map { "<tr>" + H.td($0.key) + H.td(Format.number($0.value), numeric: true) + "</tr>" }
        body += H.section("Metrics", id: "metrics", H.table(id: "version-metrics", ["Metric", "Value"], metricRows, numeric: [1]))
        if let evaluation = evaluations.max(by: { $0.createdAt < $1.createdAt }) {
            body += evaluationSection(evaluation, view: view)
        } else {
            body += H.section("Evaluation", id: "evaluation", "<p class=\"empty\" id=\"no-evaluation\">No evaluation of this version yet.</p>")
        }
        if evaluations.count > 1 {
            let rows = evaluations.map { e in
                "<tr>" + H.td("#\(e.id)") + H.td("dataset \(e.dataset.id) v\(e.dataset.version)")
                    + H.td(e.metrics.sorted { $0.key < $1.key }.prefix(4).map { "\($0.key) \(Format.number($0.value))" }.joined(separator: " · "))
                    + H.td(Format.time(e.createdAt)) + "</tr>"
            }
            body += H.section("All evaluations", id: "evaluations", H.table(["Evaluation", "Data", "Metrics", "When (UTC)"], rows))
        }
        body += importances
        if view.canEdit && !datasets.isEmpty {
            var options: [(String, String)] = []
            for d in datasets { options.append(("\(d.id):\(d.latestVersion)", "\(d.name) v\(d.latestVersion)")) }
            body += H.section("Evaluate", id: "evaluate", """
                <form id="evaluate-form" class="card" data-api="\(view.api)/evaluations" data-redirect="\(view.base)/jobs/{id}" data-build="evaluate" novalidate>
                <input type="hidden" name="model" data-field="model" data-type="int" value="\(model.id)">
                <input type="hidden" name="version" data-field="version" value="\(version.number)">
                \(H.field("evaluate-dataset", label: "Labelled data", control: H.select("evaluate-dataset", name: "evaluation-data", field: "dataset", options: options)))
                <p class="form-error" id="evaluate-form-error" role="alert"></p><button id="evaluate-submit" type="submit">Evaluate</button></form>
                """)
        }
        body += H.section("Signature", id: "signature", "<pre class=\"json\">\(esc(ConsoleTraining.pretty(version.signature)))</pre>")
        return body
    }

    static func evaluationSection(_ e: KouziPlatform.Evaluation, view: ConsoleView) -> String {
        let report = e.report
        var body = "<p>Evaluation #\(e.id) on dataset \(e.dataset.id) v\(e.dataset.version): \(report.examples) examples, "
            + report.metrics.sorted { $0.key < $1.key }.map { "\(esc($0.key)) <strong>\(Format.number($0.value))</strong>" }.joined(separator: " · ") + ".</p>"
        if let classes = report.classes, let matrix = report.confusionMatrix {
            body += "<figure>" + Chart.heatMap(id: "confusion", classes: classes, matrix: matrix) + "</figure>"
        }
        if let curves = report.rocCurves, !curves.isEmpty {
            let series = curves.prefix(10).map { c in
                Chart.Series(name: "\(c.label) (AUC \(Format.number(c.auc, digits: 3)))", points: zip(c.falsePositiveRate, c.truePositiveRate).map { ($0, $1) })
            }
            body += "<figure>" + Chart.line(id: "roc", title: "ROC curves (one class against the rest)", xLabel: "false-positive rate",
                                            yLabel: "true-positive rate", series: Array(series), yRange: (0, 1), xRange: (0, 1),
                                            markers: false, diagonal: true, width: 520, height: 420) + "</figure>"
        }
        if let perClass = report.perClass {
            let rows = perClass.map { c in
                "<tr>" + H.td(c.label) + H.td(Format.number(c.precision), numeric: true) + H.td(Format.number(c.recall), numeric: true)
                    + H.td(Format.number(c.f1), numeric: true) + H.td("\(c.support)", numeric: true) + "</tr>"
            }
            body += H.table(id: "per-class", ["Class", "Precision", "Recall", "F1", "Support"], rows, numeric: [1, 2, 3, 4])
        }
        return H.section("Evaluation", id: "evaluation", body)
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

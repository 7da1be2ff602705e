import Foundation
import KouziBase
import KouziPlatform
import KouziTasks
import KouziTraining

/// Column importances of table model versions: a version's importances as bars with their 95 % intervals, a
/// comparison of the measured versions (column × version), and the form that queues an explanation job.
enum ConsoleImportances {
    /// The most versions the comparison shows (the newest).
    static let comparedVersions = 8
    /// The most datasets (the newest) whose latest version the form looks at.
    static let candidateDatasets = 40

    /// The dataset version a model version was trained on, where its lineage names one that still exists.
    static func trainingData(_ view: ConsoleView, version: ModelVersion) async -> DatasetVersion? {
        guard let id = version.lineage.datasetID, let number = version.lineage.datasetVersion else { return nil }
        return try? await view.platform.datasets.version(view.principal, projectID: view.project.id, datasetID: id, number: number)
    }

    /// Whether a version is a table model (the only kind explanation jobs measure): trained on a table by a template
    /// that reads its columns (not one text column) to classify or predict a number.
    static func isTable(_ version: ModelVersion, trained: DatasetVersion?, templates: [AlgorithmTemplate]) -> Bool {
        guard trained?.kind == "table", let id = version.tags["kouzi.template"],
              let template = templates.first(where: { $0.id == id }) else { return false }
        return !template.readsText && [TaskKind.classification, .regression].contains(template.task)
    }

    /// The column names of a table version.
    static func columns(_ version: DatasetVersion) -> [String] {
        (version.summary["columns"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// The labelled table dataset versions a version's importances can be measured on: the latest version of each of
    /// the newest datasets, and the version the model was trained on, where the table has every column of the training
    /// data (the label among them). Values are `id:version`; the training data comes last and says so.
    static func candidates(_ view: ConsoleView, datasets: [KouziPlatform.Dataset], version: ModelVersion,
                           trained: DatasetVersion?) async -> [(String, String)] {
        let needed = Set(trained.map(columns) ?? [])
        var references = datasets.suffix(candidateDatasets).filter { $0.latestVersion > 0 }.map { ($0, $0.latestVersion) }
        if let trained, let dataset = datasets.first(where: { $0.id == trained.datasetID }),
           !references.contains(where: { $0.0.id == trained.datasetID && $0.1 == trained.number }) {
            references.append((dataset, trained.number))
        }
        var fitting: [(String, String)] = [], training: [(String, String)] = []
        for (dataset, number) in references {
            guard let v = try? await view.platform.datasets.version(view.principal, projectID: view.project.id, datasetID: dataset.id, number: number),
                  v.kind == "table", needed.isSubset(of: Set(columns(v))), !needed.isEmpty || v.summary["target"] != nil else { continue }
            let isTraining = dataset.id == trained?.datasetID && number == trained?.number
            let text = "\(dataset.name) v\(number) (\(v.rowCount) rows)" + (isTraining ? " · trained on it" : "")
            if isTraining { training.append(("\(dataset.id):\(number)", text)) } else { fitting.append(("\(dataset.id):\(number)", text)) }
        }
        return fitting + training
    }

    /// The version page's section: the version's importances (or a note that there are none), the comparison of the
    /// measured versions, and for editors the form to measure them again.
    static func section(_ importances: ModelImportances, model: RegisteredModel, version: ModelVersion, trained: DatasetVersion?,
                        names: [Int64: String], options: [(String, String)], view: ConsoleView) -> String {
        var body = "<p class=\"hint\">How much the model's score drops when one column's values are shuffled across the rows "
            + "(permutation importance): the bar is the mean drop over the shuffles, the whisker its 95 % interval. "
            + "A column whose interval reaches 0 may not matter to this version.</p>"
        if let measured = importances.versions.first(where: { $0.version == version.number }) {
            body += measuredPart(measured, names: names, view: view)
        } else {
            body += "<p class=\"empty\" id=\"no-importances\">No column importances measured for v\(version.number) yet"
                + (view.canEdit ? "; measure them on labelled data below." : ".") + "</p>"
        }
        if !importances.versions.isEmpty {
            body += "<h3 id=\"importances-compare-title\">Across versions</h3>"
                + comparison(importances, model: model, current: version.number, view: view)
        }
        if view.canEdit {
            body += form(model: model, version: version, trained: trained, options: options, view: view)
        }
        return H.section("Column importances", id: "importances", body)
    }

    static func measuredPart(_ m: ModelImportances.Version, names: [Int64: String], view: ConsoleView) -> String {
        let data = names[m.dataset.id].map { "\($0) v\(m.dataset.version)" } ?? "dataset \(m.dataset.id) v\(m.dataset.version)"
        var html = H.facts([
            ("Score", "\(esc(m.metric)) <strong>\(esc(Format.number(m.baseline)))</strong> on the intact rows"),
            ("Data", H.link("\(view.base)/datasets/\(m.dataset.id)?version=\(m.dataset.version)", data)),
            ("Rows × shuffles", "\(m.rows) × \(m.repeats) per column"),
            ("Job", H.link("\(view.base)/jobs/\(m.jobID)", "job \(m.jobID)") + " · " + esc(Format.time(m.finishedAt))),
        ], id: "importances-facts")
        let rows = m.columns.sorted { ($0.mean, $1.name) > ($1.mean, $0.name) }.map {
            Chart.Estimate(label: $0.name, value: $0.mean, lower: $0.lower, upper: $0.upper)
        }
        html += "<figure>" + Chart.intervals(id: "importances-chart", title: "Drop of \(m.metric) when a column is shuffled",
                                             xLabel: "drop of \(m.metric) (higher: the column matters more)", rows: rows) + "</figure>"
        return html
    }

    /// Columns × measured versions (newest first): each cell the mean drop, ± half its 95 % interval; the first row the
    /// score on the intact rows. Columns follow their importance in the version shown (else the newest).
    static func comparison(_ importances: ModelImportances, model: RegisteredModel, current: Int64?, view: ConsoleView) -> String {
        let versions = Array(importances.versions.sorted { $0.version > $1.version }.prefix(comparedVersions))
        guard let reference = versions.first(where: { $0.version == current }) ?? versions.first else { return "" }
        var order = reference.columns.sorted { ($0.mean, $1.name) > ($1.mean, $0.name) }.map(\.name)
        for v in versions { for c in v.columns where !order.contains(c.name) { order.append(c.name) } }
        let marked = { (v: ModelImportances.Version) in v.version == current ? " class=\"num current\"" : " class=\"num\"" }
        var html = "<div class=\"table-wrap\"><table id=\"importances-compare\"><caption>Drop of the score when a column is shuffled, "
            + "by version (± half the 95 % interval)</caption><thead><tr><th scope=\"col\">Column</th>"
        for v in versions {
            html += "<th scope=\"col\"\(marked(v)) data-version=\"\(v.version)\">"
                + H.link("\(view.base)/models/\(model.id)/versions/\(v.version)", "v\(v.version)") + "</th>"
        }
        html += "</tr></thead><tbody><tr class=\"baseline\"><th scope=\"row\">score on the intact rows</th>"
        for v in versions {
            html += "<td\(marked(v)) title=\"\(esc("\(v.metric) on dataset \(v.dataset.id) v\(v.dataset.version), \(v.rows) rows"))\">"
                + "\(esc(v.metric)) \(esc(Format.number(v.baseline)))</td>"
        }
        html += "</tr>"
        for name in order {
            html += "<tr data-column=\"\(esc(name))\"><th scope=\"row\">\(esc(name))</th>"
            for v in versions {
                guard let c = v.columns.first(where: { $0.name == name }) else { html += "<td\(marked(v))>–</td>"; continue }
                let rank = (v.columns.filter { $0.mean > c.mean }.count) + 1
                html += "<td\(marked(v)) data-mean=\"\(c.mean)\" title=\"\(esc("rank \(rank) of \(v.columns.count); 95 % interval \(Format.number(c.lower)) to \(Format.number(c.upper))"))\">"
                    + "\(esc(Format.number(c.mean, digits: 3))) <span class=\"hint\">± \(esc(Format.number((c.upper - c.lower) / 2, digits: 2)))</span></td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// The model page's section: the comparison, when any version was measured.
    static func modelSection(_ importances: ModelImportances, model: RegisteredModel, view: ConsoleView) -> String {
        guard !importances.versions.isEmpty else { return "" }
        return H.section("Column importances by version", id: "importances",
                         "<p class=\"hint\">Measured by explanation jobs (a version's page starts one); each version's latest.</p>"
                         + comparison(importances, model: model, current: nil, view: view))
    }

    static func form(model: RegisteredModel, version: ModelVersion, trained: DatasetVersion?, options: [(String, String)], view: ConsoleView) -> String {
        guard !options.isEmpty else {
            return "<p class=\"hint\" id=\"explain-no-data\">To measure column importances, upload a labelled table with "
                + (trained.map { "the columns " + esc(columns($0).joined(separator: ", ")) } ?? "the columns the model was trained on") + ".</p>"
        }
        let repeats = ExplanationSubmission.repeatRange, rows = ExplanationSubmission.rowRange
        return """
            <form id="explain-form" class="card" data-api="\(view.api)/explanations" data-redirect="\(view.base)/jobs/{id}" data-build="evaluate" novalidate>
            <h3 id="explain-form-title">Measure column importances</h3>
            <input type="hidden" name="model" data-field="model" data-type="int" value="\(model.id)">
            <input type="hidden" name="version" data-field="version" value="\(version.number)">
            <div class="row">\(H.field("explain-dataset", label: "Labelled data", control: H.select("explain-dataset", name: "explain-data", field: "dataset", options: options,
                                                                                                      extra: "aria-describedby=\"explain-dataset-hint\""),
                      hint: "tables with the columns the model was trained on"))
            \(H.field("explain-repeats", label: "Shuffles per column", control: "<input id=\"explain-repeats\" name=\"repeats\" data-field=\"repeats\" data-type=\"int\" type=\"number\" min=\"\(repeats.lowerBound)\" max=\"\(repeats.upperBound)\" step=\"1\" value=\"5\" required aria-describedby=\"explain-repeats-hint\">",
                      hint: "\(repeats.lowerBound)–\(repeats.upperBound); more give narrower intervals"))
            \(H.field("explain-rows", label: "Rows at most", control: "<input id=\"explain-rows\" name=\"maxRows\" data-field=\"maxRows\" data-type=\"int\" type=\"number\" min=\"\(rows.lowerBound)\" max=\"\(rows.upperBound)\" step=\"1\" placeholder=\"\(SupervisedModel.importanceRows)\" aria-describedby=\"explain-rows-hint\">",
                      hint: "an even sample of a larger table (\(rows.lowerBound)–\(rows.upperBound))"))</div>
            <p class="form-error" id="explain-form-error" role="alert"></p><button id="explain-submit" type="submit">Measure importances</button></form>
            """
    }
}

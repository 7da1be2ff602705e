import KouziBase
import Foundation
import Hummingbird
import KouziNN
import KouziPlatform
import KouziTraining

/// Training: a job form built from the templates' hyper-parameters, the jobs, one job's live curves and logs,
/// and runs compared side by side.
enum ConsoleTraining {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        ConsoleRoutes.page(router, "/training", platform: platform) { request, _, view in
            let jobs = try await platform.jobs.list(view.principal, projectID: view.project.id, limit: 200, offset: 0)
            let datasets = try await platform.datasets.list(view.principal, projectID: view.project.id, limit: 500)
            var body = ""
            if view.canEdit {
                body += trainForm(view, datasets: datasets, templates: platform.jobs.templates,
                                  preselect: request.uri.queryParameters.get("dataset"))
            }
            body += H.section("Jobs", id: "jobs", jobTable(jobs, names: Dictionary(datasets.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), view: view))
            return ConsolePage(title: "Training", kind: "training", section: "training", body: body)
        }
        ConsoleRoutes.page(router, "/jobs/{job}", platform: platform) { _, context, view in
            let job = try await platform.jobs.get(view.principal, projectID: view.project.id, jobID: try context.id("job"))
            return ConsolePage(title: "Job \(job.id)", kind: "job", section: "training", body: try await jobBody(job, view: view))
        }
        ConsoleRoutes.page(router, "/compare", platform: platform) { request, _, view in
            let ids = (request.uri.queryParameters.get("jobs") ?? "").split(separator: ",").compactMap { Int64($0) }
            guard (1...8).contains(ids.count) else {
                throw PlatformError.invalid("jobs", "choose between 1 and 8 jobs to compare (got \(ids.count))")
            }
            var jobs: [(Job, [String: [MetricPoint]])] = []
            for id in ids {
                let job = try await platform.jobs.get(view.principal, projectID: view.project.id, jobID: id)
                jobs.append((job, try await platform.jobs.history(view.principal, projectID: view.project.id, jobID: id)))
            }
            return ConsolePage(title: "Compare jobs \(ids.map(String.init).joined(separator: ", "))", kind: "compare",
                               section: "training", body: compareBody(jobs, view: view))
        }
        // The job's curves alone, fetched by the job page's script whenever the job reports progress.
        router.get("/p/{project}/jobs/{job}/curves") { request, context -> Response in
            let principal = try await authenticate(request, accounts: platform.accounts)
            let projectID = try context.id("project"), jobID = try context.id("job")
            _ = try await platform.jobs.get(principal, projectID: projectID, jobID: jobID)
            let history = try await platform.jobs.history(principal, projectID: projectID, jobID: jobID)
            return ConsoleRoutes.html(curves(history))
        }
    }

    static func trainForm(_ view: ConsoleView, datasets: [KouziPlatform.Dataset], templates: [AlgorithmTemplate], preselect: String?) -> String {
        var options: [(String, String)] = []
        for d in datasets {
            for v in stride(from: d.latestVersion, through: max(1, d.latestVersion - 4), by: -1) {
                options.append(("\(d.id):\(v)", "\(d.name) v\(v)"))
            }
        }
        let templateOptions = templates.map { ($0.id, "\($0.title) (\($0.id))") }
        return H.section("Start a training job", id: "train", """
            <form id="train-form" class="card" data-api="\(view.api)/jobs" data-redirect="\(view.base)/jobs/{id}" data-build="train" novalidate>
            \(embeddedJSON("templates-data", templates))
            <div class="row">\(H.field("train-template", label: "Template", control: H.select("train-template", name: "template", options: templateOptions)))
            \(H.field("train-dataset", label: "Training data", control: H.select("train-dataset", name: "train-data", field: "dataset", options: [("", "choose a dataset version")] + options,
                                                                                  selected: preselect, extra: "required")))
            \(H.field("train-test", label: "Test data (optional)", control: H.select("train-test", name: "test-data", field: "test", options: [("", "none: hold out part of the training data")] + options)))
            \(H.field("train-target", label: "Label column", control: "<input id=\"train-target\" name=\"target\" data-field=\"target\" placeholder=\"tables: e.g. label\">"))
            \(H.field("train-text", label: "Text column", control: "<input id=\"train-text\" name=\"textColumn\" data-field=\"textColumn\" placeholder=\"text templates: e.g. sentence\">"))
            \(H.field("train-model", label: "Register as model", control: "<input id=\"train-model\" name=\"model\" data-field=\"model\" maxlength=\"200\" placeholder=\"model name (optional)\">"))
            \(H.field("train-seed", label: "Seed", control: "<input id=\"train-seed\" name=\"seed\" data-field=\"seed\" type=\"number\" min=\"0\" step=\"1\" value=\"42\">"))</div>
            <p class="hint" id="template-summary"></p>
            <fieldset><legend>Hyper-parameters</legend><div id="hp-fields" class="row"></div></fieldset>
            <p class="form-error" id="train-form-error" role="alert"></p>
            <button id="train-submit" type="submit">Start training</button></form>
            """)
    }

    static func jobTable(_ jobs: [Job], names: [Int64: String], view: ConsoleView) -> String {
        let rows = jobs.map { job -> String in
            let template = job.request.objectValue?["template"]?.stringValue ?? job.kind.rawValue
            let model = job.modelName.map { name in job.modelVersion.map { "\(name) v\($0)" } ?? name } ?? "–"
            let score = headline(job.result)
            let duration = job.startedAt.map { start in Format.duration(Double((job.finishedAt ?? Clock.nowMillis()) - start) / 1000) } ?? "–"
            return "<tr class=\"job-row\" data-job=\"\(job.id)\"><td><input type=\"checkbox\" class=\"compare-box\" value=\"\(job.id)\" aria-label=\"Compare job \(job.id)\"></td>"
                + H.td(H.link("\(view.base)/jobs/\(job.id)", "#\(job.id)", cls: "job-link"), raw: true) + H.td(job.kind.rawValue)
                + H.td(H.badge(job.state.rawValue), raw: true) + H.td(template) + H.td("\(names[job.dataset.id] ?? "dataset \(job.dataset.id)") v\(job.dataset.version)")
                + H.td(model) + H.td(score) + H.td(duration, numeric: true) + H.td(Format.time(job.createdAt)) + "</tr>"
        }
        return "<div class=\"toolbar\"><button type=\"button\" id=\"compare-button\" class=\"secondary\" data-compare=\"\(view.base)/compare\">Compare selected</button>"
            + "<span class=\"form-error\" id=\"compare-error\" role=\"alert\"></span></div>"
            + H.table(id: "jobs", ["", "Job", "Kind", "State", "Template", "Data", "Model", "Result", "Took", "Created (UTC)"], rows,
                      numeric: [8], empty: "No jobs yet.")
    }

    /// The headline result of a finished job: its test or validation accuracy, or loss.
    static func headline(_ result: JSONValue?) -> String {
        guard let metrics = result?.objectValue?["metrics"]?.objectValue ?? result?.objectValue else { return "–" }
        for key in ["test_accuracy", "accuracy", "val_accuracy", "holdout_rmse", "test_rmse", "rmse", "val_loss", "loss"] {
            if let v = metrics[key]?.doubleValue { return "\(key) \(Format.number(v))" }
        }
        return "–"
    }

    static func curves(_ history: [String: [MetricPoint]]) -> String {
        let keys = history.keys.sorted()
        let lossKeys = keys.filter { $0.contains("loss") && (history[$0]?.count ?? 0) > 0 }
        let metricKeys = keys.filter { !$0.contains("loss") && $0 != "lr" && (history[$0]?.count ?? 0) > 1 }
        let rates = history["lr"] ?? []
        let series = { (names: [String]) in
            names.map { key in Chart.Series(name: key, points: (history[key] ?? []).map { (Double($0.step), $0.value) },
                                            dashed: key.hasPrefix("val_")) }
        }
        var html = Chart.line(id: "live-curve", title: "Loss per epoch", xLabel: "epoch", yLabel: "loss", series: series(lossKeys))
        if !metricKeys.isEmpty {
            html += Chart.line(id: "metric-curve", title: "Metrics per epoch", xLabel: "epoch", yLabel: "value", series: series(metricKeys))
        }
        if Set(rates.map(\.value)).count > 1 {
            html += Chart.line(id: "rate-curve", title: "Learning rate per epoch", xLabel: "epoch", yLabel: "learning rate",
                               series: series(["lr"]))
        }
        return html
    }

    static func jobBody(_ job: Job, view: ConsoleView) async throws -> String {
        let history = try await view.platform.jobs.history(view.principal, projectID: view.project.id, jobID: job.id)
        let logs = try await view.platform.jobs.logs(view.principal, projectID: view.project.id, jobID: job.id, after: 0, limit: 1000)
        var progress = "–"
        if let p = job.progress?.objectValue, let epoch = p["epoch"]?.doubleValue, let epochs = p["epochs"]?.doubleValue {
            let eta = job.state == .running ? p["etaSeconds"]?.doubleValue.map { ", about \(Format.duration($0)) left" } : nil
            progress = "epoch \(Int(epoch)) of \(Int(epochs))" + (eta ?? "")
        }
        var facts: [(String, String)] = [
            ("State", "<span id=\"job-state\">\(esc(job.state.rawValue))</span>"),
            ("Progress", "<span id=\"job-progress\">\(esc(progress))</span>"),
            ("Kind", esc(job.kind.rawValue)),
            ("Data", H.link("\(view.base)/datasets/\(job.dataset.id)?version=\(job.dataset.version)", "dataset \(job.dataset.id) v\(job.dataset.version)")),
            ("Attempts", "\(job.attempts) of \(job.maxAttempts)"),
            ("Created", Format.time(job.createdAt)),
        ]
        if let id = job.modelID, let v = job.modelVersion {
            facts.append(("Model", H.link("\(view.base)/models/\(id)/versions/\(v)", "\(job.modelName ?? "model") v\(v)")))
        }
        if let error = job.error { facts.append(("Error", "<span class=\"error-text\">\(esc(error))</span>")) }
        var body = H.facts(facts, id: "job-facts")
        if view.canEdit && !job.state.isFinished {
            body += "<form class=\"inline\" id=\"cancel-form\" data-api=\"\(view.api)/jobs/\(job.id)/cancel\" data-reload>"
                + "<button type=\"submit\" class=\"danger\" id=\"cancel-submit\">Cancel job</button><span class=\"form-error\" id=\"cancel-form-error\"></span></form>"
        }
        let events = job.state.isFinished ? "" : " data-events=\"\(view.api)/jobs/\(job.id)/events\" data-curves=\"\(view.base)/jobs/\(job.id)/curves\""
        body += H.section("Curves", id: "curves", "<div id=\"curves\" aria-live=\"polite\"\(events)>\(curves(history))</div>")
        if let result = job.result {
            body += H.section("Result", id: "result", "<pre class=\"json\" id=\"job-result\">\(esc(pretty(result)))</pre>")
        }
        body += H.section("Hyper-parameters and request", id: "request", "<pre class=\"json\">\(esc(pretty(job.request)))</pre>")
        let lines = logs.map { "[\(Format.time($0.at))] \($0.line)" }.joined(separator: "\n")
        body += H.section("Logs", id: "logs", "<pre id=\"logs\" class=\"logs\" tabindex=\"0\" data-last=\"\(logs.last?.seq ?? 0)\">\(esc(lines))</pre>")
        return body
    }

    static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "\(value)"
    }

    static func compareBody(_ jobs: [(Job, [String: [MetricPoint]])], view: ConsoleView) -> String {
        var body = ""
        let keys = Set(jobs.flatMap { _, history in history.keys.filter { (history[$0]?.count ?? 0) > 1 } }).sorted()
        var charts = ""
        for key in keys {
            let series = jobs.map { job, history in
                Chart.Series(name: "job \(job.id)", points: (history[key] ?? []).map { (Double($0.step), $0.value) })
            }
            charts += "<figure>" + Chart.line(title: key, xLabel: "epoch", yLabel: key, series: series, width: 520, height: 260) + "</figure>"
        }
        body += H.section("Curves overlaid", id: "overlay", charts.isEmpty ? "<p class=\"empty\">These jobs have no per-epoch metrics.</p>"
                          : "<div class=\"chart-grid wide\" id=\"compare-charts\">\(charts)</div>")
        // Settings side by side, differing ones first and marked.
        var settings: [[String: String]] = []
        for (job, _) in jobs {
            var flat: [String: String] = ["template": job.request.objectValue?["template"]?.stringValue ?? job.kind.rawValue,
                                          "data": "\(job.dataset.id) v\(job.dataset.version)", "state": job.state.rawValue]
            for (k, v) in job.request.objectValue?["hyperparameters"]?.objectValue ?? [:] { flat[k] = "\(v)" }
            if let seed = job.request.objectValue?["seed"] { flat["seed"] = "\(seed)" }
            for (k, v) in job.result?.objectValue?["metrics"]?.objectValue ?? job.result?.objectValue ?? [:] {
                if let number = v.doubleValue { flat["result: " + k] = Format.number(number) }
            }
            settings.append(flat)
        }
        let names = Set(settings.flatMap(\.keys))
        let differs = { (k: String) in Set(settings.map { $0[k] ?? "–" }).count > 1 }
        let ordered = names.sorted { (differs($0) ? 0 : 1, $0) < (differs($1) ? 0 : 1, $1) }
        let rows = ordered.map { k in
            "<tr class=\"\(differs(k) ? "differs" : "same")\">" + H.td(k) + settings.map { H.td($0[k] ?? "–") }.joined() + "</tr>"
        }
        body += H.section("Settings and results", id: "diff", "<p class=\"hint\">Rows that differ are marked and come first.</p>"
                          + H.table(id: "params-diff", ["Setting"] + jobs.map { "job \($0.0.id)" }, rows))
        return body
    }
}

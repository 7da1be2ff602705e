import Foundation
import Hummingbird
import KouziNN
import KouziPlatform

/// Deployments: their state, a panel to try one (predict, or explain the answer), the A/B split editor with per-variant live accuracy and its
/// interval, and promotion of a winner.
enum ConsoleDeployments {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        ConsoleRoutes.page(router, "/deployments", platform: platform) { _, _, view in
            let deployments = try await platform.deployments.list(view.principal, projectID: view.project.id)
            let models = try await platform.models.list(view.principal, projectID: view.project.id, limit: 500)
            let names = Dictionary(models.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let rows = deployments.map { d in
                "<tr data-deployment=\"\(esc(d.name))\">"
                    + H.td(H.link("\(view.base)/deployments/\(urlSegment(d.name))", d.name, cls: "deployment-link"), raw: true)
                    + H.td(H.badge(d.state ?? "unknown"), raw: true)
                    + H.td("\(names[d.modelID] ?? "model \(d.modelID)") v\(d.servingVersion ?? d.version)" + (d.alias.map { " (alias \($0))" } ?? ""))
                    + H.td((d.variants ?? []).map { "\($0.name) v\($0.version) \(Format.percent($0.weight / max((d.variants ?? []).filter { !$0.shadow }.reduce(0) { $0 + $1.weight }, 1e-12), digits: 0))\($0.shadow ? " shadow" : "")" }.joined(separator: ", ").ifEmpty("–"))
                    + H.td(H.link("\(view.base)/monitoring/\(urlSegment(d.name))", "monitoring"), raw: true)
                    + H.td(Format.time(d.updatedAt ?? d.createdAt)) + "</tr>"
            }
            return ConsolePage(title: "Deployments", kind: "deployments", section: "deployments",
                               body: H.table(id: "deployments", ["Endpoint", "State", "Serves", "Split", "", "Changed (UTC)"], rows,
                                             empty: "Nothing deployed yet. Deploy a version from its model's page."))
        }
        ConsoleRoutes.page(router, "/deployments/{deployment}", platform: platform) { _, context, view in
            let name = try context.text("deployment")
            let deployment = try await platform.deployments.get(view.principal, projectID: view.project.id, name: name)
            let model = try await platform.models.get(view.principal, projectID: view.project.id, modelID: deployment.modelID)
            let versions = try await platform.models.versions(view.principal, projectID: view.project.id, modelID: deployment.modelID)
            let stats = try await platform.deployments.splitStats(view.principal, projectID: view.project.id, name: name)
            return ConsolePage(title: "Deployment \(name)", kind: "deployment", section: "deployments",
                               body: body(deployment, model: model, versions: versions, stats: stats, view: view))
        }
    }

    static func body(_ d: Deployment, model: RegisteredModel, versions: [ModelVersion], stats: [VariantStats], view: ConsoleView) -> String {
        let serving = d.servingVersion ?? d.version
        let state = d.state ?? "unknown"
        var body = H.facts([
            ("State", "<span id=\"deployment-state\" data-state=\"\(esc(state))\">\(H.badge(state))</span>"),
            ("Model", H.link("\(view.base)/models/\(model.id)", model.name)),
            ("Serves", H.link("\(view.base)/models/\(model.id)/versions/\(serving)", "v\(serving)") + (d.alias.map { " (follows alias \(esc($0)))" } ?? "")),
            ("Endpoint", "<code>POST /v2/models/\(esc(d.name))/infer</code> · <code>…/explain</code>"),
            ("Monitoring", H.link("\(view.base)/monitoring/\(urlSegment(d.name))", "latency, errors and drift")),
        ] + (d.error.map { [("Last error", "<span class=\"error-text\">\(esc($0))</span>")] } ?? []), id: "deployment-facts")
        switch state {
        case "loading":
            body += "<p class=\"hint\" data-refresh=\"2\">Loading; this page refreshes until it is ready.</p>"
        case "idle", "unloaded":
            body += "<p class=\"hint\" id=\"deployment-idle\">Not loaded in this server process\(state == "unloaded" ? " any more (evicted to stay within the memory budget)" : " yet"): the first request loads it.</p>"
        default:
            break
        }
        let labels = versions.first { $0.number == serving }?.signature.objectValue?["classLabels"]?.arrayValue?.compactMap(\.stringValue) ?? []
        body += H.section("Try it", id: "try", """
            <form id="try-form" class="card" data-model="\(esc(d.name))" novalidate>
            \(embeddedJSON("try-labels", labels))
            <div id="try-fields" class="row"><p class="hint">Reading the model's inputs…</p></div>
            <p class="form-error" id="try-form-error" role="alert"></p>
            <div class="row"><button id="try-submit" type="submit">Predict</button>
            <button id="try-explain" type="button" class="secondary" aria-describedby="try-explain-hint">Explain</button>
            <small class="hint" id="try-explain-hint">Explain: what each column, word or pixel did to the answer (\(esc(explainHint)))</small></div></form>
            <div id="try-result" aria-live="polite"></div>
            <div id="try-explanation" aria-live="polite"></div>
            """)
        body += H.section("Variants", id: "variants", variantsTable(stats, view: view, deployment: d))
        if view.canEdit {
            body += splitEditor(d, versions: versions, view: view)
            body += H.section("Serve another version", id: "move", """
                <form id="move-form" class="card inline" data-api="\(view.api)/deployments/\(urlSegment(d.name))" data-method="PUT" data-reload novalidate>
                \(H.field("move-version", label: "Version or alias", control: H.select("move-version", name: "version",
                    options: versions.sorted { $0.number > $1.number }.map { ("\($0.number)", "v\($0.number)") } + model.aliases.keys.sorted().map { ($0, "alias \($0)") },
                    selected: "\(serving)")))
                <button id="move-submit" type="submit">Switch (no failed requests)</button>
                <p class="form-error" id="move-form-error" role="alert"></p></form>
                <form id="undeploy-form" class="inline" data-api="\(view.api)/deployments/\(urlSegment(d.name))" data-method="DELETE"
                 data-confirm="Undeploy \(esc(d.name))? Requests to it will fail." data-redirect="\(view.base)/deployments">
                <button id="undeploy-submit" type="submit" class="danger">Undeploy</button><span class="form-error" id="undeploy-form-error"></span></form>
                """)
        }
        return body
    }

    /// What the try-it panel's Explain button computes, per kind of model.
    static let explainHint = "Shapley values for tables and text, a heat map for images"

    static func variantsTable(_ stats: [VariantStats], view: ConsoleView, deployment: Deployment) -> String {
        guard !stats.isEmpty else { return "<p class=\"empty\" id=\"variants\">No split: every request goes to one version.</p>" }
        let total = max(stats.filter { !$0.shadow }.reduce(0) { $0 + $1.weight }, 1e-12)
        let lows = stats.compactMap(\.accuracyLow), highs = stats.compactMap(\.accuracyHigh)
        let axis = (max(0, floor(((lows.min() ?? 0) - 0.02) * 20) / 20), min(1, ceil(((highs.max() ?? 1) + 0.02) * 20) / 20))
        let rows = stats.map { s -> String in
            let interval = s.accuracyLow.map { low in "[\(Format.number(low, digits: 3)), \(Format.number(s.accuracyHigh ?? low, digits: 3))]" } ?? "–"
            var bar = ""
            if let a = s.accuracy, let lo = s.accuracyLow, let hi = s.accuracyHigh {
                // One axis for every variant, zoomed to their intervals so the overlap shows.
                let x = { (v: Double) in Chart.f((v - axis.0) / max(axis.1 - axis.0, 1e-9) * 100) }
                bar = "<svg class=\"ci\" viewBox=\"0 0 100 12\" role=\"img\" aria-label=\"accuracy \(Format.number(a, digits: 3)), 95 % interval \(interval) on an axis from \(Format.number(axis.0)) to \(Format.number(axis.1))\">"
                    + "<title>\(Format.number(axis.0)) … \(Format.number(axis.1))</title>"
                    + "<line x1=\"0\" x2=\"100\" y1=\"6\" y2=\"6\" class=\"ci-axis\"/><line x1=\"\(x(lo))\" x2=\"\(x(hi))\" y1=\"6\" y2=\"6\" class=\"ci-range\"/>"
                    + "<circle cx=\"\(x(a))\" cy=\"6\" r=\"3\" class=\"ci-point\"/></svg>"
            }
            let promote = view.canEdit && !s.shadow
                ? "<form class=\"inline\" data-api=\"\(view.api)/deployments/\(urlSegment(deployment.name))/promote\" data-reload data-confirm=\"Make \(esc(s.name)) (v\(s.version)) the only version?\">"
                    + "<input type=\"hidden\" data-field=\"variant\" value=\"\(esc(s.name))\"><button type=\"submit\" class=\"promote secondary\" data-variant=\"\(esc(s.name))\">Promote</button></form>"
                : ""
            return "<tr data-variant=\"\(esc(s.name))\">" + H.td(s.name) + H.td("v\(s.version)") + H.td(s.shadow ? "shadow" : Format.percent(s.weight / total, digits: 0), numeric: true)
                + H.td(Format.percent(s.share), numeric: true) + H.td("\(s.requests)", numeric: true) + H.td("\(s.labelled)", numeric: true)
                + H.td(s.accuracy.map { Format.number($0, digits: 3) } ?? "–", numeric: true) + H.td(interval) + H.td(bar, raw: true)
                + H.td(s.pValue.map { Format.number($0, digits: 3) } ?? "–", numeric: true) + H.td(promote, raw: true) + "</tr>"
        }
        return H.table(id: "variants", ["Variant", "Version", "Weight", "Observed share", "Requests", "With feedback", "Accuracy",
                                        "95 % interval", "Interval (shared axis)", "p vs control", ""], rows, numeric: [2, 3, 4, 5, 6, 9])
            + "<p class=\"hint\">Accuracy counts answers whose true label was posted later (<code>POST …/feedback</code>); the interval is Wilson's; "
            + "p is a two-sided test of the variant's accuracy against the first variant's.</p>"
    }

    static func splitEditor(_ d: Deployment, versions: [ModelVersion], view: ConsoleView) -> String {
        let options = versions.sorted { $0.number > $1.number }.map { ("\($0.number)", "v\($0.number)") }
        let variants = d.variants ?? [Variant(name: "control", version: d.servingVersion ?? d.version, weight: 1, shadow: false)]
        let total = max(variants.filter { !$0.shadow }.reduce(0) { $0 + $1.weight }, 1e-12)
        let rows = variants.enumerated().map { i, v in
            row(index: i, name: v.name, version: "\(v.version)", weight: v.shadow ? 0 : (v.weight / total * 100).rounded(), shadow: v.shadow, options: options)
        }
        return H.section("A/B split", id: "split", """
            <form id="split-form" class="card" data-split="\(view.api)/deployments/\(urlSegment(d.name))/split" novalidate>
            <p class="hint">Weights are percentages of live traffic; a shadow gets a copy of every request and its answers are dropped.
            Requests with the same <code>X-Kouzi-Routing-Key</code> header always reach the same variant.</p>
            <div class="table-wrap"><table id="split-rows"><thead><tr><th scope="col">Variant</th><th scope="col">Version</th><th scope="col">Weight %</th><th scope="col">Shadow</th><th scope="col"></th></tr></thead>
            <tbody>\(rows.joined())</tbody></table></div>
            <template id="split-row-template">\(row(index: -1, name: "", version: options.first?.0 ?? "1", weight: 0, shadow: false, options: options))</template>
            <p class="form-error" id="split-form-error" role="alert"></p>
            <div class="row"><button type="button" id="split-add" class="secondary">Add variant</button>
            <button type="submit" id="split-submit">Save split</button>
            <button type="button" id="split-clear" class="secondary">End split</button></div></form>
            """)
    }

    static func row(index: Int, name: String, version: String, weight: Double, shadow: Bool, options: [(String, String)]) -> String {
        let key = index < 0 ? "new" : esc(name)
        let nameCell = index < 0
            ? "<input class=\"split-name\" aria-label=\"Variant name\" required pattern=\"[A-Za-z0-9_\\-]+\" maxlength=\"40\" placeholder=\"e.g. candidate\">"
            : "<input class=\"split-name\" aria-label=\"Variant name\" value=\"\(esc(name))\" required pattern=\"[A-Za-z0-9_\\-]+\" maxlength=\"40\">"
        return "<tr class=\"split-row\" data-variant=\"\(key)\"><td>\(nameCell)<span class=\"field-error\"></span></td>"
            + "<td>" + H.select("split-version-\(index < 0 ? "new" : String(index))", name: "version", options: options, selected: version,
                                extra: "class=\"split-version\" data-variant=\"\(key)\" aria-label=\"Version\"") + "</td>"
            + "<td><input class=\"split-weight\" data-variant=\"\(key)\" type=\"number\" min=\"0\" max=\"100\" step=\"any\" value=\"\(Format.number(weight))\" aria-label=\"Weight in percent\"><span class=\"field-error\"></span></td>"
            + "<td><input class=\"split-shadow\" type=\"checkbox\" aria-label=\"Shadow\"\(shadow ? " checked" : "")></td>"
            + "<td><button type=\"button\" class=\"split-remove link-button\" aria-label=\"Remove variant\">Remove</button></td></tr>"
    }
}

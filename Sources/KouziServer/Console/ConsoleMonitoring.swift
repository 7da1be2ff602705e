import Foundation
import Hummingbird
import KouziPlatform
import KouziTraining

/// Monitoring: system health and alerts; per deployment latency percentiles, request rate, errors and batch sizes
/// over time, and drift per feature with the training (reference) and live distributions.
enum ConsoleMonitoring {
    static func add(to router: Router<KouziContext>, platform: Platform) {
        ConsoleRoutes.page(router, "/monitoring", platform: platform) { _, _, view in
            let health = try await platform.health(for: view.principal)
            let alerts = try await platform.deployments.alerts(view.principal, projectID: view.project.id, state: nil, deployment: nil, limit: 50)
            let deployments = try await platform.deployments.list(view.principal, projectID: view.project.id)
            let since = Clock.nowMillis() - 3_600_000
            var rows: [String] = []
            for d in deployments {
                let minutes = try await platform.deployments.traffic.minutes(d.name, since: since)
                let requests = minutes.reduce(0) { $0 + $1.requests }, errors = minutes.reduce(0) { $0 + $1.errors }
                let firing = alerts.filter { $0.deployment == d.name && $0.state == "firing" }
                rows.append("<tr>" + H.td(H.link("\(view.base)/monitoring/\(urlSegment(d.name))", d.name, cls: "monitoring-link"), raw: true)
                    + H.td(H.badge(d.state ?? "unknown"), raw: true) + H.td("\(requests)", numeric: true)
                    + H.td(requests > 0 ? Format.percent(Double(errors) / Double(requests)) : "–", numeric: true)
                    + H.td(minutes.last?.p99.map { Format.number($0 * 1000, digits: 3) + " ms" } ?? "–", numeric: true)
                    + H.td(firing.isEmpty ? "none" : firing.map { $0.kind.rawValue }.joined(separator: ", ")) + "</tr>")
            }
            var body = H.section("System health", id: "health", healthFacts(health))
            body += H.section("Deployments", id: "monitored", H.table(id: "monitored-deployments",
                ["Endpoint", "State", "Requests (last hour)", "Errors", "p99 (last minute with traffic)", "Firing alerts"], rows,
                numeric: [2, 3, 4], empty: "Nothing deployed."))
            body += H.section("Alerts", id: "alerts", alertTable(alerts, id: "alerts"))
            return ConsolePage(title: "Monitoring", kind: "monitoring", section: "monitoring", body: body)
        }
        ConsoleRoutes.page(router, "/monitoring/{deployment}", platform: platform) { request, context, view in
            let name = try context.text("deployment")
            let hours = min(max(try request.queryInt("hours") ?? 24, 1), 24)
            let since = Clock.nowMillis() - Int64(hours) * 3_600_000
            let monitoring = try await platform.deployments.monitoring(view.principal, projectID: view.project.id, name: name)
            let history = try await platform.deployments.monitoringHistory(view.principal, projectID: view.project.id, name: name,
                                                                           since: since, limit: 2000)
            let alerts = try await platform.deployments.alerts(view.principal, projectID: view.project.id, state: nil, deployment: name, limit: 50)
            let minutes = try await platform.deployments.traffic.minutes(name, since: since)
            return ConsolePage(title: "Monitoring \(name)", kind: "monitoring-deployment", section: "monitoring",
                               body: deploymentBody(name, hours: hours, since: since, monitoring: monitoring, history: history,
                                                    alerts: alerts, minutes: minutes, view: view))
        }
    }

    static func healthFacts(_ h: SystemHealth) -> String {
        var facts: [(String, String)] = [
            ("Status", "<span id=\"health-status\">\(H.badge(h.status))</span>"),
            ("Up for", Format.duration(h.uptimeSeconds)),
            ("Database", h.database ? "answers" : "<span class=\"error-text\">not answering</span>"),
            ("Memory (resident)", Format.bytes(h.residentMemoryBytes)),
            ("CPU time", Format.duration(h.cpuSeconds)),
            ("Models loaded", "\(h.models.count), about \(Format.bytes(Double(h.modelMemoryBytes)))"
                + (h.modelMemoryBudgetBytes.map { " of a \(Format.bytes(Double($0))) budget" } ?? "")),
            ("Inference queue", "\(h.inferenceQueueDepth) waiting"),
            ("Jobs", "\(h.jobsRunning) running, \(h.jobsQueued) queued"),
            ("Alerts firing", "\(h.alertsFiring)"),
        ]
        if !h.models.isEmpty {
            facts.append(("Loaded", esc(h.models.map { "\($0.deployment) v\($0.version) (queue \($0.queueDepth), idle \(Format.duration($0.idleSeconds)))" }.joined(separator: "; "))))
        }
        return "<div id=\"health\">" + H.facts(facts) + "</div>"
    }

    static func alertTable(_ alerts: [Alert], id: String) -> String {
        let rows = alerts.map { a in
            "<tr data-alert=\"\(a.id)\">" + H.td(H.badge(a.state), raw: true) + H.td(a.deployment) + H.td(a.kind.rawValue) + H.td(a.message)
                + H.td(Format.number(a.value, digits: 3), numeric: true) + H.td(Format.number(a.threshold, digits: 3), numeric: true)
                + H.td(Format.time(a.startedAt)) + H.td(Format.time(a.resolvedAt)) + "</tr>"
        }
        return H.table(id: id, ["State", "Endpoint", "Kind", "What", "Value", "Threshold", "Started (UTC)", "Resolved (UTC)"], rows,
                       numeric: [4, 5], empty: "No alerts.")
    }

    static func deploymentBody(_ name: String, hours: Int, since: Int64, monitoring: DeploymentMonitoring, history: [MonitoringSnapshot],
                               alerts: [Alert], minutes: [TrafficMinute], view: ConsoleView) -> String {
        let ranges = [1, 6, 24].map { h in
            h == hours ? "<strong aria-current=\"true\">\(h) h</strong>" : H.link("\(view.base)/monitoring/\(urlSegment(name))?hours=\(h)", "\(h) h")
        }.joined(separator: " · ")
        var body = "<p class=\"toolbar\">Window: \(ranges) · " + H.link("\(view.base)/deployments/\(urlSegment(name))", "deployment") + "</p>"
        let x0 = Double(since), x1 = Double(Clock.nowMillis())
        let t = { (m: TrafficMinute) in Double(m.minute) }
        let latency = [("p50", \TrafficMinute.p50), ("p90", \TrafficMinute.p90), ("p99", \TrafficMinute.p99)].map { label, path in
            Chart.Series(name: label, points: minutes.compactMap { m in m[keyPath: path].map { (t(m), $0 * 1000) } })
        }
        var charts = "<figure>" + Chart.line(id: "latency-chart", title: "Request latency percentiles per minute", xLabel: "time (UTC)",
                                             yLabel: "latency (ms)", series: latency, timeAxis: true, xRange: (x0, x1), width: 560, height: 260) + "</figure>"
        charts += "<figure>" + Chart.line(id: "rate-chart", title: "Requests per minute", xLabel: "time (UTC)", yLabel: "requests / min",
                                          series: [Chart.Series(name: "requests", points: minutes.map { (t($0), Double($0.requests)) })],
                                          timeAxis: true, xRange: (x0, x1), counts: true, width: 560, height: 260) + "</figure>"
        charts += "<figure>" + Chart.line(id: "errors-chart", title: "Failed requests per minute", xLabel: "time (UTC)", yLabel: "failures / min",
                                          series: [Chart.Series(name: "failures", points: minutes.map { (t($0), Double($0.errors)) }, colour: "#d62728")],
                                          timeAxis: true, xRange: (x0, x1), counts: true, width: 560, height: 260) + "</figure>"
        charts += "<figure>" + Chart.line(id: "batch-chart", title: "Mean rows per forward pass", xLabel: "time (UTC)", yLabel: "rows per batch",
                                          series: [Chart.Series(name: "batch size", points: minutes.compactMap { m in m.batchMean.map { (t(m), $0) } })],
                                          timeAxis: true, xRange: (x0, x1), width: 560, height: 260) + "</figure>"
        body += H.section("Traffic", id: "traffic", "<p class=\"hint\">Written every few seconds by each serving process and added up here; "
                          + "<code>/metrics</code> has the same counters for Prometheus.</p><div class=\"chart-grid wide\">\(charts)</div>")
        let drift = [Chart.Series(name: "drifted share of features", points: history.map { (Double($0.at), $0.driftedShare) }),
                     Chart.Series(name: "rows with quality problems", points: history.map { (Double($0.at), $0.qualityShare) }, dashed: true)]
        var driftBody = "<figure>" + Chart.line(id: "drift-history", title: "Drift and data quality over time", xLabel: "time (UTC)",
                                                yLabel: "share", series: drift, timeAxis: true, yRange: (0, 1), xRange: (x0, x1),
                                                width: 760, height: 260) + "</figure>"
        if let report = monitoring.report, report.rows < report.settings.minimumRows {
            driftBody += "<p class=\"empty\" id=\"drift\">The window holds \(report.rows) rows from \(report.requests) requests answered by this "
                + "process; drift is judged once it holds \(report.settings.minimumRows) (each process keeps its own window).</p>"
        } else if let report = monitoring.report {
            driftBody += "<p id=\"drift-summary\">Window of \(report.rows) rows (\(report.requests) requests, \(report.rejectedRequests) refused for their inputs): "
                + "<strong>\(report.driftedFeatures.count) of \(report.features.count)</strong> features drifted (\(Format.percent(report.driftedShare))), "
                + "inputs \(report.drift ? "<strong class=\"error-text\">drift</strong>" : "do not drift") at the \(Format.percent(report.settings.driftShare, digits: 0)) threshold; "
                + "\(Format.percent(report.problemRowShare)) of rows have quality problems.</p>"
            let rows = report.features.sorted { ($0.drifted ? 0 : 1, $0.name) < ($1.drifted ? 0 : 1, $1.name) }.map { f -> String in
                let distribution = Chart.bars(cls: "distribution", title: f.name, xLabel: "bin", yLabel: "share", categories: f.bins,
                                              series: [("reference", f.referenceShares), ("live", f.liveShares)], percent: true,
                                              width: 300, height: 150)
                return "<tr class=\"\(f.drifted ? "drifted" : "stable")\" data-feature=\"\(esc(f.name))\">" + H.td(f.name) + H.td(f.kind)
                    + H.td(f.drifted ? "<strong class=\"error-text\">drifted</strong>" : "stable", raw: true)
                    + H.td("\(f.test) \(Format.number(f.statistic, digits: 3))") + H.td(Format.number(f.pValue, digits: 3), numeric: true)
                    + H.td(Format.number(f.psi, digits: 3), numeric: true) + H.td(Format.percent(f.missingShare), numeric: true)
                    + H.td(Format.percent(f.outOfRangeShare ?? f.unseenShare), numeric: true)
                    + H.td(distribution, raw: true) + "</tr>"
            }
            driftBody += H.table(id: "drift", ["Feature", "Kind", "Status", "Test statistic", "p-value", "PSI", "Missing", "Out of range / unseen",
                                               "Reference vs live"], rows, numeric: [4, 5, 6, 7])
        } else {
            driftBody += "<p class=\"empty\" id=\"drift\">\(esc(monitoring.reason ?? "No live inputs in the window yet."))</p>"
        }
        body += H.section("Drift per feature", id: "drift", driftBody)
        body += H.section("Alerts", id: "alerts", alertTable(alerts, id: "deployment-alerts"))
        let s = monitoring.settings
        body += H.section("Settings", id: "settings", H.facts([
            ("Window", "\(s.windowRows) rows"), ("Feature drifts when", "p < \(Format.number(s.significance)) and PSI ≥ \(Format.number(s.psiThreshold))"),
            ("Inputs drift when", "≥ \(Format.percent(s.driftShare, digits: 0)) of features drift"),
            ("Quality alert when", "≥ \(Format.percent(s.qualityShare, digits: 0)) of rows have problems"),
        ]))
        return body
    }
}

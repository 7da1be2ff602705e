import Foundation
import Hummingbird
import KouziMonitoring
import KouziPlatform
import KouziTraining

extension APIRoutes {
    /// Data quality and drift of deployments' live inputs, alerts, and the system's health.
    static func monitoring(_ platform: Platform) -> [Endpoint] {
        let deployments = platform.deployments
        let base = "/api/v1/projects/{project}/deployments/{deployment}/monitoring"
        return [
            Endpoint(method: .get, path: base, operationID: "getDeploymentMonitoring",
                     summary: "Data quality and drift of the deployment's recent inputs against its training data, evaluated now",
                     tag: "monitoring", responses: [(200, "The window's report, settings and firing alerts", .json(.ref("DeploymentMonitoring")))]) { _, context in
                try JSON.response(try await deployments.monitoring(try context.caller, projectID: try context.id("project"),
                                                                   name: try context.text("deployment")))
            },
            Endpoint(method: .put, path: base, operationID: "setDeploymentMonitoring",
                     summary: "Set the monitoring window and thresholds (fields left out take their defaults)", tag: "monitoring",
                     request: .json(.ref("MonitoringSettings")),
                     responses: [(200, "The deployment", .json(.ref("Deployment")))]) { request, context in
                let settings = try await JSON.decode(MonitoringSettings.self, from: request, context: context)
                return try JSON.response(try await deployments.setMonitoring(try context.caller, projectID: try context.id("project"),
                                                                             name: try context.text("deployment"), settings: settings))
            },
            Endpoint(method: .get, path: base + "/history", operationID: "getDeploymentMonitoringHistory",
                     summary: "Stored evaluations of the window, oldest first (drift and quality over time)", tag: "monitoring",
                     query: [QueryDoc(name: "since", schema: .integer(SchemaDoc.counts), description: "Only evaluations from this time on (ms since 1970)"),
                             QueryDoc(name: "limit", schema: .integer(DeploymentService.listLimits), description: "The most recent evaluations at most (default 500)")],
                     responses: [(200, "Evaluations", .json(.array(.ref("MonitoringSnapshot"))))]) { request, context in
                try JSON.response(try await deployments.monitoringHistory(
                    try context.caller, projectID: try context.id("project"), name: try context.text("deployment"),
                    since: try request.queryInt("since", in: SchemaDoc.counts).map(Int64.init), limit: try request.queryInt("limit", in: DeploymentService.listLimits) ?? 500))
            },
            Endpoint(method: .get, path: "/api/v1/projects/{project}/alerts", operationID: "listAlerts",
                     summary: "Alerts of a project's deployments, newest first (each firing episode is one record)", tag: "monitoring",
                     query: [QueryDoc(name: "state", schema: .enumeration(["firing", "resolved"]), description: "Only alerts in this state"),
                             QueryDoc(name: "deployment", schema: .string, description: "Only alerts of this deployment"),
                             QueryDoc(name: "limit", schema: .integer(DeploymentService.listLimits), description: "At most this many (default 100)")],
                     responses: [(200, "Alerts", .json(.array(.ref("Alert"))))]) { request, context in
                try JSON.response(try await deployments.alerts(try context.caller, projectID: try context.id("project"),
                                                               state: request.query("state"), deployment: request.query("deployment"),
                                                               limit: try request.queryInt("limit", in: DeploymentService.listLimits) ?? 100))
            },
            Endpoint(method: .get, path: "/api/v1/system/health", operationID: "getSystemHealth",
                     summary: "This process's uptime and memory; the loaded models, queued and running jobs and firing alerts of the caller's projects (all for a server administrator)", tag: "monitoring",
                     responses: [(200, "Health", .json(.ref("SystemHealth")))]) { _, context in
                try JSON.response(try await platform.health(for: try context.caller))
            },
        ]
    }
}

extension Schemas {
    /// Monitoring settings, reports, snapshots, alerts and health.
    static let monitoring: [(String, SchemaDoc)] = [
        ("MonitoringSettings", .object([
            ("windowRows", .integer(10...100_000)), ("minimumRows", .integer(2...100_000)), ("bins", .integer(2...100)),
            ("significance", .number(0...1, openBelow: true, openAbove: true)), ("psiThreshold", .number(atLeast: 0)),
            ("driftShare", .number(0...1, openBelow: true)), ("qualityShare", .number(0...1, openBelow: true)),
            ("rangeTolerance", .number(atLeast: 0)), ("evaluateEveryRows", .integer(1...100_000)),
            ("evaluateEverySeconds", .number(0...86_400)),
        ], optional: ["windowRows", "minimumRows", "bins", "significance", "psiThreshold", "driftShare", "qualityShare",
                      "rangeTolerance", "evaluateEveryRows", "evaluateEverySeconds"])),
        ("FeatureDrift", .object([
            ("name", .string), ("kind", .enumeration(["numeric", "categorical"])),
            ("test", .enumeration(["kolmogorov_smirnov", "chi_square"])), ("statistic", .number), ("pValue", .number),
            ("psi", .number), ("drifted", .boolean), ("rows", .integer), ("missingShare", .number), ("outOfRangeShare", .number),
            ("unseenShare", .number), ("bins", .array(.string)), ("referenceShares", .array(.number)),
            ("liveShares", .array(.number)), ("referenceMean", .number), ("liveMean", .number),
        ], optional: ["outOfRangeShare", "unseenShare", "referenceMean", "liveMean"])),
        ("MonitoringReport", .object([
            ("source", .enumeration(["table", "images", "text"])), ("rows", .integer), ("rowsSeen", .integer), ("requests", .integer),
            ("rejectedRequests", .integer), ("evaluated", .boolean), ("features", .array(.ref("FeatureDrift"))),
            ("driftedFeatures", .array(.string)), ("driftedShare", .number), ("drift", .boolean), ("problemRowShare", .number),
            ("qualityProblem", .boolean), ("settings", .ref("MonitoringSettings")),
        ])),
        ("Alert", .object([
            ("id", .integer), ("projectID", .integer), ("deployment", .string), ("kind", .enumeration(["drift", "data_quality"])),
            ("state", .enumeration(["firing", "resolved"])), ("value", .number), ("threshold", .number), ("message", .string),
            ("startedAt", .integer), ("updatedAt", .integer), ("resolvedAt", .integer),
        ], optional: ["resolvedAt"])),
        ("DeploymentMonitoring", .object([
            ("deployment", .string), ("version", .integer), ("settings", .ref("MonitoringSettings")),
            ("report", .ref("MonitoringReport")), ("reason", .string), ("alerts", .array(.ref("Alert"))),
        ], optional: ["version", "report", "reason"])),
        ("MonitoringSnapshot", .object([
            ("id", .integer), ("at", .integer), ("version", .integer), ("rows", .integer), ("driftedShare", .number),
            ("drift", .boolean), ("qualityShare", .number),
            ("features", .array(.object([
                ("name", .string), ("psi", .number), ("pValue", .number), ("drifted", .boolean), ("missingShare", .number),
                ("outOfRangeShare", .number), ("unseenShare", .number),
            ], optional: ["outOfRangeShare", "unseenShare"]))),
        ])),
        ("SystemHealth", .object([
            ("status", .enumeration(["ok", "degraded"])), ("startedAt", .integer), ("uptimeSeconds", .number), ("database", .boolean),
            ("residentMemoryBytes", .number), ("cpuSeconds", .number),
            ("models", .array(.object([("deployment", .string), ("version", .integer), ("estimatedBytes", .integer),
                                       ("queueDepth", .integer), ("idleSeconds", .number)]))),
            ("modelMemoryBytes", .integer), ("modelMemoryBudgetBytes", .integer), ("inferenceQueueDepth", .integer),
            ("jobsQueued", .integer), ("jobsRunning", .integer), ("alertsFiring", .integer),
        ], optional: ["modelMemoryBudgetBytes"])),
    ]
}

import Foundation
import KouziNN
import KouziTasks

extension DeploymentService {
    /// Splits a deployment's traffic between versions by weight, with optional shadows (editors). An empty list
    /// removes the split; the deployment's own version then answers alone.
    public func setSplit(_ principal: Principal, projectID: Int64, name: String, _ split: SplitRequest) async throws -> Deployment {
        try await accounts.require(principal, .editor, in: projectID)
        var seen = Set<String>()
        for arm in split.variants {
            try validateName(arm.name, field: "variants.name")
            guard seen.insert(arm.name).inserted else { throw PlatformError.invalid("variants", "the name '\(arm.name)' is used twice") }
            let weight = arm.weight ?? (arm.shadow == true ? 0 : 1)
            guard weight.isFinite, weight >= 0, arm.shadow != true || weight == 0 else {
                throw PlatformError.invalid("variants", "\(arm.name): weight must be a non-negative number (0 for a shadow)")
            }
        }
        if !split.variants.isEmpty {
            guard split.variants.contains(where: { $0.shadow != true && ($0.weight ?? 1) > 0 }) else {
                throw PlatformError.invalid("variants", "at least one variant that is not a shadow needs a positive weight")
            }
        }
        let deployment = try await store.write { tx in
            guard let row = try await tx.first("SELECT * FROM deployments WHERE name = ? AND project_id = ?", name, projectID) else {
                throw PlatformError.notFound("deployment", name)
            }
            var deployment = try Deployment(row: row)
            let model = try await ModelRegistry.model(tx, projectID: projectID, modelID: deployment.modelID)
            try await tx.execute("DELETE FROM deployment_variants WHERE deployment_id = ?", deployment.id)
            var variants: [Variant] = []
            for (position, arm) in split.variants.enumerated() {
                let number = try await Self.servable(tx, model: model, reference: arm.version)
                let variant = Variant(name: arm.name, version: number, weight: arm.shadow == true ? 0 : arm.weight ?? 1, shadow: arm.shadow == true)
                try await tx.execute("""
                    INSERT INTO deployment_variants (deployment_id, name, version_number, weight, shadow, position)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, deployment.id, variant.name, variant.version, variant.weight, variant.shadow, position)
                variants.append(variant)
            }
            try await tx.execute("UPDATE deployments SET updated_at = ? WHERE id = ?", Clock.nowMillis(), deployment.id)
            deployment.variants = variants.isEmpty ? nil : variants
            return deployment
        }
        rowCache.put(name, nil as Deployment?)
        for variant in deployment.variants ?? [] { host.load(Self.arm(deployment, variant)) }
        return describe(deployment)
    }

    /// The deployment as one arm of its split sees it (its own slot in the model host).
    static func arm(_ deployment: Deployment, _ variant: Variant) -> Deployment {
        var d = deployment
        d.name = deployment.name + "#" + variant.name
        d.version = variant.version
        d.variants = nil
        return d
    }

    /// The variants of a deployment, in order.
    static func variants(_ tx: any SQLExecutor, deploymentID: Int64) async throws -> [Variant]? {
        let rows = try await tx.query("SELECT * FROM deployment_variants WHERE deployment_id = ? ORDER BY position", deploymentID)
        guard !rows.isEmpty else { return nil }
        return try rows.map { Variant(name: try $0.text("name"), version: try $0.int("version_number"),
                                      weight: try $0.double("weight"), shadow: try $0.bool("shadow")) }
    }

    /// True labels for earlier answers, by request id: `labels` holds one label per row of that request.
    public func feedback(_ principal: Principal, projectID: Int64, name: String,
                         _ items: [(requestID: String, labels: [String])]) async throws -> (updated: Int, unknown: [String]) {
        try await accounts.require(principal, .editor, in: projectID)
        let deployment = try await row(projectID: projectID, name: name)
        try await recorder.flush()
        let entries = try items.map { ($0.requestID, try jsonText($0.labels)) }
        return try await store.write { tx in
            var updated = 0, unknown: [String] = []
            let now = Clock.nowMillis()
            for (id, actual) in entries {
                let rows = try await tx.query("""
                    UPDATE inference_records SET actual = ?, feedback_at = ? WHERE deployment_id = ? AND request_id = ? RETURNING variant
                    """, actual, now, deployment.id, id)
                if rows.isEmpty { unknown.append(id) } else { updated += 1 }
            }
            return (updated, unknown)
        }
    }

    /// Per-variant requests, live accuracy with its 95 % interval, and the p-value against the first variant.
    public func splitStats(_ principal: Principal, projectID: Int64, name: String) async throws -> [VariantStats] {
        try await accounts.require(principal, .viewer, in: projectID)
        let deployment = try await row(projectID: projectID, name: name)
        try await recorder.flush()
        let (variants, counts, labelled) = try await store.read { tx in
            let variants = try await Self.variants(tx, deploymentID: deployment.id) ?? []
            let counts = try await tx.query("SELECT variant, COUNT(*) AS n FROM inference_records WHERE deployment_id = ? GROUP BY variant",
                                            deployment.id)
            let labelled = try await tx.query("""
                SELECT variant, predicted, actual FROM inference_records WHERE deployment_id = ? AND actual IS NOT NULL
                """, deployment.id)
            return (variants, counts, labelled)
        }
        var requests: [String: Int64] = [:]
        for row in counts { requests[try row.text("variant")] = try row.int("n") }
        var scored: [String: (n: Int64, correct: Int64)] = [:]
        for row in labelled {
            let predicted = try row.json("predicted", as: [String].self), actual = try row.json("actual", as: [String].self)
            var s = scored[try row.text("variant")] ?? (0, 0)
            for (p, a) in zip(predicted, actual) {
                s.n += 1
                if p == a { s.correct += 1 }
            }
            scored[try row.text("variant")] = s
        }
        let total = variants.filter { !$0.shadow }.reduce(0) { $0 + $1.weight }
        let control = variants.first { !$0.shadow }.map { scored[$0.name] ?? (0, 0) }
        return variants.map { v in
            let s = scored[v.name] ?? (0, 0)
            let interval = SplitMath.wilson(s.correct, s.n)
            return VariantStats(
                name: v.name, version: v.version, weight: v.weight, shadow: v.shadow,
                share: v.shadow || total == 0 ? 0 : v.weight / total, requests: requests[v.name] ?? 0, labelled: s.n,
                correct: s.correct, accuracy: s.n > 0 ? Double(s.correct) / Double(s.n) : nil,
                accuracyLow: interval?.0, accuracyHigh: interval?.1,
                pValue: v.name == variants.first { !$0.shadow }?.name ? nil
                    : control.flatMap { SplitMath.twoProportionPValue($0.correct, $0.n, s.correct, s.n) })
        }
    }

    /// Makes a variant the deployment's only version and ends the split (editors).
    public func promote(_ principal: Principal, projectID: Int64, name: String, variant: String) async throws -> Deployment {
        try await accounts.require(principal, .editor, in: projectID)
        let deployment = try await store.write { tx in
            guard let row = try await tx.first("SELECT * FROM deployments WHERE name = ? AND project_id = ?", name, projectID) else {
                throw PlatformError.notFound("deployment", name)
            }
            let current = try Deployment(row: row)
            guard let chosen = try await Self.variants(tx, deploymentID: current.id)?.first(where: { $0.name == variant }) else {
                throw PlatformError.invalid("variant", "deployment '\(name)' has no variant '\(variant)'")
            }
            try await tx.execute("DELETE FROM deployment_variants WHERE deployment_id = ?", current.id)
            let updated = try await tx.first("""
                UPDATE deployments SET version_number = ?, alias = NULL, updated_at = ? WHERE id = ? RETURNING *
                """, chosen.version, Clock.nowMillis(), current.id)!
            return try Deployment(row: updated)
        }
        rowCache.put(name, nil as Deployment?)
        host.load(deployment)
        return describe(deployment)
    }
}

/// Predictions of requests that may receive feedback, written to the database in batches (a write per
/// request would make the database the bottleneck of inference).
final class PredictionRecorder: @unchecked Sendable {
    struct Entry { var deploymentID: Int64; var requestID: String; var variant: String; var predicted: String; var at: Int64 }
    let store: any Store
    private let lock = NSLock()
    private var pending: [Entry] = []
    private var scheduled = false

    init(store: any Store) { self.store = store }

    func record(_ entry: Entry) {
        let schedule: Bool = lock.withLock {
            pending.append(entry)
            defer { scheduled = true }
            return !scheduled
        }
        guard schedule else { return }
        Task.detached { [self] in
            try? await Task.sleep(nanoseconds: 200_000_000)
            try? await flush()
        }
    }

    /// Writes what is pending.
    func flush() async throws {
        let batch: [Entry] = lock.withLock {
            defer { pending = []; scheduled = false }
            return pending
        }
        guard !batch.isEmpty else { return }
        try await store.write { tx in
            for e in batch {
                try await tx.execute("""
                    INSERT INTO inference_records (deployment_id, request_id, variant, predicted, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (deployment_id, request_id, variant) DO NOTHING
                    """, e.deploymentID, e.requestID, e.variant, e.predicted, e.at)
            }
        }
    }
}

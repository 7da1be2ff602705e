import Foundation
import KouziData
@testable import KouziMonitoring
import KouziTensor
@testable import KouziTraining
import Testing

@Suite("Drift statistics and the monitoring window")
struct MonitoringTests {
    @Test func statisticsMatchTheirTables() {
        // Kolmogorov's distribution at the classic 5 % and 1 % critical values.
        #expect(abs(DriftStatistics.kolmogorovSurvival(1.36) - 0.049486) < 1e-5)
        #expect(abs(DriftStatistics.kolmogorovSurvival(1.628) - 0.009976) < 1e-5)
        // χ² survival (regularised upper incomplete gamma) against published values.
        #expect(abs(DriftStatistics.upperIncompleteGamma(0.5, 3.841 / 2) - 0.050014) < 1e-5)
        #expect(abs(DriftStatistics.upperIncompleteGamma(5, 18.307 / 2) - 0.050001) < 1e-5)
        #expect(abs(DriftStatistics.upperIncompleteGamma(1.5, 0.25) - 0.918891) < 1e-5)
        #expect(abs(DriftStatistics.upperIncompleteGamma(15, 20) - 0.104864) < 1e-5)
        let chi = DriftStatistics.chiSquare(observed: [30, 50, 20], expected: [25, 55, 20])
        #expect(abs(chi.statistic - 1.454545) < 1e-5 && abs(chi.pValue - 0.483225) < 1e-5)
        let ks = DriftStatistics.kolmogorovSmirnov([0.1, 0.4, 0.7, 1.2, 1.3, 2.0], [0.5, 0.8, 0.9, 1.5, 2.5, 3.0, 3.1])
        #expect(abs(ks.statistic - 3.0 / 7.0) < 1e-12)
        #expect(ks.pValue > 0.3 && ks.pValue < 0.8)
        #expect(abs(DriftStatistics.psi(reference: [0.5, 0.5], live: [0.6, 0.4]) - 0.040546) < 1e-5)
        #expect(DriftStatistics.psi(reference: [0.2, 0.3, 0.5], live: [0.2, 0.3, 0.5]) == 0)
    }

    @Test func binsFollowTheReferenceQuantilesAndMergeTies() {
        let sorted = (0..<100).map(Double.init)
        let edges = DriftStatistics.quantileEdges(sorted: sorted, bins: 4)
        #expect(edges == [25, 50, 75])
        #expect(DriftStatistics.shares(sorted, edges: edges) == [0.26, 0.25, 0.25, 0.24])
        // A binary feature: one edge, two bins.
        let binary = [Double](repeating: 0, count: 70) + [Double](repeating: 1, count: 30)
        #expect(DriftStatistics.quantileEdges(sorted: binary, bins: 10) == [0])
        #expect(DriftStatistics.bin(of: 0, edges: [0]) == 0 && DriftStatistics.bin(of: 1, edges: [0]) == 1)
    }

    /// Normal numbers from a seeded generator.
    static func normal(_ count: Int, mean: Double, seed: UInt64) -> [Double?] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<count).map { _ in mean + (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    static func colours(_ shares: [Int], repeating: Int) -> [String?] {
        let names = ["red", "green", "blue"]
        return (0..<repeating).flatMap { _ in shares.enumerated().flatMap { [String?](repeating: names[$0], count: $1) } }
    }

    static let reference = try! ReferenceProfile(table: try! DataTable([
        ("x", .numeric(normal(4_000, mean: 0, seed: 1))), ("colour", .categorical(colours([5, 3, 2], repeating: 400))),
    ]))

    @Test func sameDistributionsDoNotDriftShiftedOnesDo() {
        var same = MonitorWindow(reference: Self.reference, capacity: 500)
        same.append([.numeric(Self.normal(500, mean: 0, seed: 2)), .categorical(Self.colours([5, 3, 2], repeating: 50))], rows: 500)
        let calm = same.report(MonitoringSettings())
        #expect(calm.evaluated && !calm.drift && calm.driftedFeatures.isEmpty, "\(calm.features.map { ($0.name, $0.pValue, $0.psi) })")
        #expect(calm.problemRowShare == 0 && !calm.qualityProblem)

        var shifted = MonitorWindow(reference: Self.reference, capacity: 500)
        shifted.append([.numeric(Self.normal(500, mean: 0.6, seed: 3)), .categorical(Self.colours([2, 3, 5], repeating: 50))], rows: 500)
        let moved = shifted.report(MonitoringSettings())
        #expect(moved.drift && moved.driftedFeatures == ["x", "colour"] && moved.driftedShare == 1)
        let x = moved.features[0]
        #expect(x.test == "kolmogorov_smirnov" && x.pValue < 1e-6 && x.psi > 0.2 && x.bins.count == 10)
        #expect(abs(x.referenceShares.reduce(0, +) - 1) < 1e-9 && abs(x.liveShares.reduce(0, +) - 1) < 1e-9)
        #expect(moved.features[1].test == "chi_square" && moved.features[1].pValue < 1e-6)
    }

    @Test func theWindowSlidesAndNeedsEnoughRows() {
        var window = MonitorWindow(reference: Self.reference, capacity: 300)
        window.append([.numeric(Self.normal(50, mean: 3, seed: 4)), .categorical(Self.colours([5, 3, 2], repeating: 5))], rows: 50)
        #expect(!window.report(MonitoringSettings()).evaluated && !window.report(MonitoringSettings()).drift)
        window.append([.numeric(Self.normal(250, mean: 3, seed: 5)), .categorical(Self.colours([5, 3, 2], repeating: 25))], rows: 250)
        #expect(window.report(MonitoringSettings()).driftedFeatures == ["x"])
        // 300 calm rows push the shifted ones out of the window.
        window.append([.numeric(Self.normal(300, mean: 0, seed: 6)), .categorical(Self.colours([5, 3, 2], repeating: 30))], rows: 300)
        let report = window.report(MonitoringSettings())
        #expect(report.rows == 300 && report.rowsSeen == 600 && !report.drift)
    }

    @Test func qualityCountsMissingOutOfRangeUnseenAndRejected() {
        var window = MonitorWindow(reference: Self.reference, capacity: 200)
        var x = Self.normal(100, mean: 0, seed: 7)
        var colour = Self.colours([5, 3, 2], repeating: 10)
        for i in 0..<10 { x[i] = nil }             // missing where training had none
        for i in 10..<15 { x[i] = 1_000 }          // far out of range
        for i in 20..<25 { colour[i] = "purple" }  // a colour training never saw
        window.append([.numeric(x), .categorical(colour)], rows: 100)
        for _ in 0..<3 { window.reject() }
        let report = window.report(MonitoringSettings())
        #expect(report.problemRowShare == 0.2 && report.qualityProblem)
        #expect(report.features[0].missingShare == 0.1 && report.features[0].outOfRangeShare == 0.05)
        #expect(report.features[1].unseenShare == 0.05)
        #expect(report.requests == 4 && report.rejectedRequests == 3)
        // A missing column counts as missing values, not as a crash.
        window.append([nil, .categorical(Self.colours([5, 3, 2], repeating: 1))], rows: 10)
        #expect(window.report(MonitoringSettings()).features[0].missingShare > 0.1)
    }

    @Test func imageAndTextProfilesDescribeTheirInputs() throws {
        let images = Tensor(shape: [2, 8, 8], scalars: (0..<128).map { $0 < 64 ? 0 : Float($0 % 8) / 8 })
        let profile = ReferenceProfile(images: images)
        #expect(profile.features.map(\.name).prefix(3) == ["pixel_mean", "pixel_std", "region_0_0"] && profile.features.count == 18)
        #expect(profile.features[0].minimum == 0 && abs(profile.features[0].maximum! - 3.5 / 8) < 1e-6)
        let live = ReferenceProfile.imageFeatures([Double](repeating: 0.5, count: 64), rows: 1, sampleShape: [8, 8])
        #expect(live.count == 18 && live[0].numericValues == [0.5] && live[1].numericValues == [0])
        let text = ReferenceProfile(text: ["a good film", "bad", nil])
        #expect(text.features.map(\.name) == ["characters", "words"] && text.features[1].sketch == [1, 3])
        #expect(text.features[0].missingShare == 1.0 / 3.0)
        var settings = MonitoringSettings()
        #expect(settings.problem == nil)
        settings.bins = 1
        #expect(settings.problem?.contains("bins") == true)
        let partial = try JSONDecoder().decode(MonitoringSettings.self, from: Data(#"{"windowRows": 200}"#.utf8))
        #expect(partial.windowRows == 200 && partial.bins == 10)
    }
}

import Foundation
@testable import KouziServer
import Testing

/// The console's server-drawn charts: axes of whole quantities (epochs, versions) have no fractional ticks.
@Suite struct ChartTests {
    @Test func wholeXValuesGetWholeTicks() {
        let epochs = Chart.Series(name: "loss", points: [(1, 260), (2, 180), (3, 120)])  // y far from the epochs' labels
        let svg = Chart.line(title: "Loss per epoch", xLabel: "epoch", yLabel: "loss", series: [epochs])
        let xLabels = Self.tickLabels(svg).filter { ["0.5", "1", "1.5", "2", "2.5", "3"].contains($0) }
        #expect(xLabels == ["1", "2", "3"], "\(xLabels)")
        #expect(Chart.ticks(1, 3, count: 6) == [1, 1.5, 2, 2.5, 3])
        #expect(Chart.ticks(1, 3, count: 6, whole: true) == [1, 2, 3])
        #expect(Chart.ticks(0.9, 1.1, count: 6, whole: true) == [1])
    }

    static func tickLabels(_ svg: String) -> [String] {
        svg.components(separatedBy: "class=\"tick\"").dropFirst().compactMap { part in
            part.split(separator: ">", maxSplits: 1).last.map { String($0.prefix { $0 != "<" }) }
        }
    }
}

import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Table profiles")
struct TableProfileTests {
    static let csv = """
        x,f,flag,color,Label,empty
        1,0.5,yes,b,cat,
        2,1.5,no,a,dog,
        3,abc,yes,b,cat,
        4,2.5,Yes,c,cat,
        NA,,no,,dog,
        100,3.5,maybe,b,,
        """

    @Test func numericStatisticsMatchHandComputedValues() throws {
        let profile = try TableProfile(table: RawTable(csv: Self.csv), bins: 3)
        #expect(profile.rowCount == 6 && profile.columnCount == 6)
        let x = try #require(profile.column("x"))
        #expect(x.type == .integer)
        #expect(x.count == 5 && x.missingCount == 1)
        #expect(abs(x.missingFraction - 1.0 / 6) < 1e-12)
        #expect(x.distinctCount == 5 && x.invalidCount == 0)
        let n = try #require(x.numeric)
        #expect(n.min == 1 && n.max == 100 && n.mean == 22)
        // Deviations −21, −20, −19, −18, 78: squares sum to 7610; 7610 / 4 = 1902.5.
        #expect(abs(n.std! - 1902.5.squareRoot()) < 1e-12)
        #expect(n.q1 == 2 && n.median == 3 && n.q3 == 4)
        #expect(n.histogram.edges == [1, 34, 67, 100])
        #expect(n.histogram.counts == [4, 0, 1])
    }

    @Test func floatColumnsCountTypeErrors() throws {
        let profile = try TableProfile(table: RawTable(csv: Self.csv))
        let f = try #require(profile.column("f"))
        #expect(f.type == .float)
        #expect(f.count == 5 && f.missingCount == 1 && f.invalidCount == 1)
        let n = try #require(f.numeric)
        #expect(n.mean == 2 && n.median == 2)
        // Quartiles of 0.5, 1.5, 2.5, 3.5 at positions 0.75 and 2.25.
        #expect(n.q1 == 1.25 && n.q3 == 2.75)
        #expect(n.histogram.counts.reduce(0, +) == 4 && n.histogram.counts.count == 10)
    }

    @Test func categoricalAndBooleanValueCounts() throws {
        let profile = try TableProfile(table: RawTable(csv: Self.csv))
        let color = try #require(profile.column("color"))
        #expect(color.type == .categorical)
        #expect(color.topValues == [ValueCount(value: "b", count: 3), ValueCount(value: "a", count: 1),
                                    ValueCount(value: "c", count: 1)])
        #expect(color.otherCount == 0 && color.distinctCount == 3 && color.numeric == nil)
        let flag = try #require(profile.column("flag"))
        #expect(flag.type == .boolean)
        #expect(flag.invalidCount == 1)
        #expect(flag.topValues?.first == ValueCount(value: "no", count: 2))
        #expect(profile.column("empty")?.type == .empty)
    }

    @Test func topValuesStopAtTwentyWithAnOtherCount() throws {
        let rows: [[String?]] = (0..<50).map { ["v\($0 % 25)"] }
        let profile = try TableProfile(table: RawTable(header: ["c"], rows: rows))
        let c = try #require(profile.column("c"))
        #expect(c.topValues?.count == 20)
        #expect(c.otherCount == 10)
        #expect(c.distinctCount == 25)
    }

    @Test func textColumnsAreLongAndDistinct() throws {
        let rows: [[String?]] = (0..<10).map { ["this is review number \($0) and it is long enough"] }
        let profile = try TableProfile(table: RawTable(header: ["review"], rows: rows))
        #expect(profile.column("review")?.type == .text)
        #expect(profile.column("review")?.topValues == nil)
    }

    @Test func classBalanceOfAnInferredTarget() throws {
        let profile = try TableProfile(table: RawTable(csv: Self.csv))
        #expect(profile.target == "Label")
        let balance = try #require(profile.classBalance)
        #expect(balance.missingCount == 1)
        #expect(balance.classes == [ClassCount(label: "cat", count: 3, fraction: 0.6),
                                    ClassCount(label: "dog", count: 2, fraction: 0.4)])
    }

    @Test func explicitTargetSortsNumericClassesNumerically() throws {
        let table = try RawTable(csv: "k,v\n10,a\n9,b\n10,c\n2,d\n")
        let profile = try TableProfile(table: table, target: "k")
        #expect(profile.classBalance?.classes.map(\.label) == ["2", "9", "10"])
        #expect(try TableProfile(table: RawTable(csv: "a,b\n1,2\n")).target == nil)
        #expect(thrownMessage { _ = try TableProfile(table: table, target: "nope") }
                == "unknown column 'nope'; available columns: k, v")
        #expect(thrownMessage { _ = try TableProfile(table: table, bins: 0) }
                == "invalid parameter 'bins': 0 is less than 1")
    }

    @Test func numbersParseWithoutHexOrInfinity() throws {
        let profile = try TableProfile(table: RawTable(csv: "v\n 12 \n+3\n-4\n0x1A\ninf\n1e3\n"))
        let v = try #require(profile.column("v"))
        #expect(v.type == .float && v.invalidCount == 2)
        #expect(v.numeric?.min == -4 && v.numeric?.max == 1000)
        let ints = try TableProfile(table: RawTable(csv: "b\n0\n1\n1\n"))
        #expect(ints.column("b")?.type == .integer)
    }

    @Test func constantColumnsGetAUnitWideHistogram() throws {
        let profile = try TableProfile(table: RawTable(csv: "c\n5\n5\n5\n"), bins: 2)
        let n = try #require(profile.column("c")?.numeric)
        #expect(n.histogram.edges == [4.5, 5, 5.5])
        #expect(n.histogram.counts == [0, 3])
        #expect(n.std == 0)
    }

    @Test func performanceSanityOnA70kBy50Table() throws {
        var rows: [[String?]] = []
        rows.reserveCapacity(70_000)
        var state: UInt64 = 12345
        for i in 0..<70_000 {
            var row: [String?] = []
            row.reserveCapacity(50)
            for j in 0..<49 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let v = Int(state >> 56)
                row.append(j % 7 == 0 ? (v < 5 ? nil : "\(v)") : (j % 7 == 1 ? "\(Double(v) / 8)" : "\(v)"))
            }
            row.append("class\(i % 10)")
            rows.append(row)
        }
        let header = (0..<49).map { "f\($0)" } + ["label"]
        let table = try RawTable(header: header, rows: rows)
        let profile = try TableProfile(table: table)
        #expect(profile.rowCount == 70_000 && profile.columns.count == 50)
        #expect(profile.classBalance?.classes.count == 10)
        let report = try QualityReport(table: table, profile: profile)
        #expect(report.duplicateRowCount >= 0)
    }
}

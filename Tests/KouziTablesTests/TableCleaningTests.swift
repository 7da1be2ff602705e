import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Cleaning pipeline operations")
struct TableCleaningTests {
    static let table = try! RawTable(csv: """
        id,age,city,score
        1,30,Paris,0.5
        2,,Oslo,1.5
        3,50,,2.5
        3,50,,2.5
        5,NA,Paris,
        """)

    func run(_ json: String, on table: RawTable = Self.table) throws -> CleaningResult {
        try JSONDecoder().decode(CleaningPipeline.self, from: Data(json.utf8)).apply(to: table)
    }

    @Test func dropMissingAnyAndAll() throws {
        let any = try run(#"[{"op":"dropMissing"}]"#)
        #expect(try any.table.column("id") == ["1"])
        #expect(any.steps[0].rowsBefore == 5 && any.steps[0].rowsAfter == 1)
        let subset = try run(#"[{"op":"dropMissing","columns":["age"]}]"#)
        #expect(try subset.table.column("id") == ["1", "3", "3"])
        let all = try run(#"[{"op":"dropMissing","columns":["age","city"],"how":"all"}]"#)
        #expect(all.table.rowCount == 5)
        let allTwo = try run(#"[{"op":"dropMissing","columns":["age","score"],"how":"all"}]"#)
        #expect(try allTwo.table.column("id") == ["1", "2", "3", "3"])
    }

    @Test func imputeStrategies() throws {
        let mean = try run(#"[{"op":"impute","columns":["age"],"strategy":"mean"}]"#)
        // Mean of 30, 50, 50 = 43.333…
        #expect(try mean.table.column("age") == ["30", String(130.0 / 3), "50", "50", String(130.0 / 3)])
        #expect(mean.steps[0].cellsChanged == 2)
        let median = try run(#"[{"op":"impute","columns":["age","score"],"strategy":"median"}]"#)
        #expect(try median.table.column("age") == ["30", "50", "50", "50", "50"])
        #expect(try median.table.column("score") == ["0.5", "1.5", "2.5", "2.5", "2"])
        #expect(median.steps[0].notes == ["age: filled 2 missing cells with \"50\" (median)",
                                          "score: filled 1 missing cell with \"2\" (median)"])
        let frequent = try run(#"[{"op":"impute","columns":["city"],"strategy":"mostFrequent"}]"#)
        #expect(try frequent.table.column("city") == ["Paris", "Oslo", "Paris", "Paris", "Paris"])
        let constant = try run(#"[{"op":"impute","columns":["city"],"strategy":"constant","value":"unknown"}]"#)
        #expect(try constant.table.column("city")[2] == "unknown")
        let number = try run(#"[{"op":"impute","columns":["age"],"strategy":"constant","value":0}]"#)
        #expect(try number.table.column("age")[1] == "0")
    }

    @Test func dropDuplicatesWholeRowsOrByColumns() throws {
        let rows = try run(#"[{"op":"dropDuplicates"}]"#)
        #expect(try rows.table.column("id") == ["1", "2", "3", "5"])
        let byCity = try run(#"[{"op":"dropDuplicates","columns":["city"]}]"#)
        #expect(try byCity.table.column("id") == ["1", "2", "3"])
    }

    @Test func filterOperators() throws {
        func ids(_ filter: String) throws -> [String?] {
            try run("[{\"op\":\"filter\",\"column\":\(filter)}]").table.column("id")
        }
        #expect(try ids(#""age","operator":"==","value":50"#) == ["3", "3"])
        #expect(try ids(#""age","operator":"==","value":"50.0""#) == ["3", "3"])
        #expect(try ids(#""age","operator":"!=","value":50"#) == ["1"])
        #expect(try ids(#""score","operator":"<","value":1.5"#) == ["1"])
        #expect(try ids(#""score","operator":"<=","value":1.5"#) == ["1", "2"])
        #expect(try ids(#""score","operator":">","value":1.5"#) == ["3", "3"])
        #expect(try ids(#""score","operator":">=","value":1.5"#) == ["2", "3", "3"])
        #expect(try ids(#""city","operator":"in","values":["Oslo","Rome"]"#) == ["2"])
        #expect(try ids(#""city","operator":"notIn","values":["Oslo"]"#) == ["1", "5"])
        #expect(try ids(#""age","operator":"isMissing""#) == ["2", "5"])
        #expect(try ids(#""age","operator":"notMissing""#) == ["1", "3", "3"])
    }

    @Test func clipToBoundsAndQuantiles() throws {
        let bounds = try run(#"[{"op":"clip","columns":["score"],"min":1,"max":2}]"#)
        #expect(try bounds.table.column("score") == ["1", "1.5", "2", "2", nil])
        #expect(bounds.steps[0].cellsChanged == 3)
        // Quantiles of 0.5, 1.5, 2.5, 2.5: 0.25 → 1.25, 0.5 → 2.
        let quantiles = try run(#"[{"op":"clip","columns":["score"],"lowerQuantile":0.25,"upperQuantile":0.5}]"#)
        #expect(try quantiles.table.column("score") == ["1.25", "1.5", "2", "2", nil])
    }

    @Test func castConvertsOrFails() throws {
        let table = try RawTable(csv: "v\n3.0\n-2\nx\nyes\n")
        #expect(thrownMessage { _ = try run(#"[{"op":"cast","column":"v","to":"integer"}]"#, on: table) }
                == "steps[0] (cast): column 'v' row 3: cannot cast \"x\" to integer (use \"onError\": \"missing\" to make such cells missing)")
        let ints = try run(#"[{"op":"cast","column":"v","to":"integer","onError":"missing"}]"#, on: table)
        #expect(try ints.table.column("v") == ["3", "-2", nil, nil])
        #expect(ints.steps[0].cellsChanged == 3)
        let floats = try run(#"[{"op":"cast","column":"v","to":"float","onError":"missing"}]"#, on: table)
        #expect(try floats.table.column("v") == ["3.0", "-2.0", nil, nil])
        let bools = try run(#"[{"op":"cast","column":"v","to":"boolean","onError":"missing"}]"#, on: table)
        #expect(try bools.table.column("v") == [nil, nil, nil, "true"])
        let strings = try run(#"[{"op":"cast","column":"v","to":"string"}]"#, on: table)
        #expect(strings.table == table)
    }

    @Test func standardizeAndNormalize() throws {
        let table = try RawTable(csv: "a,b\n1,5\n2,5\n3,\n")
        let z = try run(#"[{"op":"standardize","columns":["a","b"]}]"#, on: table)
        // Mean 2, population std sqrt(2/3).
        let s = (2.0 / 3).squareRoot()
        #expect(try z.table.column("a") == [String(-1 / s), "0", String(1 / s)])
        #expect(try z.table.column("b") == ["0", "0", nil])
        let n = try run(#"[{"op":"normalize","columns":["a"]}]"#, on: table)
        #expect(try n.table.column("a") == ["0", "0.5", "1"])
        #expect(thrownMessage { _ = try run(#"[{"op":"normalize","columns":["city"]}]"#) }
                == "steps[0] (normalize): column 'city' row 1: \"Paris\" is not a number")
    }

    @Test func oneHotAndOrdinalEncoding() throws {
        let oneHot = try run(#"[{"op":"encode","column":"city","method":"oneHot"}]"#)
        #expect(oneHot.table.header == ["id", "age", "city=Oslo", "city=Paris", "score"])
        #expect(oneHot.table.rows[0] == ["1", "30", "0", "1", "0.5"])
        #expect(oneHot.table.rows[2] == ["3", "50", nil, nil, "2.5"])
        #expect(oneHot.steps[0].columnsAdded == ["city=Oslo", "city=Paris"])
        #expect(oneHot.steps[0].columnsRemoved == ["city"])
        let ordinal = try run(#"[{"op":"encode","column":"city","method":"ordinal"}]"#)
        #expect(try ordinal.table.column("city") == ["1", "0", nil, nil, "1"])
        let after = try run(#"[{"op":"encode","column":"city","method":"oneHot"},{"op":"dropColumns","columns":["city=Oslo"]}]"#)
        #expect(after.table.header == ["id", "age", "city=Paris", "score"])
    }

    @Test func dropAndRenameColumns() throws {
        let result = try run(#"[{"op":"dropColumns","columns":["age","score"]},{"op":"renameColumn","column":"city","to":"town"}]"#)
        #expect(result.table.header == ["id", "town"])
        #expect(result.steps[0].columnsRemoved == ["age", "score"])
        #expect(result.steps[1].columnsAdded == ["town"] && result.steps[1].columnsRemoved == ["city"])
    }

    @Test func previewRunsEverythingButReturnsTheFirstRows() throws {
        let pipeline = try JSONDecoder().decode(CleaningPipeline.self, from: Data(
            #"{"steps":[{"op":"impute","columns":["age"],"strategy":"mean"}]}"#.utf8))
        let preview = try pipeline.preview(Self.table, rows: 2)
        #expect(preview.table.rowCount == 2 && preview.rowCount == 5 && preview.isPreview)
        #expect(try preview.table.column("age") == ["30", String(130.0 / 3)])
        #expect(preview.steps[0].cellsChanged == 2)
    }
}

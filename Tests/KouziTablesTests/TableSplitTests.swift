import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Cleaning pipeline split")
struct TableSplitTests {
    static func labelled(_ count: Int) throws -> RawTable {
        // 80% class a, 20% class b.
        try RawTable(header: ["x", "label"], rows: (0..<count).map { ["\($0)", $0 % 5 == 0 ? "b" : "a"] })
    }

    static let splitStep = CleaningStep.split(ratios: SplitRatios(train: 0.6, validation: 0.2, test: 0.2), seed: 7,
                                              stratify: "label", output: "split")

    @Test func stratifiedProportionsHoldInEveryPart() throws {
        let result = try CleaningPipeline(steps: [Self.splitStep]).apply(to: Self.labelled(1000))
        #expect(result.table.header == ["x", "label", "split"])
        let split = try result.table.column("split"), label = try result.table.column("label")
        for (part, size) in [("train", 600), ("validation", 200), ("test", 200)] {
            let members = zip(split, label).filter { $0.0 == part }
            #expect(members.count == size)
            #expect(members.filter { $0.1 == "b" }.count == size / 5)
        }
        #expect(result.steps[0].notes == ["train 600, validation 200, test 200"])
        #expect(result.steps[0].columnsAdded == ["split"])
    }

    @Test func splitsAreDeterministicGivenTheSeed() throws {
        let table = try Self.labelled(200)
        let a = try CleaningPipeline(steps: [Self.splitStep]).apply(to: table)
        let b = try CleaningPipeline(steps: [Self.splitStep]).apply(to: table)
        #expect(a == b)
        let other = CleaningStep.split(ratios: SplitRatios(train: 0.6, validation: 0.2, test: 0.2), seed: 8,
                                       stratify: "label", output: "split")
        let c = try CleaningPipeline(steps: [other]).apply(to: table)
        #expect(try c.table.column("split") != a.table.column("split"))
    }

    @Test func unstratifiedSplitFromJSONWithACustomColumn() throws {
        let json = #"[{"op":"split","ratios":{"train":0.5,"test":0.5},"seed":1,"output":"fold"}]"#
        let pipeline = try JSONDecoder().decode(CleaningPipeline.self, from: Data(json.utf8))
        let result = try pipeline.apply(to: Self.labelled(10))
        let fold = try result.table.column("fold")
        #expect(fold.filter { $0 == "train" }.count == 5 && fold.filter { $0 == "test" }.count == 5)
    }

    @Test func splitErrors() throws {
        let table = try Self.labelled(3)
        let tooSmall = CleaningStep.split(ratios: SplitRatios(train: 0.9, validation: 0.05, test: 0.05), seed: 0,
                                          stratify: nil, output: "split")
        #expect(thrownMessage { _ = try CleaningPipeline(steps: [tooSmall]).apply(to: table) }?
                    .hasPrefix("steps[0] (split): ") == true)
        let badSum = CleaningStep.split(ratios: SplitRatios(train: 0.5, test: 0.2), seed: 0, stratify: nil, output: "split")
        #expect(thrownMessage { try CleaningPipeline(steps: [badSum]).validate(against: table.header) }
                == "steps[0] (split): invalid parameter 'ratios': the ratios add up to 0.7, not 1")
        let clash = CleaningStep.split(ratios: SplitRatios(train: 1, test: 0), seed: 0, stratify: nil, output: "x")
        #expect(throws: CleaningError.columnExists(step: 0, op: "split", column: "x")) {
            try CleaningPipeline(steps: [clash]).validate(against: table.header)
        }
    }
}

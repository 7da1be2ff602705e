import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Cleaning pipeline JSON and validation")
struct TablePipelineValidationTests {
    static let header = ["age", "city", "label"]

    func decode(_ json: String) throws -> CleaningPipeline {
        try JSONDecoder().decode(CleaningPipeline.self, from: Data(json.utf8))
    }

    func message(_ json: String) -> String? {
        thrownMessage { try decode(json).validate(against: Self.header) }
    }

    @Test func decodesStepsIntoTypedValues() throws {
        let pipeline = try decode(#"""
            [{"op":"impute","columns":["age"],"strategy":"median"},
             {"op":"filter","column":"age","operator":">=","value":18},
             {"op":"clip","columns":"age","max":99},
             {"op":"cast","column":"age","to":"integer"}]
            """#)
        #expect(pipeline.steps == [
            .impute(columns: ["age"], strategy: .median),
            .filter(column: "age", op: .greaterOrEqual, value: "18", values: nil),
            .clip(columns: ["age"], min: nil, max: 99, lowerQuantile: nil, upperQuantile: nil),
            .cast(column: "age", to: .integer, onError: .fail),
        ])
    }

    @Test func canonicalJSONSortsKeysAndWritesDefaults() throws {
        let a = try decode(#"[{"strategy":"median","columns":["age"],"op":"impute"},{"op":"split","ratios":{"test":0.25,"train":0.75},"seed":3}]"#)
        let b = try decode(#"{"steps":[{"op":"impute","columns":"age","strategy":"median"},{"op":"split","seed":3,"ratios":{"train":0.75,"validation":0,"test":0.25},"output":"split"}]}"#)
        #expect(a == b)
        #expect(a.canonicalJSON == #"[{"columns":["age"],"op":"impute","strategy":"median"},"#
                + #"{"op":"split","output":"split","ratios":{"test":0.25,"train":0.75,"validation":0},"seed":3}]"#)
        #expect(a.canonicalJSON == b.canonicalJSON)
        let again = try JSONDecoder().decode(CleaningPipeline.self, from: JSONEncoder().encode(a))
        #expect(again == a)
    }

    @Test func everyStepRoundTripsThroughJSON() throws {
        let steps: [CleaningStep] = [
            .dropMissing(columns: nil, how: .all), .impute(columns: ["a"], strategy: .constant("x\"y")),
            .dropDuplicates(columns: ["a"]), .filter(column: "a", op: .in, value: nil, values: ["1", "2"]),
            .clip(columns: ["a"], min: nil, max: nil, lowerQuantile: 0.05, upperQuantile: 0.95),
            .cast(column: "a", to: .boolean, onError: .missing), .standardize(columns: ["a"]), .normalize(columns: ["a"]),
            .encode(column: "a", method: .ordinal),
            .split(ratios: SplitRatios(train: 0.8, validation: 0.1, test: 0.1), seed: 42, stratify: "a", output: "part"),
            .dropColumns(columns: ["b"]), .renameColumn(column: "a", to: "c"),
        ]
        let pipeline = CleaningPipeline(steps: steps)
        #expect(Set(steps.map(\.op)) == Set(CleaningStep.operationNames))
        #expect(try JSONDecoder().decode(CleaningPipeline.self, from: Data(pipeline.canonicalJSON.utf8)) == pipeline)
    }

    @Test func decodingErrorsNameTheStepAndParameter() {
        #expect(message(#"[{"op":"dropMissing"},{"op":"explode"}]"#)
                == "steps[1]: unknown operation 'explode'; valid operations: dropMissing, impute, dropDuplicates, "
                + "filter, clip, cast, standardize, normalize, encode, split, dropColumns, renameColumn")
        #expect(message(#"[{"columns":["age"]}]"#)?.hasPrefix("steps[0]: missing \"op\"") == true)
        #expect(message(#"[{"op":"impute","columns":["age"]}]"#) == "steps[0] (impute): missing required parameter 'strategy'")
        #expect(message(#"[{"op":"impute","columns":["age"],"strategy":"mode"}]"#)
                == "steps[0] (impute): invalid parameter 'strategy': 'mode' is not one of mean, median, mostFrequent, constant")
        #expect(message(#"[{"op":"impute","columns":["age"],"strategy":"constant"}]"#)
                == "steps[0] (impute): missing required parameter 'value'")
        #expect(message(#"[{"op":"normalize","columns":["age"],"range":[0,1]}]"#)
                == "steps[0] (normalize): unexpected parameter 'range'; normalize takes: columns")
        #expect(message(#"[{"op":"cast","column":"age","to":"date"}]"#)
                == "steps[0] (cast): invalid parameter 'to': 'date' is not one of integer, float, string, boolean")
        #expect(message(#"[{"op":"split","ratios":[0.5,0.5]}]"#)?.hasPrefix("steps[0] (split): invalid parameter 'ratios': expected an object") == true)
        #expect(message(#"{"op":"impute"}"#)?.hasPrefix("a cleaning pipeline is a JSON array of steps") == true)
    }

    @Test func validationFollowsColumnsThroughTheSteps() {
        #expect(message(#"[{"op":"impute","columns":["agee"],"strategy":"mean"}]"#)
                == "steps[0] (impute): unknown column 'agee'; available columns at this step: age, city, label")
        #expect(message(#"[{"op":"renameColumn","column":"age","to":"years"},{"op":"standardize","columns":["age"]}]"#)
                == "steps[1] (standardize): unknown column 'age'; available columns at this step: years, city, label")
        #expect(message(#"[{"op":"dropColumns","columns":["city"]},{"op":"dropDuplicates","columns":["city"]}]"#)
                == "steps[1] (dropDuplicates): unknown column 'city'; available columns at this step: age, label")
        #expect(message(#"[{"op":"encode","column":"city","method":"oneHot"},{"op":"filter","column":"city=Oslo","operator":"==","value":1}]"#) == nil)
        #expect(message(#"[{"op":"renameColumn","column":"age","to":"city"}]"#)
                == "steps[0] (renameColumn): column 'city' already exists")
        #expect(message(#"[{"op":"dropColumns","columns":["age","city","label"]}]"#)
                == "steps[0] (dropColumns): invalid parameter 'columns': dropping them would leave no column")
    }

    @Test func validationChecksParameters() {
        #expect(message(#"[{"op":"filter","column":"age","operator":"<","value":"old"}]"#)
                == "steps[0] (filter): invalid parameter 'value': '<' needs a number, found \"old\"")
        #expect(message(#"[{"op":"filter","column":"age","operator":"in","value":3}]"#)
                == "steps[0] (filter): missing required parameter 'values'")
        #expect(message(#"[{"op":"filter","column":"age","operator":"=="}]"#)
                == "steps[0] (filter): missing required parameter 'value'")
        #expect(message(#"[{"op":"clip","columns":["age"]}]"#)
                == "steps[0] (clip): missing required parameter 'min, max, lowerQuantile or upperQuantile'")
        #expect(message(#"[{"op":"clip","columns":["age"],"min":5,"max":1}]"#)
                == "steps[0] (clip): invalid parameter 'min': min 5.0 is greater than max 1.0")
        #expect(message(#"[{"op":"clip","columns":["age"],"upperQuantile":1.5}]"#)
                == "steps[0] (clip): invalid parameter 'upperQuantile': 1.5 is outside [0, 1]")
        #expect(message(#"[{"op":"clip","columns":["age"],"min":0,"lowerQuantile":0.1}]"#)
                == "steps[0] (clip): invalid parameter 'lowerQuantile': give either 'min' or 'lowerQuantile', not both")
    }

    @Test func applyValidatesBeforeRunningAndReportsDataErrors() throws {
        let table = try RawTable(csv: "age,city,label\n1,a,x\nold,b,y\n")
        let pipeline = try decode(#"[{"op":"dropDuplicates"},{"op":"impute","columns":["nope"],"strategy":"mean"}]"#)
        #expect(throws: CleaningError.unknownColumn(step: 1, op: "impute", column: "nope", available: Self.header)) {
            _ = try pipeline.apply(to: table)
        }
        let mean = try decode(#"[{"op":"impute","columns":["age"],"strategy":"mean"}]"#)
        #expect(thrownMessage { _ = try mean.apply(to: table) }
                == "steps[0] (impute): column 'age' row 2: \"old\" is not a number")
        let empty = try RawTable(csv: "age,city,label\n,a,x\n")
        #expect(thrownMessage { _ = try mean.apply(to: empty) }
                == "steps[0] (impute): column 'age' has no values to compute the mean from")
    }
}

import Foundation
import Testing
import KouziTensor
import KouziData

@Suite("Encoders")
struct EncoderTests {
    private let table = try! CSVReader().read(string: "size,color,n\n1,red,5\n2,blue,6\n3,red,7\n")

    @Test func oneHotReplacesColumnsInPlace() throws {
        var encoder = OneHotEncoder()
        let encoded = try encoder.fitTransform(table, columns: ["color"])
        #expect(encoder.categories == [["blue", "red"]])
        #expect(encoded.columnNames == ["size", "color_blue", "color_red", "n"])
        #expect(try encoded.toTensor().scalars == [1, 0, 1, 5, 2, 1, 0, 6, 3, 0, 1, 7])
        #expect(try encoder.encode(table).shape == [3, 2])
        #expect(try JSONDecoder().decode(OneHotEncoder.self, from: JSONEncoder().encode(encoder)) == encoder)
    }

    @Test func oneHotUnknownCategoryErrorsOrIsIgnored() throws {
        var encoder = OneHotEncoder()
        try encoder.fit(table)
        #expect(encoder.columns == ["color"])
        let other = try CSVReader().read(string: "size,color,n\n1,green,5\n")
        #expect(TestSupport.errorMessage { _ = try encoder.transform(other) }
                == "OneHotEncoder: unknown category \"green\" in column 'color' at row 1; known: blue, red (use handleUnknown: .ignore to encode it as all zeros)")
        encoder.handleUnknown = .ignore
        #expect(try encoder.encode(other).scalars == [0, 0])
    }

    @Test func oneHotEncodesNumericColumnsAsText() throws {
        var encoder = OneHotEncoder()
        try encoder.fit(table, columns: ["size"])
        #expect(encoder.featureNames == ["size_1", "size_2", "size_3"])
    }

    @Test func labelEncoderRoundTrip() throws {
        var encoder = LabelEncoder()
        let ids = try encoder.fitTransform(["b", "a", "c", "a"])
        #expect(encoder.classes == ["a", "b", "c"])
        #expect(ids.dtype == .int64 && ids.intScalars == [1, 0, 2, 0])
        #expect(try encoder.inverseTransform(ids) == ["b", "a", "c", "a"])
        #expect(throws: PreprocessingError.unknownLabel(value: "z", index: 1, classes: ["a", "b", "c"])) {
            _ = try encoder.transform(["a", "z"])
        }
        #expect(throws: PreprocessingError.classIDOutOfRange(id: 3, index: 0, classCount: 3)) {
            _ = try encoder.inverseTransform(Tensor(shape: [1], values: [Int64(3)]))
        }
        var fromColumn = LabelEncoder()
        try fromColumn.fit(try table.column(named: "color"))
        #expect(try fromColumn.transform(try table.column(named: "color")).intScalars == [1, 0, 1])
    }
}

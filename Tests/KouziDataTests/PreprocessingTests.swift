import Foundation
import Testing
import KouziTensor
import KouziData

@Suite("Scalers and imputer")
struct PreprocessingTests {
    private let x = Tensor(shape: [4, 2], scalars: [1, 10, 2, 10, 3, 10, 6, 10])

    @Test func standardScalerMatchesPopulationStatistics() throws {
        var scaler = StandardScaler()
        let z = try scaler.fitTransform(x)
        #expect(scaler.mean == [3, 10])
        let std = (14.0 / 4).squareRoot()
        #expect(abs(scaler.scale[0] - std) < 1e-12)
        #expect(scaler.scale[1] == 1)
        #expect(TestSupport.close(z.scalars, [-2 / Float(std), 0, -1 / Float(std), 0, 0, 0, 3 / Float(std), 0]))
        #expect(TestSupport.close(try scaler.inverseTransform(z).scalars, x.scalars))
        let restored = try JSONDecoder().decode(StandardScaler.self, from: JSONEncoder().encode(scaler))
        #expect(restored == scaler)
        #expect(try restored.transform(x).scalars == z.scalars)
    }

    @Test func scalersValidateInput() {
        #expect(throws: PreprocessingError.notFitted(transformer: "StandardScaler")) { _ = try StandardScaler().transform(x) }
        var scaler = StandardScaler()
        #expect(throws: PreprocessingError.expectedMatrix(transformer: "StandardScaler", shape: [4], dtype: .float32)) {
            try scaler.fit(Tensor([1, 2, 3, 4]))
        }
        try? scaler.fit(x)
        #expect(TestSupport.errorMessage { _ = try scaler.transform(Tensor(shape: [1, 3], scalars: [1, 2, 3])) }
                == "StandardScaler: fitted on 2 features, got 3")
        var minMax = MinMaxScaler(featureRange: 1...1)
        #expect(throws: PreprocessingError.invalidFeatureRange(lower: 1, upper: 1)) { try minMax.fit(x) }
    }

    @Test func minMaxScalerMapsToTheFeatureRange() throws {
        var scaler = MinMaxScaler(featureRange: -1...1)
        let y = try scaler.fitTransform(x)
        #expect(scaler.dataMin == [1, 10] && scaler.dataMax == [6, 10])
        #expect(TestSupport.close(y.scalars, [-1, -1, -0.6, -1, -0.2, -1, 1, -1]))
        #expect(TestSupport.close(try scaler.inverseTransform(y).scalars, x.scalars))
    }

    @Test func nanIsIgnoredByScalersAndFilledByTheImputer() throws {
        let holes = Tensor(shape: [3, 2], scalars: [1, .nan, 3, 4, .nan, 8])
        var scaler = StandardScaler()
        try scaler.fit(holes)
        #expect(scaler.mean == [2, 6])
        for (strategy, fills) in [(SimpleImputer.Strategy.mean, [2.0, 6]), (.median, [2, 6]), (.constant, [-1, -1])] {
            var imputer = SimpleImputer(strategy: strategy, fillValue: -1)
            let filled = try imputer.fitTransform(holes)
            #expect(imputer.statistics == fills)
            #expect(filled.scalars == [1, Float(fills[1]), 3, 4, Float(fills[0]), 8])
        }
        var mode = SimpleImputer(strategy: .mostFrequent)
        try mode.fit(Tensor(shape: [5, 1], scalars: [3, 1, 3, 1, .nan]))
        #expect(mode.statistics == [1])
        var empty = SimpleImputer()
        #expect(throws: PreprocessingError.allMissing(transformer: "SimpleImputer", feature: "feature 0")) {
            try empty.fit(Tensor(shape: [2, 1], scalars: [.nan, .nan]))
        }
    }

    @Test func imputerOnTables() throws {
        let table = try CSVReader().read(string: "n,c\n1,a\n,b\n5,\n6,b\n")
        var median = SimpleImputer(strategy: .median)
        #expect(throws: PreprocessingError.strategyNotApplicable(strategy: "median", column: "c")) { try median.fit(table) }
        let filled = try median.fitTransform(table, columns: ["n"])
        #expect(filled["n"] == .numeric([1, 5, 5, 6]))
        #expect(filled["c"] == table["c"])
        var mode = SimpleImputer(strategy: .mostFrequent)
        let both = try mode.fitTransform(table)
        #expect(both["n"] == .numeric([1, 1, 5, 6]))
        #expect(both["c"] == .categorical(["a", "b", "b", "b"]))
        var constant = SimpleImputer(strategy: .constant, fillValue: 0, fillText: "?")
        let constantFilled = try constant.fitTransform(table)
        #expect(constantFilled["c"] == .categorical(["a", "b", "?", "b"]))
        #expect(try JSONDecoder().decode(SimpleImputer.self, from: JSONEncoder().encode(mode)) == mode)
        #expect(throws: PreprocessingError.columnMismatch(transformer: "SimpleImputer", column: "c", reason: "is absent")) {
            _ = try mode.transform(try table.dropping(["c"]))
        }
    }
}

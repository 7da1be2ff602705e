import Testing
import KouziTensor
import KouziData

/// Loads of the real files in `../shared/datasets`; skipped where the folder is absent.
@Suite("Real datasets")
struct RealDatasetTests {
    static let mnist = DatasetLocator.directory(named: "mnist")
    static let fashion = DatasetLocator.directory(named: "fashion-mnist")
    static let sklearn = DatasetLocator.directory(named: "sklearn-bundled")

    @Test func locatorFindsTheSharedFolderOrExplains() {
        if let root = DatasetLocator.datasetsDirectory() {
            #expect(root.hasSuffix("shared/datasets"))
        } else {
            #expect(DatasetLocator.skipMessage(for: "mnist").contains("KOUZI_DATASETS"))
        }
        #expect(DatasetLocator.directory(named: "no-such-dataset") == nil)
    }

    @Test(.enabled(if: mnist != nil, "\(DatasetLocator.skipMessage(for: "mnist"))"))
    func mnistTestSplit() throws {
        let (x, y) = try MNIST.load(directory: Self.mnist!, split: .test)
        #expect(x.shape == [10_000, 784])
        #expect(y.shape == [10_000] && y.dtype == .int64)
        let pixels = x.scalars
        #expect(pixels.min() == 0 && pixels.max() == 1)
        #expect(Array(y.intScalars.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(Set(y.intScalars) == Set(0...9))
    }

    @Test(.enabled(if: mnist != nil, "\(DatasetLocator.skipMessage(for: "mnist"))"))
    func mnistTrainSplit() throws {
        let (x, y) = try MNIST.load(directory: Self.mnist!, split: .train, flatten: false)
        #expect(x.shape == [60_000, 28, 28])
        #expect(Array(y.intScalars.prefix(5)) == [5, 0, 4, 1, 9])
    }

    @Test(.enabled(if: fashion != nil, "\(DatasetLocator.skipMessage(for: "fashion-mnist"))"))
    func fashionMNISTTestSplit() throws {
        let (x, y) = try MNIST.load(directory: Self.fashion!, split: .test)
        #expect(x.shape == [10_000, 784])
        #expect(Array(y.intScalars.prefix(5)) == [9, 2, 1, 1, 6])
        #expect((0...9).allSatisfy { c in y.intScalars.filter { $0 == c }.count == 1000 })
    }

    @Test(.enabled(if: sklearn != nil, "\(DatasetLocator.skipMessage(for: "sklearn-bundled"))"))
    func irisThroughTheGenericReaderAndTheLoader() throws {
        let table = try CSVReader().read(file: Self.sklearn! + "/data/iris.csv")
        #expect(table.columnNames == ["150", "4", "setosa", "versicolor", "virginica"])
        #expect(table.rowCount == 150)
        #expect(table.columns.allSatisfy { $0.isNumeric })
        let iris = try SklearnBundled.load(.iris, directory: Self.sklearn!)
        #expect(iris.x.shape == [150, 4] && iris.y.shape == [150])
        #expect(iris.classNames == ["setosa", "versicolor", "virginica"])
        #expect(Array(iris.x.scalars.prefix(4)) == [5.1, 3.5, 1.4, 0.2])
        #expect((0...2).allSatisfy { c in iris.y.intScalars.filter { $0 == c }.count == 50 })
        var scaler = StandardScaler()
        let z = try scaler.fitTransform(iris.x)
        #expect(abs(scaler.mean[0] - 5.843333) < 1e-5)
        #expect(z.shape == [150, 4])
    }

    @Test(.enabled(if: sklearn != nil, "\(DatasetLocator.skipMessage(for: "sklearn-bundled"))"))
    func diabetesSpaceSeparatedGzip() throws {
        let table = try CSVReader(delimiter: " ", hasHeader: false).read(file: Self.sklearn! + "/data/diabetes_data_raw.csv.gz")
        #expect(table.rowCount == 442 && table.columnCount == 10)
        #expect(table["column1"]?.numericValues?.first == 59)
        let diabetes = try SklearnBundled.load(.diabetes, directory: Self.sklearn!)
        #expect(diabetes.x.shape == [442, 10] && diabetes.y.shape == [442])
        #expect(diabetes.y.scalars.first == 151)
        #expect(diabetes.classNames.isEmpty)
    }

    @Test(.enabled(if: sklearn != nil, "\(DatasetLocator.skipMessage(for: "sklearn-bundled"))"))
    func otherBundledSets() throws {
        let wine = try SklearnBundled.load(.wine, directory: Self.sklearn!)
        #expect(wine.x.shape == [178, 13] && wine.classNames.count == 3)
        let cancer = try SklearnBundled.load(.breastCancer, directory: Self.sklearn!)
        #expect(cancer.x.shape == [569, 30] && cancer.classNames == ["malignant", "benign"])
        let digits = try SklearnBundled.load(.digits, directory: Self.sklearn!)
        #expect(digits.x.shape == [1797, 64] && digits.x.scalars.max() == 16)
        let linnerud = try CSVReader(delimiter: " ").read(file: Self.sklearn! + "/data/linnerud_exercise.csv")
        #expect(linnerud.columnNames == ["Chins", "Situps", "Jumps"] && linnerud.rowCount == 20)
    }
}

import Foundation
import Testing
import KouziData
import KouziFormats

@Suite("Real datasets")
struct RealDatasetTests {
    @Test(.enabled(if: DatasetLocator.directory(named: "mnist") != nil, "\(DatasetLocator.skipMessage(for: "mnist"))"))
    func mnistTestSplitSummary() throws {
        let dir = try #require(DatasetLocator.directory(named: "mnist"))
        let summary = try IDXPairSummary.inspect(imagesPath: dir + "/t10k-images-idx3-ubyte.gz",
                                                 labelsPath: dir + "/t10k-labels-idx1-ubyte.gz")
        #expect(summary.count == 10_000 && summary.itemShape == [28, 28])
        #expect(summary.classes.count == 10 && summary.classes.reduce(0) { $0 + $1.count } == 10_000)
        #expect(summary.pixelMin == 0 && summary.pixelMax == 255)
        #expect(abs(summary.pixelMean - 33.79) < 0.1)       // the well-known mean of 0.1325 × 255
        #expect(throws: InspectionError.self) {
            _ = try IDXPairSummary.inspect(imagesPath: dir + "/t10k-images-idx3-ubyte.gz", labelsPath: dir + "/train-labels-idx1-ubyte.gz")
        }
    }

    @Test(.enabled(if: DatasetLocator.directory(named: "fashion-mnist") != nil, "\(DatasetLocator.skipMessage(for: "fashion-mnist"))"))
    func fashionMnistTestSplitSummary() throws {
        let dir = try #require(DatasetLocator.directory(named: "fashion-mnist"))
        let summary = try IDXPairSummary.inspect(imagesPath: dir + "/t10k-images-idx3-ubyte.gz",
                                                 labelsPath: dir + "/t10k-labels-idx1-ubyte.gz")
        #expect(summary.count == 10_000 && summary.classes.allSatisfy { $0.count == 1000 })
    }

    @Test(.enabled(if: DatasetLocator.directory(named: "fsdd") != nil, "\(DatasetLocator.skipMessage(for: "fsdd"))"))
    func fsddZippedSummary() throws {
        let dir = try #require(DatasetLocator.directory(named: "fsdd"))
        let files = try DatasetFile.files(inDirectory: dir + "/recordings").filter { $0.path.hasSuffix(".wav") }
        try #require(!files.isEmpty)
        let zipPath = try Fixtures.temporaryDirectory() + "/fsdd.zip"
        let writer = try ZipWriter(path: zipPath)
        for file in files { try writer.addFile(named: "recordings/" + file.path, bytes: try file.load()) }
        try writer.finish()
        let summary = try AudioFolderSummary.inspect(try ZipArchive(path: zipPath))
        #expect(summary.classSource == .fileNamePrefix)
        #expect(summary.classes.map(\.name) == (0...9).map(String.init))
        #expect(summary.totalFiles == files.count && summary.rejected.isEmpty)
        #expect(summary.sampleRates == ["8000": files.count] && summary.channels == ["1": files.count])
        #expect(summary.duration.min > 0.1 && summary.duration.max < 3)
        let first = try WAVInfo.decode(try files[0].load(), mixToMono: true)
        #expect(first.samples.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    @Test(.enabled(if: DatasetLocator.directory(named: "raccoon") != nil, "\(DatasetLocator.skipMessage(for: "raccoon"))"))
    func raccoonJpegHeaders() throws {
        let dir = try #require(DatasetLocator.directory(named: "raccoon"))
        let images = try DatasetFile.files(inDirectory: dir + "/images").filter { $0.path.lowercased().hasSuffix(".jpg") }
        try #require(!images.isEmpty)
        let infos = try images.map { try ImageInfo.sniff(try $0.load(), source: $0.path) }
        #expect(infos.allSatisfy { $0.format == .jpeg && $0.width > 0 && $0.height > 0 })
        #expect(infos.filter { $0.channels == 1 }.count == 3)       // the README names 3 greyscale images
    }

    @Test(.enabled(if: DatasetLocator.directory(named: "tatoeba-eng-fra") != nil, "\(DatasetLocator.skipMessage(for: "tatoeba-eng-fra"))"))
    func tatoebaZipReadsAsTextCorpus() throws {
        let dir = try #require(DatasetLocator.directory(named: "tatoeba-eng-fra"))
        let archive = try ZipArchive(path: dir + "/fra-eng.zip")
        let summary = try TextCorpusSummary.inspect(archive)
        #expect(summary.documents == archive.files.count && summary.lines > 100_000)
    }
}

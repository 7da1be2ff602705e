import Foundation
import Testing
import KouziData
import KouziFormats

@Suite("Dataset summaries")
struct SummaryTests {
    @Test func imageFolderWithWrappingRootAndRejects() throws {
        let zip = try ZipWriter.archive([
            ("pets/cat/1.png", Fixtures.png(width: 32, height: 24)),
            ("pets/cat/2.jpg", Fixtures.jpeg(width: 64, height: 48, components: 1)),
            ("pets/dog/1.png", Fixtures.png(width: 16, height: 16, colorType: 6)),
            ("pets/dog/notes.txt", Array("not an image".utf8)),
            ("pets/README.png", Fixtures.png(width: 1, height: 1)),
            ("__MACOSX/pets/cat/._1.png", [0, 1]),
        ])
        let summary = try ImageFolderSummary.inspect(try ZipArchive(bytes: zip, name: "pets.zip"))
        #expect(summary.rootFolder == "pets")
        #expect(summary.classes == [ClassCount(name: "cat", count: 2), ClassCount(name: "dog", count: 1)])
        #expect(summary.totalImages == 3)
        #expect(summary.formats == ["png": 2, "jpeg": 1])
        #expect(summary.channels == ["1": 1, "3": 1, "4": 1])
        #expect(summary.width == IntRange(min: 16, max: 64) && summary.height == IntRange(min: 16, max: 48))
        #expect(summary.rejected == [RejectedFile(path: "pets/dog/notes.txt", reason: "not an image"),
                                     RejectedFile(path: "pets/README.png", reason: "not inside a class folder")])
        let json = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(ImageFolderSummary.self, from: json) == summary)
    }

    @Test func imageFolderWithoutImagesThrows() throws {
        let zip = try ZipWriter.archive([("a/readme.txt", Array("hi".utf8))])
        #expect(throws: InspectionError.noUsableFiles(source: "<bytes>", kind: "image", rejected: 1)) {
            _ = try ImageFolderSummary.inspect(try ZipArchive(bytes: zip))
        }
    }

    @Test func audioClassesFromFlatFileNamePrefixes() throws {
        let zip = try ZipWriter.archive([
            ("recordings/7_jackson_0.wav", Fixtures.wav(samples: Array(repeating: 0, count: 8000))),
            ("recordings/7_theo_1.wav", Fixtures.wav(samples: Array(repeating: 0, count: 4000))),
            ("recordings/3_jackson_0.wav", Fixtures.wav(samples: Array(repeating: 0, count: 2000))),
            ("recordings/noise.wav", Fixtures.wav(samples: [0])),
            ("recordings/9_x.wav", Array("RIFFjunk".utf8)),
        ])
        let summary = try AudioFolderSummary.inspect(try ZipArchive(bytes: zip))
        #expect(summary.classSource == .fileNamePrefix)
        #expect(summary.classes == [ClassCount(name: "3", count: 1), ClassCount(name: "7", count: 2)])
        #expect(summary.sampleRates == ["8000": 3] && summary.channels == ["1": 3] && summary.encodings == ["pcm16": 3])
        #expect(summary.duration == ValueStatistics(min: 0.25, mean: 1.75 / 3, max: 1, total: 1.75))
        #expect(summary.durationPerClass == ["7": 1.5, "3": 0.25])
        #expect(summary.rejected.map(\.path) == ["recordings/noise.wav", "recordings/9_x.wav"])
    }

    @Test func audioClassesFromFolders() throws {
        let zip = try ZipWriter.archive([
            ("yes/a.wav", Fixtures.wav(samples: [1, 2], channels: 2, rate: 16000)),
            ("no/b.wav", Fixtures.wav(samples: [1, 2, 3, 4], rate: 16000)),
        ])
        let summary = try AudioFolderSummary.inspect(try ZipArchive(bytes: zip))
        #expect(summary.classSource == .folder && summary.rootFolder == nil)
        #expect(summary.classes.map(\.name) == ["no", "yes"])
        #expect(summary.channels == ["1": 1, "2": 1])
    }

    @Test func textCorpusCountsAndClasses() throws {
        let zip = try ZipWriter.archive([
            ("corpus/pos/a.txt", Array("\u{FEFF}good movie\nvery good\n".utf8)),
            ("corpus/neg/b.txt", Array("bad  film\tnaïve".utf8)),
        ])
        let summary = try TextCorpusSummary.inspect(try ZipArchive(bytes: zip))
        #expect(summary.documents == 2 && summary.lines == 3)
        #expect(summary.tokens == 7 && summary.vocabularySize == 6)
        #expect(summary.characters == "good movie\nvery good\n".count + "bad  film\tnaïve".count)
        #expect(summary.classes == [ClassCount(name: "neg", count: 1), ClassCount(name: "pos", count: 1)])
    }

    @Test func textInvalidUTF8NamesFileAndOffset() throws {
        let dir = try Fixtures.temporaryDirectory()
        try Data("fine\n".utf8).write(to: URL(fileURLWithPath: dir + "/ok.txt"))
        try Data([0x61, 0x62, 0xE2, 0x82, 0x41]).write(to: URL(fileURLWithPath: dir + "/bad.txt"))
        #expect(throws: InspectionError.invalidUTF8(file: dir + "/bad.txt", offset: 2)) {
            _ = try TextCorpusSummary.inspect(paths: [dir + "/ok.txt", dir + "/bad.txt"])
        }
        for (bytes, offset) in [([0xC0, 0x80], 0), ([0x41, 0xED, 0xA0, 0x80], 1), ([0xF4, 0x90, 0x80, 0x80], 0), ([0x41, 0xFF], 1)] as [([UInt8], Int)] {
            let zip = try ZipWriter.archive([("t.txt", bytes)])
            #expect(throws: InspectionError.invalidUTF8(file: "t.txt", offset: offset)) { _ = try TextCorpusSummary.inspect(try ZipArchive(bytes: zip)) }
        }
        let flat = try TextCorpusSummary.inspect(paths: [dir + "/ok.txt"])
        #expect(flat.classes.isEmpty && flat.lines == 1 && flat.tokens == 1)
    }

    @Test func idxPairStatisticsAndMismatch() throws {
        func idx(_ type: UInt8, _ shape: [Int], _ payload: [UInt8]) -> [UInt8] {
            [0, 0, type, UInt8(shape.count)] + shape.flatMap { Fixtures.be32($0) } + payload
        }
        let images = idx(0x08, [3, 2, 2], [0, 255, 0, 255, 10, 10, 10, 10, 0, 0, 0, 0])
        let labels = idx(0x08, [3], [1, 0, 1])
        let summary = try IDXPairSummary.inspect(imagesBytes: images, labelsBytes: labels)
        #expect(summary.count == 3 && summary.itemShape == [2, 2] && summary.pixelType == "ubyte")
        #expect(summary.classes == [ClassCount(name: "0", count: 1), ClassCount(name: "1", count: 2)])
        #expect(summary.pixelMin == 0 && summary.pixelMax == 255)
        #expect(abs(summary.pixelMean - 550.0 / 12) < 1e-9)
        let squares: Double = 2 * 65_025 + 4 * 100
        let mean: Double = 550.0 / 12
        let expectedStd = (squares / 12 - mean * mean).squareRoot()
        #expect(abs(summary.pixelStd - expectedStd) < 1e-6)
        #expect(throws: InspectionError.countMismatch(images: "img", imageCount: 3, labels: "lab", labelCount: 2)) {
            _ = try IDXPairSummary.inspect(imagesBytes: images, imagesName: "img", labelsBytes: idx(0x08, [2], [1, 0]), labelsName: "lab")
        }
        #expect(throws: IDXError.self) { _ = try IDXPairSummary.inspect(imagesBytes: [1, 2], labelsBytes: labels) }
    }
}

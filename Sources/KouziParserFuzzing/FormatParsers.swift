import KouziFormats

/// The fuzz targets of the file-format readers: ZIP archives, WAV audio and image headers.
enum FormatParsers {
    /// Limits far below the defaults, so that an entry that declares gigabytes is refused at once and
    /// every accepted entry can be extracted within the fuzzer's time budget.
    static let zipLimits = ZipLimits(maxEntries: 256, maxTotalUncompressedBytes: 4 << 20, maxEntryUncompressedBytes: 1 << 20,
                                     maxCompressionRatio: 200, ratioCheckMinimumBytes: 1 << 16)

    static func zip(_ bytes: [UInt8]) {
        guard let archive = try? ZipArchive(bytes: bytes, name: "fuzz.zip", limits: zipLimits) else { return }
        for entry in archive.files {
            _ = try? archive.contents(of: entry)
        }
        _ = archive.entry(named: archive.entries.first?.path ?? "")
    }

    static func wav(_ bytes: [UInt8]) {
        guard (try? WAVInfo.parse(bytes)) != nil else { return }
        _ = try? WAVInfo.decode(bytes, mixToMono: true)
    }

    static func image(_ bytes: [UInt8]) {
        _ = try? ImageInfo.sniff(bytes)
    }
}

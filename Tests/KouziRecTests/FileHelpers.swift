import KouziBase

func mkdirHelper(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }

struct WriteFailure: Error {}

/// Writes `text` (its Unicode scalars ≤ 0xFF as Latin-1 bytes, others as UTF-8) to `path`.
func writeHelper(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw WriteFailure() }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    for s in text.unicodeScalars {
        if s.value <= 0xFF { bytes.append(UInt8(s.value)) } else { bytes.append(contentsOf: Array(String(s).utf8)) }
    }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
}

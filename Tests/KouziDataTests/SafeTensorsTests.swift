import Foundation
import Testing
import KouziTensor
import KouziData

@Suite("safetensors")
struct SafeTensorsTests {
    private let tensors: [(name: String, tensor: Tensor)] = [
        ("w", Tensor(shape: [2, 3], scalars: [1, -2.5, 3, .pi, 0, -0])),
        ("b", Tensor(shape: [3], values: [Int32(-1), 0, Int32.max])),
        ("ids", Tensor(shape: [2, 1], values: [Int64.min, 42])),
        ("scalar", Tensor(7.25)),
        ("empty", Tensor(shape: [0, 4], scalars: [])),
    ]

    @Test func roundTripPreservesEverything() throws {
        let bytes = SafeTensors.encode(tensors, metadata: ["format": "kouzi", "quote": "a \"b\"\n\u{1}é"])
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{\"format\":\"kouzi\""))
        #expect(header.contains("\"b\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]}"))
        let (decoded, metadata) = try SafeTensors.decode(bytes)
        #expect(metadata == ["format": "kouzi", "quote": "a \"b\"\n\u{1}é"])
        #expect(decoded.count == tensors.count)
        for (name, tensor) in tensors {
            let other = try #require(decoded[name])
            #expect(other.shape == tensor.shape && other.dtype == tensor.dtype)
            switch tensor.dtype {
            case .float32: #expect(other.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
            case .int32: #expect(other.withUnsafeElements(Int32.self, Array.init) == tensor.withUnsafeElements(Int32.self, Array.init))
            case .int64: #expect(other.withUnsafeElements(Int64.self, Array.init) == tensor.withUnsafeElements(Int64.self, Array.init))
            }
        }
    }

    @Test func fileWriteIsAtomicAndReadable() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("m.safetensors").path
        try SafeTensors.write(tensors, metadata: [:], to: path)
        try SafeTensors.write(Array(tensors.prefix(1)), to: path)
        let (decoded, metadata) = try SafeTensors.read(from: path)
        #expect(Array(decoded.keys) == ["w"] && metadata.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.safetensors"])
        #expect(throws: SafeTensorsError.invalidName("w")) { try SafeTensors.write(tensors + [("w", Tensor(1))], to: path) }
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.read(from: dir.appendingPathComponent("none").path) }
    }

    /// A file with `header` as its JSON and `data` after it.
    private func file(_ header: String, data: [UInt8] = []) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(json.count >> (8 * $0) & 0xFF) } + json + data
    }

    @Test func malformedFilesThrowPreciseErrors() {
        let good = SafeTensors.encode(tensors, metadata: [:])
        #expect(throws: SafeTensorsError.missingHeaderLength(fileSize: 3)) { _ = try SafeTensors.decode([1, 2, 3]) }
        #expect(throws: SafeTensorsError.headerLengthOutOfRange(length: 1000, available: 2)) {
            _ = try SafeTensors.decode([0xE8, 0x03, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
        }
        #expect(TestSupport.errorMessage { _ = try SafeTensors.decode(Array(good.dropLast(4))) }?
            .contains("truncated file: tensor 'w' ends at data byte 56 but the data section has 52 bytes") == true)
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.decode(file("{\"a\": ")) }
        #expect(throws: SafeTensorsError.invalidHeader(reason: "the header must start with '{'")) { _ = try SafeTensors.decode(file("[]")) }
        #expect(throws: SafeTensorsError.unsupportedDType(name: "a", dtype: "F16")) {
            _ = try SafeTensors.decode(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", data: [0, 0]))
        }
        #expect(throws: SafeTensorsError.sizeMismatch(name: "a", shape: [2], dtype: "F32", expectedBytes: 8, rangeBytes: 4)) {
            _ = try SafeTensors.decode(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]))
        }
        #expect(throws: SafeTensorsError.overlapping(first: "a", second: "b")) {
            _ = try SafeTensors.decode(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: SafeTensorsError.unclaimedBytes(offset: 4, count: 4)) {
            _ = try SafeTensors.decode(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: SafeTensorsError.invalidEntry(name: "a", reason: "'shape' must hold non-negative integers")) {
            _ = try SafeTensors.decode(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]))
        }
        #expect(throws: SafeTensorsError.invalidHeader(reason: "metadata value of 'k' is not a string")) {
            _ = try SafeTensors.decode(file("{\"__metadata__\":{\"k\":1}}"))
        }
    }

    @Test func randomCorruptionNeverCrashes() {
        let good = SafeTensors.encode(tensors, metadata: ["k": "v"])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? SafeTensors.decode(Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))))
        }
    }

    @Test(.enabled(if: TestSupport.pythonHasSafetensors, "python3 with safetensors and numpy is not installed"))
    func pythonLoadsOurFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("py.safetensors").path
        try SafeTensors.write(tensors, metadata: ["epoch": "3"], to: path)
        let script = """
        import json, safetensors, safetensors.numpy as st
        t = st.load_file('\(path)')
        with safetensors.safe_open('\(path)', 'np') as f: meta = f.metadata()
        print(json.dumps({k: [str(v.dtype), list(v.shape), v.ravel().tolist()] for k, v in t.items()} | {'meta': meta}, sort_keys=True))
        """
        let (status, output) = try TestSupport.runPython(script)
        #expect(status == 0, "python failed: \(output)")
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let w = parsed?["w"] as? [Any]
        #expect(w?[0] as? String == "float32")
        #expect((w?[1] as? [Int]) == [2, 3])
        #expect(((w?[2] as? [Double]) ?? []).map(Float.init) == tensors[0].tensor.scalars)
        #expect(((parsed?["b"] as? [Any])?[2] as? [Int]) == [-1, 0, Int(Int32.max)])
        #expect(((parsed?["ids"] as? [Any])?[2] as? [Int]) == [Int(Int64.min), 42])
        #expect(((parsed?["ids"] as? [Any])?[0] as? String) == "int64")
        #expect(((parsed?["scalar"] as? [Any])?[1] as? [Int]) == [])
        #expect((parsed?["meta"] as? [String: String]) == ["epoch": "3"])
    }

    @Test(.enabled(if: TestSupport.pythonHasSafetensors, "python3 with safetensors and numpy is not installed"))
    func weReadPythonFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("from-py.safetensors").path
        let script = """
        import numpy as np, safetensors.numpy as st
        st.save_file({'a': np.arange(6, dtype=np.float32).reshape(2, 3) / 4, 'n': np.array([5, -6], dtype=np.int64),
                      'i': np.array([[7]], dtype=np.int32)}, '\(path)', metadata={'who': 'numpy'})
        """
        let (status, output) = try TestSupport.runPython(script)
        #expect(status == 0, "python failed: \(output)")
        let (decoded, metadata) = try SafeTensors.read(from: path)
        #expect(metadata == ["who": "numpy"])
        #expect(decoded["a"]?.shape == [2, 3] && decoded["a"]?.scalars == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(decoded["n"]?.dtype == .int64 && decoded["n"]?.intScalars == [5, -6])
        #expect(decoded["i"]?.dtype == .int32 && decoded["i"]?.shape == [1, 1])
    }
}

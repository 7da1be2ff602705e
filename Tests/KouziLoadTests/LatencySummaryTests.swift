import Foundation
import Testing
@testable import KouziLoad

/// Nearest-rank percentiles and the command line of the load generator.
@Suite struct LatencySummaryTests {
    @Test func nearestRankPercentiles() {
        let hundred = Array(1...100)
        #expect(LatencySummary.percentile(50, ofSorted: hundred) == 50)
        #expect(LatencySummary.percentile(90, ofSorted: hundred) == 90)
        #expect(LatencySummary.percentile(99, ofSorted: hundred) == 99)
        #expect(LatencySummary.percentile(100, ofSorted: hundred) == 100)
        #expect(LatencySummary.percentile(0.5, ofSorted: hundred) == 1)
        // Ranks round up: ⌈0.5 · 5⌉ = 3, ⌈0.99 · 5⌉ = 5.
        #expect(LatencySummary.percentile(50, ofSorted: [10, 20, 30, 40, 50]) == 30)
        #expect(LatencySummary.percentile(99, ofSorted: [10, 20, 30, 40, 50]) == 50)
        #expect(LatencySummary.percentile(99, ofSorted: [7]) == 7)
    }

    @Test func summaryInMillisecondsFromUnsortedNanoseconds() {
        let ns: [UInt64] = (1...1000).reversed().map { UInt64($0) * 1_000_000 }
        let summary = LatencySummary(nanoseconds: ns)
        #expect([Double(summary.count), summary.mean, summary.p50, summary.p90, summary.p99, summary.max]
            == [1000, 500.5, 500, 900, 990, 1000])
        let empty = LatencySummary(nanoseconds: [])
        #expect([Double(empty.count), empty.mean, empty.p50, empty.p90, empty.p99, empty.max] == [0, 0, 0, 0, 0, 0])
    }

    @Test func requestBytesFromTheCommandLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-load-\(UUID().uuidString).json")
        try Data("{\"a\": 1}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let options = try LoadOptions(arguments: ["--url", "http://127.0.0.1:8123/v2/models/m/infer?x=1", "--body", file.path,
                                                  "--connections", "8", "--duration", "3", "--header", "Authorization: Bearer t"])
        #expect(options.connections == 8 && options.duration == 3 && options.warmup == 2)
        #expect(String(decoding: options.request, as: UTF8.self) == "POST /v2/models/m/infer?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8123\r\n"
            + "Content-Type: application/json\r\nContent-Length: 8\r\nAuthorization: Bearer t\r\n\r\n{\"a\": 1}")
        let get = try LoadOptions(arguments: ["--url", "http://localhost/"])
        #expect(String(decoding: get.request, as: UTF8.self) == "GET / HTTP/1.1\r\nHost: localhost:80\r\n\r\n")
        #expect(throws: UsageError.self) { try LoadOptions(arguments: ["--url", "https://x/"]) }
        #expect(throws: UsageError.self) { try LoadOptions(arguments: ["--url", "http://x/", "--connections", "0"]) }
        #expect(throws: UsageError.self) { try LoadOptions(arguments: ["--url", "http://x/", "--rate", "5"]) }
    }
}

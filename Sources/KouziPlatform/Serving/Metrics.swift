import Foundation

/// Counters and histograms with labels, rendered in Prometheus's text exposition format (version 0.0.4).
public final class MetricsRegistry: @unchecked Sendable {
    private struct Family {
        var help: String
        var type: String
        var buckets: [Double] = []
        /// Label values (in `labelNames` order) → counter value, or histogram bucket counts + sum + count.
        var labelNames: [String]
        var series: [[String]: [Double]] = [:]
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]
    private var order: [String] = []

    public init() {}

    /// Declares a counter.
    public func counter(_ name: String, help: String, labels: [String]) { declare(name, Family(help: help, type: "counter", labelNames: labels)) }

    /// Declares a histogram with upper bounds `buckets` (ascending; +Inf is added).
    public func histogram(_ name: String, help: String, labels: [String], buckets: [Double]) {
        declare(name, Family(help: help, type: "histogram", buckets: buckets, labelNames: labels))
    }

    private func declare(_ name: String, _ family: Family) {
        lock.withLock {
            if families[name] == nil { order.append(name) }
            families[name] = family
        }
    }

    /// Adds `value` to a counter.
    public func increment(_ name: String, _ labels: [String], by value: Double = 1) {
        lock.withLock { families[name]?.series[labels, default: [0]][0] += value }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, _ labels: [String], _ value: Double) {
        lock.withLock {
            guard var family = families[name] else { return }
            var s = family.series[labels] ?? [Double](repeating: 0, count: family.buckets.count + 2)
            for (i, bound) in family.buckets.enumerated() where value <= bound { s[i] += 1 }
            s[family.buckets.count] += value
            s[family.buckets.count + 1] += 1
            family.series[labels] = s
            families[name] = family
        }
    }

    /// The registry in the text format, followed by `extra` gauges (name, help, labels, value).
    public func render(gauges extra: [(name: String, help: String, labels: [(String, String)], value: Double)] = []) -> String {
        var out = ""
        lock.withLock {
            for name in order {
                guard let f = families[name] else { continue }
                out += "# HELP \(name) \(f.help)\n# TYPE \(name) \(f.type)\n"
                for labels in f.series.keys.sorted(by: { $0.joined(separator: "\u{0}") < $1.joined(separator: "\u{0}") }) {
                    let values = f.series[labels]!
                    let pairs = zip(f.labelNames, labels).map { ($0, $1) }
                    if f.type == "counter" {
                        out += "\(name)\(Self.labels(pairs)) \(Self.number(values[0]))\n"
                        continue
                    }
                    for (i, bound) in f.buckets.enumerated() {
                        out += "\(name)_bucket\(Self.labels(pairs + [("le", Self.number(bound))])) \(Self.number(values[i]))\n"
                    }
                    let count = values[f.buckets.count + 1]
                    out += "\(name)_bucket\(Self.labels(pairs + [("le", "+Inf")])) \(Self.number(count))\n"
                    out += "\(name)_sum\(Self.labels(pairs)) \(Self.number(values[f.buckets.count]))\n"
                    out += "\(name)_count\(Self.labels(pairs)) \(Self.number(count))\n"
                }
            }
        }
        var declared = Set<String>()
        for gauge in extra {
            if declared.insert(gauge.name).inserted { out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n" }
            out += "\(gauge.name)\(Self.labels(gauge.labels)) \(Self.number(gauge.value))\n"
        }
        return out
    }

    static func labels(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        let escaped = pairs.map { key, value in
            "\(key)=\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        return "{" + escaped.joined(separator: ",") + "}"
    }

    static func number(_ v: Double) -> String {
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v.rounded() == v && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

/// The process's resident memory and CPU time, read from /proc (zero where it is absent).
enum ProcessStats {
    static let started = Date()

    static var residentBytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    static var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields after the command: state is 0, utime 11, stime 12 (clock ticks).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

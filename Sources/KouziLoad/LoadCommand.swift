import Foundation

/// `kouzi-load`: a closed-loop HTTP/1.1 load generator for inference endpoints. C connections (one thread each,
/// blocking sockets, keep-alive, TCP_NODELAY) send the same request for a duration after a warm-up; prints one
/// JSON line (stdout) and one human line (stderr) with the requests, errors, throughput and latency percentiles.
///
/// Usage: kouzi-load --url http://HOST:PORT/PATH [--body FILE] [--connections C] [--duration S] [--warmup S]
///                   [--header 'Name: value']… [--content-type TYPE]
/// With --body the requests are POSTs of that file's bytes; without, GETs.
@main
enum LoadCommand {
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            let options = try LoadOptions(arguments: Array(CommandLine.arguments.dropFirst()))
            let result = LoadRun.run(options.plan)
            let report = LoadReport(options: options, result: result)
            print(report.json)
            FileHandle.standardError.write(Data((report.line + "\n").utf8))
            if let reason = result.firstSocketError {
                FileHandle.standardError.write(Data("kouzi-load: first socket error: \(reason)\n".utf8))
            }
            exit(report.requests > 0 ? 0 : 1)
        } catch {
            FileHandle.standardError.write(Data("kouzi-load: \(error)\n".utf8))
            exit(2)
        }
    }
}

/// A usage mistake on the command line.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The command line, parsed.
struct LoadOptions {
    var url: URL
    var host: String, port: Int, path: String
    var body: [UInt8]?
    var contentType = "application/json"
    var headers: [String] = []
    var connections = 1
    var duration = 10.0, warmup = 2.0

    init(arguments: [String]) throws {
        var values: [String: String] = [:], headers: [String] = []
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            guard name.hasPrefix("--"), i + 1 < arguments.count else { throw UsageError(description: "expected --option value at '\(name)'") }
            if name == "--header" { headers.append(arguments[i + 1]) } else { values[String(name.dropFirst(2))] = arguments[i + 1] }
            i += 2
        }
        let known: Set = ["url", "body", "connections", "duration", "warmup", "content-type"]
        if let unknown = values.keys.first(where: { !known.contains($0) }) { throw UsageError(description: "unknown option --\(unknown)") }
        guard let text = values["url"], let url = URL(string: text), url.scheme == "http", let host = url.host else {
            throw UsageError(description: "--url http://HOST:PORT/PATH is required (plain http)")
        }
        self.url = url
        self.host = host
        port = url.port ?? 80
        let parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let encodedPath = parts?.percentEncodedPath ?? ""
        path = (encodedPath.isEmpty ? "/" : encodedPath) + (parts?.percentEncodedQuery.map { "?" + $0 } ?? "")
        if let file = values["body"] { body = Array(try Data(contentsOf: URL(fileURLWithPath: file))) }
        if let type = values["content-type"] { contentType = type }
        self.headers = headers
        if let c = values["connections"] {
            guard let n = Int(c), (1...1024).contains(n) else { throw UsageError(description: "--connections must be in 1…1024") }
            connections = n
        }
        for (key, keyPath) in [("duration", \LoadOptions.duration), ("warmup", \LoadOptions.warmup)] {
            guard let v = values[key] else { continue }
            guard let seconds = Double(v), seconds >= 0, seconds <= 3600 else { throw UsageError(description: "--\(key) must be 0…3600 seconds") }
            self[keyPath: keyPath] = seconds
        }
        guard duration > 0 else { throw UsageError(description: "--duration must be positive") }
    }

    /// The request every connection sends.
    var request: [UInt8] {
        var head = "\(body == nil ? "GET" : "POST") \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        for header in headers { head += header + "\r\n" }
        return Array((head + "\r\n").utf8) + (body ?? [])
    }

    var plan: LoadPlan {
        LoadPlan(host: host, port: port, request: request, connections: connections, warmup: warmup, duration: duration)
    }
}

/// The numbers a run prints.
struct LoadReport {
    var options: LoadOptions
    var result: LoadResult
    var latency: LatencySummary

    init(options: LoadOptions, result: LoadResult) {
        self.options = options
        self.result = result
        latency = LatencySummary(nanoseconds: result.latencies)
    }

    var requests: Int { result.latencies.count }
    var throughput: Double { Double(requests) / options.duration }

    var json: String {
        func number(_ x: Double) -> String { String(format: "%.4f", x) }
        let statuses = result.statuses.keys.sorted().map { "\"\($0)\": \(result.statuses[$0]!)" }.joined(separator: ", ")
        return "{\"url\": \"\(options.url.absoluteString)\", \"connections\": \(options.connections), "
            + "\"duration_s\": \(number(options.duration)), \"warmup_s\": \(number(options.warmup)), "
            + "\"requests\": \(requests), \"http_errors\": \(result.httpErrors), \"socket_errors\": \(result.socketErrors), "
            + "\"statuses\": {\(statuses)}, \"throughput_rps\": \(number(throughput)), "
            + "\"latency_ms\": {\"mean\": \(number(latency.mean)), \"p50\": \(number(latency.p50)), \"p90\": \(number(latency.p90)), "
            + "\"p99\": \(number(latency.p99)), \"max\": \(number(latency.max))}}"
    }

    var line: String {
        options.url.absoluteString + String(format: "  c=%d  %d requests in %.1f s  %.1f req/s  errors: %d http, %d socket  latency ms p50 %.3f  p90 %.3f  p99 %.3f  max %.3f",
               options.connections, requests, options.duration, throughput, result.httpErrors,
               result.socketErrors, latency.p50, latency.p90, latency.p99, latency.max)
    }
}

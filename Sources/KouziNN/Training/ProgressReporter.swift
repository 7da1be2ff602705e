import KouziBase

/// Prints training progress: a live bar on a terminal, one line per epoch otherwise.
final class ProgressReporter {
    private let live: Bool
    private let enabled: Bool
    private let epochs: Int
    private let steps: Int?
    private var epochStart = 0.0
    private var lastDraw = 0.0

    init(verbosity: Verbosity, epochs: Int, steps: Int?) {
        self.epochs = epochs
        self.steps = steps
        enabled = verbosity != .silent
        live = verbosity == .auto && isatty(STDOUT_FILENO) != 0
    }

    static func now() -> Double { MonotonicClock.seconds() }

    func beginEpoch(_ epoch: Int) {
        currentEpoch = epoch
        epochStart = ProgressReporter.now()
        lastDraw = 0
    }

    func step(_ step: Int, logs: [String: Float]) {
        guard enabled && live else { return }
        let t = ProgressReporter.now()
        if step < (steps ?? .max) && t - lastDraw < 0.1 { return }
        lastDraw = t
        let elapsed = t - epochStart
        guard let steps else {
            writeOut("\rEpoch \(currentEpoch + 1)/\(epochs) \(step) steps \(formatDuration(elapsed)) " + render(logs) + "\u{1B}[K")
            return
        }
        let eta = elapsed / Double(step) * Double(steps - step)
        let width = 24
        let filled = Int(Double(width) * Double(step) / Double(steps))
        let bar = String(repeating: "=", count: Swift.max(filled - 1, 0)) + (filled > 0 && step < steps ? ">" : (filled > 0 ? "=" : ""))
            + String(repeating: ".", count: width - filled)
        let line = "\rEpoch \(currentEpoch + 1)/\(epochs) \(step)/\(steps) [\(bar)] ETA \(formatDuration(eta)) " + render(logs)
        writeOut(line + "\u{1B}[K")
    }

    private var currentEpoch = 0

    func endEpoch(_ epoch: Int, logs: [String: Float]) {
        guard enabled else { return }
        let elapsed = ProgressReporter.now() - epochStart
        let line = "Epoch \(epoch + 1)/\(epochs) - \(formatDuration(elapsed)) - " + render(logs)
        writeOut((live ? "\r" + line + "\u{1B}[K" : line) + "\n")
    }

    private func render(_ logs: [String: Float]) -> String {
        let keys = logs.keys.filter { $0 != "lr" }.sorted { a, b in
            let ra = (a.hasPrefix("val_") ? 2 : 0) + (a.hasSuffix("loss") ? 0 : 1)
            let rb = (b.hasPrefix("val_") ? 2 : 0) + (b.hasSuffix("loss") ? 0 : 1)
            return ra == rb ? a < b : ra < rb
        }
        return keys.map { "\($0): \(formatLog(logs[$0]!))" }.joined(separator: " - ")
    }

    private func writeOut(_ s: String) {
        var bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int(seconds * 1000))ms" }
    if seconds < 60 { return String(Int(seconds)) + "s" }
    let m = Int(seconds) / 60, s = Int(seconds) % 60
    return "\(m)m\(s < 10 ? "0" : "")\(s)s"
}

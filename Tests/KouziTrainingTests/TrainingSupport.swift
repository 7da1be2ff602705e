import Foundation
import KouziNN
@testable import KouziTraining

/// A fresh temporary directory removed by the caller.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "kouzi-training-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A CSV of two noisy numeric features whose class is the sign of their sum, with a third categorical column.
func writeBlobsCSV(rows: Int = 240, to path: String) throws {
    var g = SystemRandomNumberGenerator()
    var lines = ["x1,x2,colour,label"]
    for i in 0..<rows {
        let a = Double.random(in: -1...1, using: &g), b = Double.random(in: -1...1, using: &g)
        lines.append("\(a),\(b),\(["red", "green", "blue"][i % 3]),\(a + b > 0 ? "yes" : "no")")
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

/// A CSV of short sentences whose label is whether they say something good.
func writeSentencesCSV(rows: Int = 400, to path: String) throws {
    let good = ["great", "good", "lovely", "wonderful", "fine"], bad = ["awful", "bad", "terrible", "boring", "poor"]
    let fillers = ["the film was", "i found it", "what a", "honestly a", "this is a"]
    var lines = ["review,sentiment"]
    for i in 0..<rows {
        let positive = i % 2 == 0
        let word = (positive ? good : bad)[(i / 2) % 5]
        lines.append("\"\(fillers[(i / 10) % 5]) \(word) story\",\(positive ? "pos" : "neg")")
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

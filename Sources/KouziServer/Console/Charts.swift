import Foundation

/// SVG charts drawn by the server: every chart has a title, labelled axes with units and a legend, and carries
/// `role="img"` with a text description for screen readers.
enum Chart {
    /// Colours that stay apart for the common colour-vision deficiencies.
    static let palette = ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd", "#d62728", "#17becf", "#8c564b", "#bcbd22"]

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// One line of a line chart.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var dashed = false
        var colour: String? = nil
    }

    /// Round tick values covering `low…high`: steps of 1, 2 or 5 × 10ⁿ, about `count` of them; with `whole`, steps
    /// of at least 1 (epochs and versions have no halves).
    static func ticks(_ low: Double, _ high: Double, count: Int = 5, whole: Bool = false) -> [Double] {
        guard low.isFinite, high.isFinite else { return [] }
        if high <= low { return [low] }
        let raw = (high - low) / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        if whole { step = max(step, 1) }
        var values: [Double] = []
        var v = ceil(low / step - 1e-9) * step
        while v <= high + step * 1e-9 {
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return values
    }

    /// Extends a range to round ticks (and away from zero width).
    static func niceRange(_ low: Double, _ high: Double) -> (Double, Double) {
        var (lo, hi) = (low, high)
        if !(lo.isFinite && hi.isFinite) { return (0, 1) }
        if hi - lo < 1e-12 { let pad = max(abs(hi) * 0.1, 1e-3); lo -= pad; hi += pad }
        let t = ticks(lo, hi)
        guard t.count >= 2 else { return (lo, hi) }
        let step = t[1] - t[0]
        return (floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step)
    }

    /// Formats a tick label; times (milliseconds since 1970) as UTC hours and minutes.
    static func tickLabel(_ v: Double, time: Bool) -> String {
        if time {
            let seconds = Int64(v / 1000)
            let minutes = (seconds / 60) % 60, hours = (seconds / 3600) % 24
            return String(format: "%02d:%02d", hours, minutes)
        }
        return Format.number(v, digits: 3)
    }

    /// The opening of a chart: the `svg` element, its accessible title and description.
    static func open(id: String?, cls: String, width: Int, height: Int, title: String, description: String,
                     attributes: String = "") -> String {
        let idAttribute = id.map { " id=\"\($0)\"" } ?? ""
        let titleID = "t\(UInt32.random(in: 0...UInt32.max))"
        return "<svg\(idAttribute) class=\"chart \(cls)\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(titleID)\""
            + " preserveAspectRatio=\"xMidYMid meet\" \(attributes)><title id=\"\(titleID)\">\(esc(title))</title><desc>\(esc(description))</desc>"
    }

    /// A line chart with numeric or time x values.
    static func line(id: String? = nil, title: String, xLabel: String, yLabel: String, series: [Series],
                     timeAxis: Bool = false, yRange: (Double, Double)? = nil, xRange: (Double, Double)? = nil, counts: Bool = false,
                     markers: Bool? = nil, diagonal: Bool = false, width: Int = 640, height: Int = 280,
                     attributes: String = "") -> String {
        let total = series.reduce(0) { $0 + $1.points.count }
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let left = 64.0, right = 16.0, top = series.count > 1 ? 44.0 : 30.0, bottom = 48.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        var svg = open(id: id, cls: "line-chart", width: width, height: height, title: title,
                       description: "\(yLabel) against \(xLabel): \(series.map { "\($0.name), \($0.points.count) points" }.joined(separator: "; "))",
                       attributes: "data-points=\"\(total)\" \(attributes)")
        svg += "<text class=\"chart-title\" x=\"\(left)\" y=\"16\">\(esc(title))</text>"
        guard !all.isEmpty else {
            svg += axes(left: left, top: top, plotW: plotW, plotH: plotH, xLabel: xLabel, yLabel: yLabel, height: height)
            svg += "<text class=\"chart-empty\" x=\"\(left + plotW / 2)\" y=\"\(top + plotH / 2)\" text-anchor=\"middle\">no data yet</text></svg>"
            return svg
        }
        let (x0, x1) = xRange ?? {
            let lo = all.map(\.x).min()!, hi = all.map(\.x).max()!
            return timeAxis ? (lo, hi > lo ? hi : lo + 60_000) : niceRange(lo, hi)
        }()
        // Counts start at zero and never show fractions of one.
        let (y0, y1) = yRange ?? (counts ? niceRange(0, max(all.map(\.y).max()!, 4)) : niceRange(all.map(\.y).min()!, all.map(\.y).max()!))
        let sx = { (x: Double) in left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotW }
        let sy = { (y: Double) in top + plotH - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * plotH }
        // Grid and ticks.
        for t in ticks(y0, y1) {
            let y = sy(t)
            svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(esc(tickLabel(t, time: false)))</text>"
        }
        let xTicks = timeAxis ? timeTicks(x0, x1) : ticks(x0, x1, count: 6, whole: all.allSatisfy { $0.x == $0.x.rounded() })
        for t in xTicks {
            let x = sx(t)
            svg += "<line class=\"grid\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(top)\" y2=\"\(top + plotH)\"/>"
            svg += "<text class=\"tick\" x=\"\(f(x))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(esc(tickLabel(t, time: timeAxis)))</text>"
        }
        svg += axes(left: left, top: top, plotW: plotW, plotH: plotH, xLabel: xLabel, yLabel: yLabel, height: height)
        if diagonal {
            svg += "<line class=\"reference\" x1=\"\(f(sx(x0)))\" y1=\"\(f(sy(y0)))\" x2=\"\(f(sx(x1)))\" y2=\"\(f(sy(y1)))\"/>"
        }
        let showMarkers = markers ?? (total <= 80)
        for (i, s) in series.enumerated() {
            let colour = s.colour ?? self.colour(i)
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            let path = points.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
            svg += "<polyline class=\"series\" data-series=\"\(esc(s.name))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\""
                + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + " points=\"\(path)\"/>"
            if showMarkers {
                for p in points {
                    svg += "<circle cx=\"\(f(sx(p.x)))\" cy=\"\(f(sy(p.y)))\" r=\"3\" fill=\"\(colour)\"><title>\(esc(s.name)): "
                        + "\(esc(timeAxis ? Format.time(Int64(p.x)) : Format.number(p.x))) → \(esc(Format.number(p.y)))</title></circle>"
                }
            }
        }
        svg += legend(series.enumerated().map { ($0.element.name, $0.element.colour ?? colour($0.offset), $0.element.dashed) },
                      x: left, y: 32)
        return svg + "</svg>"
    }

    /// Tick marks for a time axis at round minutes or hours.
    static func timeTicks(_ x0: Double, _ x1: Double) -> [Double] {
        let span = (x1 - x0) / 60_000
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440]
        let step = (steps.first { span / $0 <= 7 } ?? 1440) * 60_000
        var values: [Double] = []
        var v = ceil(x0 / step) * step
        while v <= x1 { values.append(v); v += step }
        return values
    }

    static func axes(left: Double, top: Double, plotW: Double, plotH: Double, xLabel: String, yLabel: String, height: Int) -> String {
        "<line class=\"axis\" x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(top + plotH)\" y2=\"\(top + plotH)\"/>"
            + "<line class=\"axis\" x1=\"\(left)\" x2=\"\(left)\" y1=\"\(top)\" y2=\"\(top + plotH)\"/>"
            + "<text class=\"axis-label\" x=\"\(f(left + plotW / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(esc(xLabel))</text>"
            + "<text class=\"axis-label\" transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>"
    }

    /// A legend in one row starting at `x`.
    static func legend(_ entries: [(String, String, Bool)], x: Double, y: Double) -> String {
        guard entries.count > 1 else { return "" }
        var svg = ""
        var cursor = x
        for (name, colour, dashed) in entries {
            let label = name.count > 28 ? String(name.prefix(27)) + "…" : name
            let w = Double(label.count) * 6.2 + 28
            defer { cursor += w }
            svg += "<line x1=\"\(f(cursor))\" x2=\"\(f(cursor + 16))\" y1=\"\(f(y - 4))\" y2=\"\(f(y - 4))\" stroke=\"\(colour)\" stroke-width=\"3\""
                + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>"
            svg += "<text class=\"legend\" x=\"\(f(cursor + 20))\" y=\"\(f(y))\">\(esc(label))</text>"
        }
        return svg
    }

    /// Bars over labelled categories; several series side by side (e.g. reference vs live shares).
    static func bars(id: String? = nil, cls: String = "bar-chart", title: String, xLabel: String, yLabel: String,
                     categories: [String], series: [(name: String, values: [Double])], percent: Bool = false,
                     width: Int = 420, height: Int = 220) -> String {
        let left = 56.0, right = 12.0, top = series.count > 1 ? 40.0 : 30.0, bottom = categories.count > 8 ? 62.0 : 46.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        var svg = open(id: id, cls: cls, width: width, height: height, title: title,
                       description: "\(yLabel) per \(xLabel): " + series.map { s in
                           "\(s.name): " + zip(categories, s.values).map { "\($0) \(Format.number($1, digits: 3))" }.joined(separator: ", ")
                       }.joined(separator: "; "))
        svg += "<text class=\"chart-title\" x=\"\(left)\" y=\"14\">\(esc(title))</text>"
        let maxValue = max(series.flatMap(\.values).filter(\.isFinite).max() ?? 0, 1e-12)
        let (_, y1) = niceRange(0, maxValue)
        let sy = { (v: Double) in top + plotH - v / y1 * plotH }
        for t in ticks(0, y1, count: 4) {
            svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(f(sy(t)))\" y2=\"\(f(sy(t)))\"/>"
            svg += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(f(sy(t) + 4))\" text-anchor=\"end\">\(percent ? Format.number(t * 100, digits: 3) + "%" : tickLabel(t, time: false))</text>"
        }
        let slot = plotW / Double(max(categories.count, 1))
        let barW = max(1, slot * 0.8 / Double(max(series.count, 1)))
        let labelEvery = max(1, Int(ceil(Double(categories.count) * 34 / plotW)))
        for (c, category) in categories.enumerated() {
            for (s, item) in series.enumerated() where c < item.values.count {
                let v = item.values[c].isFinite ? item.values[c] : 0
                let x = left + Double(c) * slot + slot * 0.1 + Double(s) * barW
                svg += "<rect x=\"\(f(x))\" y=\"\(f(sy(v)))\" width=\"\(f(barW))\" height=\"\(f(max(0, top + plotH - sy(v))))\" fill=\"\(colour(s))\">"
                    + "<title>\(esc(item.name)) · \(esc(category)): \(percent ? Format.percent(v) : Format.number(v))</title></rect>"
            }
            if c % labelEvery == 0 {
                let x = left + (Double(c) + 0.5) * slot
                let label = category.count > 12 ? String(category.prefix(11)) + "…" : category
                if categories.count > 8 {
                    svg += "<text class=\"tick\" transform=\"translate(\(f(x)) \(f(top + plotH + 10))) rotate(35)\">\(esc(label))</text>"
                } else {
                    svg += "<text class=\"tick\" x=\"\(f(x))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(esc(label))</text>"
                }
            }
        }
        svg += axes(left: left, top: top, plotW: plotW, plotH: plotH, xLabel: xLabel, yLabel: yLabel, height: height)
        svg += legend(series.enumerated().map { ($0.element.name, colour($0.offset), false) }, x: left, y: 28)
        return svg + "</svg>"
    }

    /// A histogram over bin edges (counts per bin).
    static func histogram(title: String, unit: String, edges: [Double], counts: [Int]) -> String {
        let labels = zip(edges, edges.dropFirst()).map { "\(Format.number($0, digits: 3))–\(Format.number($1, digits: 3))" }
        return bars(cls: "histogram", title: title, xLabel: unit, yLabel: "rows", categories: labels,
                    series: [(title, counts.map(Double.init))], width: 360, height: 200)
    }

    /// A confusion matrix as a heat map: rows are true classes, columns predictions, colour by the row's share.
    static func heatMap(id: String, classes: [String], matrix: [[Int]]) -> String {
        let n = classes.count
        let cell = n <= 10 ? 44.0 : max(14, 440 / Double(n))
        let left = 110.0, top = 76.0
        let width = max(Int(left + cell * Double(n) + 20), 300), height = Int(top + cell * Double(n) + 56)
        var svg = open(id: id, cls: "heat-map", width: width, height: height, title: "Confusion matrix",
                       description: "Rows: true class; columns: predicted class; \(n) classes.")
        svg += "<text class=\"chart-title\" x=\"10\" y=\"16\">Confusion matrix</text>"
            + "<text class=\"tick\" x=\"10\" y=\"\(height - 6)\">rows: true class · colour: share of the row</text>"
        for (j, name) in classes.enumerated() {
            let x = left + (Double(j) + 0.5) * cell
            svg += "<text class=\"tick\" transform=\"translate(\(f(x)) \(f(top - 6))) rotate(-40)\">\(esc(String(name.prefix(14))))</text>"
        }
        for (i, row) in matrix.enumerated() where i < n {
            let total = max(row.reduce(0, +), 1)
            svg += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(top + (Double(i) + 0.6) * cell))\" text-anchor=\"end\">\(esc(String(classes[i].prefix(14))))</text>"
            for (j, count) in row.enumerated() where j < n {
                let share = Double(count) / Double(total)
                let light = 97 - share * 62
                let fill = i == j ? "hsl(140 55% \(f(light))%)" : "hsl(8 70% \(f(light))%)"
                let x = left + Double(j) * cell, y = top + Double(i) * cell
                svg += "<rect class=\"cell\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell - 1))\" height=\"\(f(cell - 1))\" fill=\"\(fill)\">"
                    + "<title>true \(esc(classes[i])), predicted \(esc(classes[j])): \(count) (\(Format.percent(share)) of the row)</title></rect>"
                if cell >= 26 {
                    svg += "<text class=\"cell-label\" x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"middle\">\(count)</text>"
                }
            }
        }
        svg += "<text class=\"axis-label\" x=\"\(f(left + cell * Double(n) / 2))\" y=\"\(height - 26)\" text-anchor=\"middle\">predicted class</text>"
        return svg + "</svg>"
    }

    /// One row of an interval chart: an estimate with its interval.
    struct Estimate {
        var label: String
        var value: Double
        var lower: Double
        var upper: Double
    }

    /// Horizontal bars from zero to each estimate with its interval as a whisker, one row per estimate in the order
    /// given (column importances with their 95 % intervals).
    static func intervals(id: String? = nil, title: String, xLabel: String, rows: [Estimate], intervalName: String = "95 % interval",
                          width: Int = 640) -> String {
        let longest = rows.map(\.label.count).max() ?? 0
        let left = min(max(Double(longest) * 6.6 + 16, 80), 190), right = 24.0, top = 42.0, bottom = 44.0, rowH = 24.0
        let height = Int(top + bottom + rowH * Double(max(rows.count, 1)))
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let finite = rows.flatMap { [$0.value, $0.lower, $0.upper] }.filter(\.isFinite)
        var svg = open(id: id, cls: "interval-chart", width: width, height: height, title: title,
                       description: "\(xLabel), \(intervalName) in brackets: " + rows.map {
                           "\($0.label) \(Format.number($0.value, digits: 3)) [\(Format.number($0.lower, digits: 3)), \(Format.number($0.upper, digits: 3))]"
                       }.joined(separator: "; "), attributes: "data-rows=\"\(rows.count)\"")
        svg += "<text class=\"chart-title\" x=\"10\" y=\"16\">\(esc(title))</text>"
            + "<text class=\"legend\" x=\"10\" y=\"32\">bar: mean · whisker: \(esc(intervalName))</text>"
        let (x0, x1) = niceRange(min(0, finite.min() ?? 0), max(0, finite.max() ?? 1))
        let sx = { (v: Double) in left + (min(max(v, x0), x1) - x0) / (x1 - x0) * plotW }
        for t in ticks(x0, x1, count: 6) {
            svg += "<line class=\"grid\" x1=\"\(f(sx(t)))\" x2=\"\(f(sx(t)))\" y1=\"\(top)\" y2=\"\(f(top + plotH))\"/>"
            svg += "<text class=\"tick\" x=\"\(f(sx(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(esc(tickLabel(t, time: false)))</text>"
        }
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowH, mid = y + rowH / 2
            let value = row.value.isFinite ? row.value : 0
            let (a, b) = (sx(min(0, value)), sx(max(0, value)))
            let label = row.label.count > 28 ? String(row.label.prefix(27)) + "…" : row.label
            svg += "<g class=\"interval\" data-label=\"\(esc(row.label))\" data-value=\"\(row.value)\" data-lower=\"\(row.lower)\" data-upper=\"\(row.upper)\">"
                + "<title>\(esc(row.label)): \(esc(Format.number(row.value))), \(esc(intervalName)) \(esc(Format.number(row.lower)))"
                + " to \(esc(Format.number(row.upper)))</title>"
                + "<text class=\"tick\" x=\"\(f(left - 8))\" y=\"\(f(mid + 4))\" text-anchor=\"end\">\(esc(label))</text>"
                + "<rect class=\"interval-bar\(value < 0 ? " negative" : "")\" x=\"\(f(a))\" y=\"\(f(y + 5))\" width=\"\(f(max(b - a, 1)))\" height=\"\(f(rowH - 10))\"/>"
            if row.lower.isFinite && row.upper.isFinite {
                let (lo, hi) = (sx(row.lower), sx(row.upper))
                svg += "<line class=\"whisker\" x1=\"\(f(lo))\" x2=\"\(f(hi))\" y1=\"\(f(mid))\" y2=\"\(f(mid))\"/>"
                    + "<line class=\"whisker\" x1=\"\(f(lo))\" x2=\"\(f(lo))\" y1=\"\(f(mid - 5))\" y2=\"\(f(mid + 5))\"/>"
                    + "<line class=\"whisker\" x1=\"\(f(hi))\" x2=\"\(f(hi))\" y1=\"\(f(mid - 5))\" y2=\"\(f(mid + 5))\"/>"
            }
            svg += "</g>"
        }
        svg += "<line class=\"zero\" x1=\"\(f(sx(0)))\" x2=\"\(f(sx(0)))\" y1=\"\(top - 4)\" y2=\"\(f(top + plotH))\"/>"
            + "<line class=\"axis\" x1=\"\(left)\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\"/>"
            + "<text class=\"axis-label\" x=\"\(f(left + plotW / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(esc(xLabel))</text>"
        return svg + "</svg>"
    }

    /// A version graph: one node per version at the depth of its parent chain, edges from parent to child.
    static func lineage(id: String, nodes: [(number: Int64, parent: Int64?, label: String, detail: String, href: String, current: Bool)]) -> String {
        var depth: [Int64: Int] = [:]
        var row: [Int64: Int] = [:]
        var rowsUsed: [Int: Int] = [:]
        for node in nodes.sorted(by: { $0.number < $1.number }) {
            let d = node.parent.flatMap { depth[$0] }.map { $0 + 1 } ?? 0
            depth[node.number] = d
            let parentRow = node.parent.flatMap { row[$0] } ?? 0
            let r = max(parentRow, rowsUsed[d] ?? 0)
            row[node.number] = r
            rowsUsed[d] = r + 1
        }
        let columns = (depth.values.max() ?? 0) + 1, rows = max(rowsUsed.values.max() ?? 1, 1)
        let nodeW = 150.0, nodeH = 44.0, gapX = 50.0, gapY = 16.0
        let width = Int(Double(columns) * (nodeW + gapX) + 20), height = Int(Double(rows) * (nodeH + gapY) + 30)
        var svg = open(id: id, cls: "lineage", width: max(width, 240), height: height, title: "Version lineage",
                       description: "\(nodes.count) versions; each derived version is linked to the version it was made from.")
        func origin(_ n: Int64) -> (Double, Double) {
            (10 + Double(depth[n] ?? 0) * (nodeW + gapX), 20 + Double(row[n] ?? 0) * (nodeH + gapY))
        }
        for node in nodes {
            guard let parent = node.parent, depth[parent] != nil else { continue }
            let (px, py) = origin(parent), (cx, cy) = origin(node.number)
            svg += "<path class=\"edge\" d=\"M\(f(px + nodeW)) \(f(py + nodeH / 2)) C\(f(px + nodeW + gapX / 2)) \(f(py + nodeH / 2)) \(f(cx - gapX / 2)) \(f(cy + nodeH / 2)) \(f(cx)) \(f(cy + nodeH / 2))\"/>"
        }
        for node in nodes {
            let (x, y) = origin(node.number)
            svg += "<a href=\"\(esc(node.href))\" class=\"lineage-node\(node.current ? " current" : "")\" data-version=\"\(node.number)\">"
                + "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(nodeW))\" height=\"\(f(nodeH))\" rx=\"6\"/>"
                + "<text x=\"\(f(x + 8))\" y=\"\(f(y + 18))\" class=\"node-title\">\(esc(node.label))</text>"
                + "<text x=\"\(f(x + 8))\" y=\"\(f(y + 35))\" class=\"node-detail\">\(esc(String(node.detail.prefix(24))))</text></a>"
        }
        return svg + "</svg>"
    }

    /// Two decimals at most in coordinates keeps the markup small.
    static func f(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

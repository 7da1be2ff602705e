import Foundation

/// Escapes text for HTML element content and quoted attribute values.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

/// Escapes a path segment (names of deployments, experiments) for use in a URL.
func urlSegment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}

/// Formats numbers for people: a few significant digits, no exponent for ordinary magnitudes.
enum Format {
    static func number(_ value: Double?, digits: Int = 4) -> String {
        guard let value else { return "–" }
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int64(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.\(max(1, digits - 1))e", value)
    }

    static func percent(_ share: Double?, digits: Int = 1) -> String {
        guard let share, share.isFinite else { return "–" }
        return String(format: "%.\(digits)f %%", share * 100)
    }

    static func bytes(_ count: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = count, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Milliseconds since 1970 as UTC date and time to the second.
    static func time(_ millis: Int64?) -> String {
        guard let millis else { return "–" }
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return timeFormatter.string(from: date)
    }

    /// A duration in seconds, in the largest sensible unit.
    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        if seconds < 7200 { return String(format: "%.1f min", seconds / 60) }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f d", seconds / 86_400)
    }

    private static let timeFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f
    }()
}

/// Small builders for the markup every page repeats.
enum H {
    /// A table with a header row; `rows` are already-rendered `<td>` cells per row.
    static func table(id: String? = nil, _ headers: [String], _ rows: [String], numeric: Set<Int> = [], caption: String? = nil,
                      empty: String = "Nothing yet.") -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\"\(id.map { " id=\"\($0)\"" } ?? "")>\(esc(empty))</p>" }
        var html = "<div class=\"table-wrap\"><table\(id.map { " id=\"\($0)\"" } ?? "")>"
        if let caption { html += "<caption>\(esc(caption))</caption>" }
        html += "<thead><tr>"
        for (i, h) in headers.enumerated() { html += "<th scope=\"col\"\(numeric.contains(i) ? " class=\"num\"" : "")>\(esc(h))</th>" }
        html += "</tr></thead><tbody>" + rows.joined() + "</tbody></table></div>"
        return html
    }

    /// A cell; numeric cells align right.
    static func td(_ text: String, numeric: Bool = false, raw: Bool = false) -> String {
        "<td\(numeric ? " class=\"num\"" : "")>\(raw ? text : esc(text))</td>"
    }

    static func link(_ href: String, _ text: String, cls: String? = nil) -> String {
        "<a href=\"\(esc(href))\"\(cls.map { " class=\"\($0)\"" } ?? "")>\(esc(text))</a>"
    }

    /// A coloured state badge (`ready`, `failed`, `running`…).
    static func badge(_ state: String) -> String {
        "<span class=\"badge badge-\(esc(state.replacingOccurrences(of: " ", with: "-")))\">\(esc(state))</span>"
    }

    /// A labelled form field with the slot its error message goes to. `control` is the input's markup;
    /// its id must be `id`.
    static func field(_ id: String, label: String, control: String, hint: String? = nil) -> String {
        var html = "<div class=\"field\"><label for=\"\(id)\">\(esc(label))</label>\(control)"
        if let hint { html += "<small class=\"hint\" id=\"\(id)-hint\">\(esc(hint))</small>" }
        html += "<span class=\"field-error\" id=\"\(id)-error\" role=\"alert\" aria-live=\"polite\"></span></div>"
        return html
    }

    /// A `<select>`; `options` are (value, text) pairs.
    /// `field` is the API field the script sends the value as (default: `name`; a control must not be named
    /// `dataset`, which would hide its form's `dataset` property).
    static func select(_ id: String, name: String, field: String? = nil, options: [(String, String)], selected: String? = nil,
                       extra: String = "") -> String {
        var html = "<select id=\"\(id)\" name=\"\(name)\" data-field=\"\(field ?? name)\"\(extra.isEmpty ? "" : " " + extra)>"
        for (value, text) in options {
            html += "<option value=\"\(esc(value))\"\(value == selected ? " selected" : "")>\(esc(text))</option>"
        }
        return html + "</select>"
    }

    /// A key/value list.
    static func facts(_ pairs: [(String, String)], id: String? = nil) -> String {
        "<dl class=\"facts\"\(id.map { " id=\"\($0)\"" } ?? "")>"
            + pairs.map { "<div><dt>\(esc($0.0))</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>"
    }

    /// A section with a heading.
    static func section(_ title: String, id: String? = nil, _ body: String) -> String {
        "<section\(id.map { " id=\"\($0)-section\" aria-labelledby=\"\($0)-title\"" } ?? "")><h2\(id.map { " id=\"\($0)-title\"" } ?? "")>\(esc(title))</h2>\(body)</section>"
    }
}

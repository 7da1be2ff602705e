import KouziTables
import KouziData

/// Adapts the annotations of a task (item index → annotator → label) to KouziData's ``Agreement``.
enum LabelStatistics {
    static func compute(_ votes: [Int64: [String: String]]) -> Agreement {
        var byItem: [String: [String: String]] = [:]
        for (index, annotations) in votes { byItem[String(index)] = annotations }
        return Agreement(annotations: byItem)
    }

    static func agreement(_ votes: [Int64: [String: String]]) -> LabelAgreement {
        let agreement = compute(votes)
        return LabelAgreement(itemsWithSeveralAnnotators: agreement.items.filter { $0.annotations >= 2 }.count,
                              percentAgreement: agreement.percentAgreement, krippendorffAlpha: agreement.krippendorffAlpha,
                              cohenKappa: agreement.cohenKappa)
    }

    /// The majority label of every annotated item, and how many items were ties (decided by label order).
    static func majority(_ votes: [Int64: [String: String]], classOrder: [String]) -> (labels: [Int64: String], ties: Int) {
        let agreement = compute(votes)
        var labels: [Int64: String] = [:]
        var ties = 0
        for item in agreement.items {
            guard let index = Int64(item.item), var label = item.majority else { continue }
            if item.tied {
                ties += 1
                if let preferred = classOrder.first(where: item.tiedLabels.contains) { label = preferred }
            }
            labels[index] = label
        }
        return (labels, ties)
    }
}

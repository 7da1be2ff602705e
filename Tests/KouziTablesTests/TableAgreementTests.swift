import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Labelling agreement")
struct TableAgreementTests {
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
    /// twelve units, missing values; the published nominal alpha is 0.743.
    static let krippendorff: [String: [String: String]] = {
        let observers: [(String, [String?])] = [
            ("A", ["1", "2", "3", "3", "2", "1", "4", "1", "2", nil, nil, nil]),
            ("B", ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", nil, "3"]),
            ("C", [nil, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", nil]),
            ("D", ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", nil]),
        ]
        var annotations: [String: [String: String]] = [:]
        for (observer, values) in observers {
            for (unit, value) in values.enumerated() {
                if let value { annotations["\(unit + 1)", default: [:]][observer] = value }
            }
        }
        return annotations
    }()

    @Test func krippendorffsWorkedExampleForNominalData() throws {
        let agreement = Agreement(annotations: Self.krippendorff)
        let alpha = try #require(agreement.krippendorffAlpha)
        #expect(abs(alpha - 0.743) < 0.0005)
        #expect(agreement.cohenKappa == nil)
        #expect(agreement.annotators == ["A", "B", "C", "D"])
        #expect(agreement.labels == ["1", "2", "3", "4", "5"])
        #expect(agreement.items.map(\.item) == (1...12).map(String.init))
        // Unit 6 holds 1, 2, 3, 4: a four-way tie resolved to the first label.
        let six = agreement.items[5]
        #expect(six.majority == "1" && six.tied && six.tiedLabels == ["1", "2", "3", "4"] && six.votes == 1)
        // Unit 2 holds 2, 2, 3, 2.
        #expect(agreement.items[1] == Agreement.Item(item: "2", majority: "2", votes: 3, annotations: 4, tied: false, tiedLabels: []))
        #expect(agreement.items[11].annotations == 1)
    }

    @Test func cohensKappaOfTheTwoRaterTextbookTable() throws {
        // Both yes 20, A yes/B no 5, A no/B yes 10, both no 15: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5.
        var annotations: [String: [String: String]] = [:]
        let cells = [("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15)]
        var item = 0
        for (a, b, count) in cells {
            for _ in 0..<count {
                annotations["item\(item)"] = ["A": a, "B": b]
                item += 1
            }
        }
        let agreement = Agreement(annotations: annotations)
        let kappa = try #require(agreement.cohenKappa)
        #expect(abs(kappa - 0.4) < 1e-12)
        let percent = try #require(agreement.percentAgreement)
        #expect(abs(percent - 0.7) < 1e-12)
        // Alpha from the coincidences: n = 100, n_yes = 55, n_no = 45, o(yes,no) = o(no,yes) = 15:
        // 1 − 99 · 30 / (2 · 55 · 45) = 0.4.
        let alpha = try #require(agreement.krippendorffAlpha)
        #expect(abs(alpha - 0.4) < 1e-12)
    }

    @Test func percentAgreementIsPairwisePerItem() throws {
        let agreement = Agreement(annotations: [
            "a": ["x": "cat", "y": "cat", "z": "dog"],  // 1 of 3 pairs agree
            "b": ["x": "dog", "y": "dog"],              // 1 of 1
            "c": ["x": "cat"],                          // no pairs
        ])
        let percent = try #require(agreement.percentAgreement)
        let expected: Double = (1.0 / 3 + 1) / 2
        #expect(abs(percent - expected) < 1e-12)
        #expect(agreement.items[2] == Agreement.Item(item: "c", majority: "cat", votes: 1, annotations: 1, tied: false, tiedLabels: []))
    }

    @Test func degenerateInputsGiveNil() {
        let single = Agreement(annotations: ["a": ["x": "cat"]])
        #expect(single.percentAgreement == nil && single.krippendorffAlpha == nil && single.cohenKappa == nil)
        let oneLabel = Agreement(annotations: ["a": ["x": "cat", "y": "cat"], "b": ["x": "cat", "y": "cat"]])
        #expect(oneLabel.percentAgreement == 1 && oneLabel.krippendorffAlpha == nil && oneLabel.cohenKappa == nil)
        let empty = Agreement(annotations: [:])
        #expect(empty.items.isEmpty && empty.labels.isEmpty)
    }

    @Test func encodesAsJSON() throws {
        let agreement = Agreement(annotations: Self.krippendorff)
        #expect(try JSONDecoder().decode(Agreement.self, from: JSONEncoder().encode(agreement)) == agreement)
    }
}

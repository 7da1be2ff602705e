/// Turns (user, item) pairs into fixed slots of token ids for the deep models.
///
/// Slots: user id, item id, up to `userSlots` user feature tokens, up to `itemSlots` item feature tokens.
/// Token 0 is padding. Unknown tokens (a new user or item) are added to the vocabulary on the fly when
/// `grow` is true (the embedding tables grow with it), otherwise they map to padding.
struct FieldEncoder {
    var vocabulary: [String: Int32] = ["<pad>": 0]
    let userFeatures: [[String]]
    let itemFeatures: [[String]]
    let userSlots: Int
    let itemSlots: Int

    var slotCount: Int { 2 + userSlots + itemSlots }
    var size: Int { vocabulary.count }

    mutating func token(_ t: String, grow: Bool) -> Int32 {
        if let id = vocabulary[t] { return id }
        guard grow else { return 0 }
        let id = Int32(vocabulary.count)
        vocabulary[t] = id
        return id
    }

    /// Writes the slots of (user index, item index, ids) into `out` starting at `offset`.
    mutating func encode(user: Int, userID: String, item: Int, itemID: String, grow: Bool, into out: inout [Int64], at offset: Int) {
        out[offset] = Int64(token("u:" + userID, grow: grow))
        out[offset + 1] = Int64(token("i:" + itemID, grow: grow))
        let uf = user < userFeatures.count ? userFeatures[user] : []
        for s in 0..<userSlots { out[offset + 2 + s] = s < uf.count ? Int64(token(uf[s], grow: grow)) : 0 }
        let itf = item < itemFeatures.count ? itemFeatures[item] : []
        for s in 0..<itemSlots { out[offset + 2 + userSlots + s] = s < itf.count ? Int64(token(itf[s], grow: grow)) : 0 }
    }
}

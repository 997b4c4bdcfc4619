import Media

/// A frame from the decoder, its rows converted to BGR by the sampler shared by the whole stream
/// (which remembers the previous frame's source bytes).
struct DecodedFrame: FrameRows {
    let frame: Frame
    let sampler: BGRRowSampler

    var width: Int { frame.width }
    var height: Int { frame.height }

    func rowsUnchanged(_ rows: [Int]) -> Bool { sampler.sourceUnchanged(frame, rows: rows) }

    func withRows(_ rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws {
        try sampler.withRows(of: frame, rows: rows, body)
    }
}

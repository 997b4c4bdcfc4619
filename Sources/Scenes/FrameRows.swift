/// A frame as a detector reads it: its size and chosen rows as BGR24 (a detector that downscales
/// reads only the rows its filter touches). Frames are handed over in order, one at a time.
public protocol FrameRows {
    var width: Int { get }
    var height: Int { get }
    /// True when `rows` would come out byte for byte as they did for the previous frame handed
    /// to the same detector (false when that is not known): the detector may reuse what it made
    /// from them. Asked at most once per frame, before `withRows`.
    func rowsUnchanged(_ rows: [Int]) -> Bool
    /// Calls `body(k, row)` for every source row `rows[k]` (ascending): `width*3` BGR bytes, valid
    /// only during the call.
    func withRows(_ rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws
}

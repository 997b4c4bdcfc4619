import Foundation
import Media

/// Chosen rows of decoded frames as BGR24 (Media's `BGRRowConverter`), and whether a frame's rows
/// would come out as the previous frame's: it keeps the source bytes the last conversion read.
final class BGRRowSampler {
    private let converter = BGRRowConverter()

    /// The source bytes that the last frame's rows were converted from, and what names them.
    private var snapshot: UnsafeMutablePointer<UInt8>
    private var snapshotCapacity = 0
    private var snapshotCount = 0
    private var snapshotKey: (w: Int, h: Int, conversion: Int)?

    /// What the last `sourceUnchanged` answered, nil after `forgetComparison`: layout analysis
    /// reuses the detector's comparison instead of reading the frame again.
    private(set) var lastComparison: Bool?

    func forgetComparison() { lastComparison = nil }

    init() { snapshot = .allocate(capacity: 0) }
    deinit { snapshot.deallocate() }

    /// True when every source byte that converting `rows` of `frame` reads equals the previous
    /// call's (4:2:0 frames of even height only; else false): the BGR rows would be the same, so
    /// a caller may keep what it made from them. A still picture held for minutes decodes to the
    /// same bytes frame after frame; comparing them costs a fraction of converting them.
    func sourceUnchanged(_ frame: Frame, rows: [Int]) -> Bool {
        var same = true
        var o = 0
        let conversion = BGRRowConverter.sourceBytes(of: frame, rows: rows) { src, n in
            if same && (o + n > snapshotCount || memcmp(snapshot + o, src, n) != 0) { same = false }
            if !same {
                if o + n > snapshotCapacity { grow(to: o + n, keeping: o) }
                (snapshot + o).update(from: src, count: n)
            }
            o += n
        }
        guard let conversion else { snapshotKey = nil; lastComparison = nil; return false }
        let key = (w: frame.width, h: frame.height, conversion: conversion)
        if let last = snapshotKey, last != key { same = false }
        if snapshotKey == nil || o != snapshotCount { same = false }
        snapshotKey = key
        snapshotCount = o
        lastComparison = same
        return same
    }

    /// Calls `body(k, row)` for every source row `rows[k]` (ascending): `frame.width*3` BGR bytes.
    func withRows(of frame: Frame, rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws {
        try converter.withRows(of: frame, rows: rows, body)
    }

    /// Room for `n` bytes, the first `kept` kept.
    private func grow(to n: Int, keeping kept: Int) {
        let capacity = max(n, 2 * snapshotCapacity)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: snapshot, count: kept)
        snapshot.deallocate()
        snapshot = bigger
        snapshotCapacity = capacity
    }
}

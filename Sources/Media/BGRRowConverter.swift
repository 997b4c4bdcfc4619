import CFFmpeg
import CFFmpegSupport
import Foundation

/// Converts chosen rows of a decoded frame to BGR24, exactly as OpenCV's FFmpeg backend converts
/// whole frames (plain swscale, matrix and range from the frame's tags), but only the rows asked
/// for: for 4:2:0 video, swscale's unscaled YUV→RGB converter works on independent row pairs, so
/// converting a pair alone gives the same bytes as the whole frame.
public final class BGRRowConverter {
    private var pairScaler: Scaler?
    private var fullScaler: Scaler?
    private var buffer: [UInt8] = []

    public init() {}

    /// Hands `body` every source byte (Y, U, V rows, a run at a time, always in the same order)
    /// that converting `rows` of `frame` reads, and returns a number naming the conversion (pixel
    /// format, matrix, range): equal numbers, sizes and bytes give equal BGR rows. Only for 4:2:0
    /// frames of even height, converted pair by pair; otherwise nil, and nothing handed.
    public static func sourceBytes(of frame: Frame, rows: [Int], _ body: (UnsafePointer<UInt8>, Int) -> Void) -> Int? {
        let f = frame.pointer
        let w = frame.width, h = frame.height
        let fmt = AVPixelFormat(rawValue: f.pointee.format)
        guard (fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUVJ420P) && h % 2 == 0 else { return nil }
        let cw = (w + 1) / 2
        let l0 = Int(f.pointee.linesize.0), l1 = Int(f.pointee.linesize.1), l2 = Int(f.pointee.linesize.2)
        let d0 = UnsafePointer(f.pointee.data.0!), d1 = UnsafePointer(f.pointee.data.1!), d2 = UnsafePointer(f.pointee.data.2!)
        var lastPair = -1
        for r in rows where r / 2 != lastPair {
            let p = r / 2
            lastPair = p
            body(d0 + 2 * p * l0, w)
            body(d0 + (2 * p + 1) * l0, w)
            body(d1 + p * l1, cw)
            body(d2 + p * l2, cw)
        }
        // The conversion also depends on the frame's matrix and range tags.
        return Int(fmt.rawValue) << 16 | Int(f.pointee.colorspace.rawValue) << 4 | Int(f.pointee.color_range.rawValue)
    }

    /// Calls `body(k, row)` for every source row `rows[k]` (ascending): `frame.width*3` BGR bytes.
    public func withRows(of frame: Frame, rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws {
        let f = frame.pointer
        let w = frame.width, h = frame.height
        let fmt = AVPixelFormat(rawValue: f.pointee.format)
        let rowBytes = (w * 3 + 63) & ~63   // padded: swscale's SIMD writes whole blocks
        // Pairs only where swscale would pick the unscaled converter for the whole frame too.
        let pairs = (fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUVJ420P) && h % 2 == 0
        if pairs {
            if pairScaler == nil || !pairScaler!.matches(srcW: w, srcH: 2, srcFormat: fmt, dstW: w, dstH: 2) {
                guard let s = Scaler(srcW: w, srcH: 2, srcFormat: fmt, dstW: w, dstH: 2, dstFormat: AV_PIX_FMT_BGR24, flags: Int32(SWS_BICUBIC)) else {
                    throw MediaError("cannot convert frames to BGR (\(w)x\(h))")
                }
                pairScaler = s
            }
            let s = pairScaler!
            s.setColorspace(of: f)
            if buffer.count < 2 * rowBytes + 256 { buffer = [UInt8](repeating: 0, count: 2 * rowBytes + 256) }
            var lastPair = -1
            let l0 = Int(f.pointee.linesize.0), l1 = Int(f.pointee.linesize.1), l2 = Int(f.pointee.linesize.2)
            let d0 = UnsafePointer(f.pointee.data.0!), d1 = UnsafePointer(f.pointee.data.1!), d2 = UnsafePointer(f.pointee.data.2!)
            try buffer.withUnsafeMutableBufferPointer { buf in
                for (k, r) in rows.enumerated() {
                    let pair = r / 2
                    if pair != lastPair {
                        var src: [UnsafePointer<UInt8>?] = [d0 + 2 * pair * l0, d1 + pair * l1, d2 + pair * l2, nil]
                        var srcStride: [Int32] = [Int32(l0), Int32(l1), Int32(l2), 0]
                        var dst: [UnsafeMutablePointer<UInt8>?] = [buf.baseAddress, nil, nil, nil]
                        var dstStride: [Int32] = [Int32(rowBytes), 0, 0, 0]
                        let rc = sws_scale(s.pointer, &src, &srcStride, 0, 2, &dst, &dstStride)
                        guard rc > 0 else { throw MediaError("cannot convert a frame to BGR", nil, code: rc) }
                        lastPair = pair
                    }
                    body(k, UnsafePointer(buf.baseAddress! + (r & 1) * rowBytes))
                }
            }
            return
        }
        if fullScaler == nil || !fullScaler!.matches(srcW: w, srcH: h, srcFormat: fmt, dstW: w, dstH: h) {
            guard let s = Scaler(srcW: w, srcH: h, srcFormat: fmt, dstW: w, dstH: h, dstFormat: AV_PIX_FMT_BGR24, flags: Int32(SWS_BICUBIC)) else {
                throw MediaError("cannot convert frames to BGR (\(w)x\(h))")
            }
            fullScaler = s
        }
        let s = fullScaler!
        s.setColorspace(of: f)
        if buffer.count < h * rowBytes + 256 { buffer = [UInt8](repeating: 0, count: h * rowBytes + 256) }
        try buffer.withUnsafeMutableBufferPointer { buf in
            var dst: [UnsafeMutablePointer<UInt8>?] = [buf.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(rowBytes), 0, 0, 0]
            let rc = withUnsafePointer(to: f.pointee.data) { dt in
                dt.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    withUnsafePointer(to: f.pointee.linesize) { lt in
                        lt.withMemoryRebound(to: Int32.self, capacity: 8) { ls in
                            sws_scale(s.pointer, src, ls, 0, Int32(h), &dst, &dstStride)
                        }
                    }
                }
            }
            guard rc > 0 else { throw MediaError("cannot convert a frame to BGR", nil, code: rc) }
            for (k, r) in rows.enumerated() { body(k, UnsafePointer(buf.baseAddress! + r * rowBytes)) }
        }
    }
}

extension Frame {
    /// The frame's timestamp in its stream's time base (for `VideoDecoder.deferredImage(atTimestamp:)`).
    public var streamTimestamp: Int64 { timestamp }
}

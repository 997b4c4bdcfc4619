import CFFmpeg
import CFFmpegSupport
import Foundation

/// A decoded frame as an 8-bit luma picture of any size (area-averaged when smaller): what layout
/// analysis keeps per frame (a small thumbnail, cheap to compare) and per scene (one full-size
/// luma plane to find the picture's edges on). One swscale context, remade when sizes change.
public final class GrayThumbnailer {
    private var scaler: Scaler?
    private var padded: [UInt8] = []
    private var lastLuma: [UInt8] = []
    private var lastKey: (w: Int, h: Int, format: Int32)?

    public init() {}

    /// The luma plane `sameLuma` last read (`width*height` bytes, the decoder's own Y values),
    /// nil when that frame had none.
    public var lastLumaPlane: (width: Int, height: Int, luma: [UInt8])? {
        lastKey.map { ($0.w, $0.h, lastLuma) }
    }

    /// True when `frame`'s luma plane is byte for byte the previous call's (which it then
    /// remembers): a still picture decodes to the same bytes frame after frame, and comparing
    /// them costs a fraction of scaling them. False for frames without a plain luma plane.
    public func sameLuma(_ frame: Frame) -> Bool {
        let f = frame.pointer
        let fmt = AVPixelFormat(rawValue: f.pointee.format)
        guard let desc = av_pix_fmt_desc_get(fmt), desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0,
              desc.pointee.nb_components >= 1, desc.pointee.comp.0.plane == 0, desc.pointee.comp.0.step == 1,
              desc.pointee.comp.0.depth == 8, let data = f.pointee.data.0 else { lastKey = nil; return false }
        let w = frame.width, h = frame.height, stride = Int(f.pointee.linesize.0)
        guard stride >= w else { lastKey = nil; return false }
        let key = (w: w, h: h, format: f.pointee.format)
        var same = lastKey.map { $0 == key } ?? false
        if lastLuma.count != w * h { lastLuma = [UInt8](repeating: 0, count: w * h); same = false }
        lastLuma.withUnsafeMutableBufferPointer { last in
            for y in 0..<h {
                let row = UnsafePointer(data + y * stride), kept = last.baseAddress! + y * w
                if same && memcmp(kept, row, w) == 0 { continue }
                same = false
                kept.update(from: row, count: w)
            }
        }
        lastKey = key
        return same
    }

    /// `frame`'s luma scaled to `width`x`height`, rows packed (`width` bytes each), into `out`.
    /// A whole-number reduction of a plain 8-bit luma plane is block-averaged here: several
    /// times cheaper than swscale's area filter, which is general.
    public func gray(of frame: Frame, width: Int, height: Int, into out: inout [UInt8]) throws {
        if blockAverage(frame, width: width, height: height, into: &out) { return }
        let f = frame.pointer
        let fmt = AVPixelFormat(rawValue: f.pointee.format)
        if scaler == nil || !scaler!.matches(srcW: frame.width, srcH: frame.height, srcFormat: fmt, dstW: width, dstH: height) {
            // Area averaging: a thumbnail's pixel is its block's mean, so codec noise mostly cancels.
            let flags = (width < frame.width || height < frame.height) ? SWS_AREA : SWS_POINT
            guard let s = Scaler(srcW: frame.width, srcH: frame.height, srcFormat: fmt, dstW: width, dstH: height,
                                 dstFormat: AV_PIX_FMT_GRAY8, flags: Int32(flags)) else {
                throw MediaError("cannot make \(width)x\(height) luma thumbnails of \(frame.width)x\(frame.height) frames")
            }
            scaler = s
        }
        let stride = (width + 63) & ~63   // padded: swscale's SIMD writes whole blocks
        if padded.count < stride * height + 256 { padded = [UInt8](repeating: 0, count: stride * height + 256) }
        let s = scaler!
        let rc = padded.withUnsafeMutableBufferPointer { buf -> Int32 in
            var dst: [UnsafeMutablePointer<UInt8>?] = [buf.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(stride), 0, 0, 0]
            return withUnsafePointer(to: f.pointee.data) { dt in
                dt.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    withUnsafePointer(to: f.pointee.linesize) { lt in
                        lt.withMemoryRebound(to: Int32.self, capacity: 8) { ls in
                            sws_scale(s.pointer, src, ls, 0, Int32(frame.height), &dst, &strides)
                        }
                    }
                }
            }
        }
        guard rc > 0 else { throw MediaError("cannot make a luma thumbnail of a frame", nil, code: rc) }
        if out.count != width * height { out = [UInt8](repeating: 0, count: width * height) }
        padded.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height { (dst.baseAddress! + y * width).update(from: src.baseAddress! + y * stride, count: width) }
            }
        }
    }

    private var sums: [UInt16] = []

    /// The mean of each `k`x`k` block of the luma plane, when `frame` has a plain 8-bit one and
    /// `width`x`height` is its size divided by a whole `k` (2...16; the remainder is left out).
    private func blockAverage(_ frame: Frame, width: Int, height: Int, into out: inout [UInt8]) -> Bool {
        let f = frame.pointer
        let k = frame.width / max(1, width)
        guard k >= 2, k <= 16, frame.height / max(1, height) == k,
              let desc = av_pix_fmt_desc_get(AVPixelFormat(rawValue: f.pointee.format)),
              desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0, desc.pointee.comp.0.plane == 0,
              desc.pointee.comp.0.step == 1, desc.pointee.comp.0.depth == 8, let data = f.pointee.data.0 else { return false }
        let stride = Int(f.pointee.linesize.0), span = width * k
        if out.count != width * height { out = [UInt8](repeating: 0, count: width * height) }
        if sums.count < span { sums = [UInt16](repeating: 0, count: span) }
        let area = UInt32(k * k)
        sums.withUnsafeMutableBufferPointer { acc in
            out.withUnsafeMutableBufferPointer { dst in
                let a = acc.baseAddress!
                for ty in 0..<height {
                    a.update(repeating: 0, count: span)
                    // Column sums over the block's rows (k*255 fits 16 bits), then across.
                    for dy in 0..<k {
                        let row = UnsafePointer(data + (ty * k + dy) * stride)
                        for x in 0..<span { a[x] &+= UInt16(row[x]) }
                    }
                    for tx in 0..<width {
                        var total: UInt32 = 0
                        for dx in 0..<k { total &+= UInt32(a[tx * k + dx]) }
                        dst[ty * width + tx] = UInt8((total + area / 2) / area)
                    }
                }
            }
        }
        return true
    }
}

import CFFmpeg
import CFFmpegSupport
import Foundation

/// A decoded frame as an 8-bit luma picture of any size (area-averaged when smaller): what layout
/// analysis keeps per frame (a small thumbnail, cheap to compare) and per scene (one full-size
/// luma plane to find the picture's edges on). One swscale context, remade when sizes change.
public final class GrayThumbnailer {
    private var scaler: Scaler?
    private var padded: [UInt8] = []

    public init() {}

    /// `frame`'s luma scaled to `width`x`height`, rows packed (`width` bytes each), into `out`.
    public func gray(of frame: Frame, width: Int, height: Int, into out: inout [UInt8]) throws {
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
}

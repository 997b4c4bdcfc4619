import CFFmpeg
import CFFmpegSupport
import Foundation

extension Image {
    /// Reads a still (PNG, JPEG, anything FFmpeg decodes): its first frame, as RGB.
    public static func read(path: String) throws -> Image {
        let file = try InputFile(path: path)
        guard file.bestStream(AVMEDIA_TYPE_VIDEO) != nil else { throw MediaError("'\(path)' is not a picture (no image stream)") }
        let decoder = try VideoDecoder(file: file, threads: 1)
        guard let frame = try decoder.nextFrame() else { throw MediaError("no picture in '\(path)'") }
        return frame.image
    }

    /// Writes the picture as PNG with FFmpeg's encoder: to a temporary name beside `path`, then renamed.
    public func writePNG(to path: String) throws {
        try load()
        let encoder = try Encoder(AV_CODEC_ID_PNG, path: path) { c in
            c.pointee.width = Int32(width)
            c.pointee.height = Int32(height)
            c.pointee.pix_fmt = AV_PIX_FMT_RGB24
            c.pointee.time_base = AVRational(num: 1, den: 1)
        }
        let c = encoder.pointer
        var rc: Int32
        let frame = Frame()
        let f = frame.pointer
        f.pointee.width = Int32(width)
        f.pointee.height = Int32(height)
        f.pointee.format = AV_PIX_FMT_RGB24.rawValue
        rc = av_frame_get_buffer(f, 0)
        guard rc >= 0 else { throw MediaError("cannot write", path, code: rc) }
        let stride = Int(f.pointee.linesize.0)
        let dst = f.pointee.data.0!
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                (dst + y * stride).update(from: src.baseAddress! + y * rowBytes, count: rowBytes)
            }
        }
        let packet = Packet()
        var data = Data()
        rc = avcodec_send_frame(c, f)
        guard rc >= 0 else { throw MediaError("cannot encode", path, code: rc) }
        _ = avcodec_send_frame(c, nil)
        while true {
            rc = avcodec_receive_packet(c, packet.pointer)
            if rc == AVCode.eof || rc == AVCode.again { break }
            guard rc >= 0 else { throw MediaError("cannot encode", path, code: rc) }
            data.append(packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
            packet.unref()
        }
        try AtomicFile.write(data, to: path)
    }

    /// A scaled copy (bicubic, or area when shrinking a lot).
    public func resized(width w: Int, height h: Int) -> Image {
        precondition(w > 0 && h > 0, "resized: size must be positive")
        if w == width && h == height { return Image(width: w, height: h, pixels: pixels) }
        let flags = (w * 2 < width || h * 2 < height) ? SWS_AREA : SWS_BICUBIC
        guard let s = Scaler(srcW: width, srcH: height, srcFormat: AV_PIX_FMT_RGB24, dstW: w, dstH: h,
                             dstFormat: AV_PIX_FMT_RGB24, flags: Int32(flags | SWS_ACCURATE_RND)) else {
            return nearest(width: w, height: h)
        }
        let stride = (w * 3 + 63) & ~63   // padded: swscale's SIMD writes whole blocks
        var padded = [UInt8](repeating: 0, count: stride * h + 256)
        let rc = pixels.withUnsafeBufferPointer { src in
            padded.withUnsafeMutableBufferPointer { dst in
                var sp: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
                var ss: [Int32] = [Int32(rowBytes), 0, 0, 0]
                var dp: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
                var ds: [Int32] = [Int32(stride), 0, 0, 0]
                return sws_scale(s.pointer, &sp, &ss, 0, Int32(height), &dp, &ds)
            }
        }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h { for i in 0..<(w * 3) { out[y * w * 3 + i] = padded[y * stride + i] } }
        return rc > 0 ? Image(width: w, height: h, pixels: out) : nearest(width: w, height: h)
    }

    private func nearest(width w: Int, height h: Int) -> Image {
        let pixels = self.pixels
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            let sy = min(height - 1, y * height / h)
            for x in 0..<w {
                let sx = min(width - 1, x * width / w)
                for c in 0..<3 { out[(y * w + x) * 3 + c] = pixels[(sy * width + sx) * 3 + c] }
            }
        }
        return Image(width: w, height: h, pixels: out)
    }
}

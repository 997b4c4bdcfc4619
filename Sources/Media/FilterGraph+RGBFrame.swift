import CFFmpeg
import CFFmpegSupport

extension FilterGraph {
    /// `image` as an RGB24 frame to feed this graph's buffer source (the palette filters, minterpolate).
    func rgbFrame(_ image: Image) throws -> Frame {
        let frame = Frame()
        let p = frame.pointer
        p.pointee.width = Int32(image.width)
        p.pointee.height = Int32(image.height)
        p.pointee.format = AV_PIX_FMT_RGB24.rawValue
        p.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        let rc = av_frame_get_buffer(p, 0)
        guard rc >= 0 else { throw error("cannot hold a frame", code: rc) }
        let stride = Int(p.pointee.linesize.0), row = image.width * 3
        let dst = p.pointee.data.0!
        image.pixels.withUnsafeBufferPointer { s in
            for y in 0..<image.height { (dst + y * stride).update(from: s.baseAddress! + y * row, count: row) }
        }
        return frame
    }
}

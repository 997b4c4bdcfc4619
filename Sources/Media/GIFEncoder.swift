import CFFmpeg
import CFFmpegSupport

/// The animated GIF of `clip:preview()`, for terminals that animate GIFs and any browser or
/// viewer: frames paletted together (`PaletteFilter`), libavcodec's GIF encoder (which codes
/// only the rectangle that changed and leaves unchanged pixels transparent) and libavformat's
/// GIF muxer (looping forever), written beside the target and renamed when complete.
public enum GIFEncoder {
    public static func write(_ frames: [Image], fps: Double, to path: String) throws {
        precondition(!frames.isEmpty, "GIFEncoder: no frames")
        // GIF counts in centiseconds, and browsers play a delay of 0 or 1 as 10: 2 is the least kept.
        let delay = Int64(max(2, Int((100 / max(fps, 1)).rounded())))
        let centiseconds = AVRational(num: 1, den: 100)
        let paletted = try PaletteFilter.quantize(frames, path: path)
        let encoder = try Encoder(AV_CODEC_ID_GIF, path: path) { c in
            c.pointee.width = Int32(paletted[0].width)
            c.pointee.height = Int32(paletted[0].height)
            c.pointee.pix_fmt = AV_PIX_FMT_PAL8
            c.pointee.time_base = centiseconds
        }
        let muxer = try Muxer(path: path, format: "gif", options: ["loop": "0", "final_delay": String(delay)])
        let stream = try muxer.addStream(encoder: encoder.pointer)
        try muxer.writeHeader()
        let packet = Packet()
        func drain() throws {
            while try encoder.receive(packet) {
                try muxer.write(packet.pointer, stream: stream, from: centiseconds)
            }
        }
        for (k, frame) in paletted.enumerated() {
            frame.pointer.pointee.pts = Int64(k) * delay
            try encoder.send(frame)
            try drain()
        }
        try encoder.send(nil)
        try drain()
        try muxer.finish()
    }
}

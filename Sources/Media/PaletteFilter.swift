import CFFmpeg
import CFFmpegSupport

/// RGB pictures to 8-bit paletted frames that share one palette made for all of them, by
/// libavfilter in-process:
///
///     buffer → lutrgb → split ─→ palettegen ─→ paletteuse(palette) → buffersink
///                             └────────────────→ paletteuse(frames) ┘
///
/// palettegen counts every colour of every frame before it picks 256 (so a clip's few hues get
/// many shades, where a fixed cube spends most entries on colours the clip never shows), and
/// paletteuse holds the frames until that palette exists, then maps and dithers them.
enum PaletteFilter {
    static func quantize(_ images: [Image], path: String?) throws -> [Frame] {
        precondition(!images.isEmpty, "PaletteFilter: no pictures")
        let w = images[0].width, h = images[0].height
        let graph = FilterGraph(path: path)
        let source = try graph.add("buffer", "video_size=\(w)x\(h):pix_fmt=\(AV_PIX_FMT_RGB24.rawValue):time_base=1/100:pixel_aspect=1/1")
        // Each channel to a multiple of 4 (at most 2 off, black and white kept, the dithering
        // hides the rest): a noisy or grainy clip then has 64 times fewer distinct colours, and
        // those are what palettegen's histogram and paletteuse's colour cache cost by — measured
        // on 14 grainy 320x180 frames, 0.77 s of CPU without it, 0.13 s with it.
        let round = "min(round(val/4)*4,255)"
        let coarse = try graph.add("lutrgb", "r=\(round):g=\(round):b=\(round)")
        let split = try graph.add("split")
        let generate = try graph.add("palettegen", "stats_mode=full")
        // Ordered (Bayer) dithering: as close to the source as error diffusion here and half
        // its time, since the few patterns it adds keep paletteuse's colour cache hitting; and
        // unchanged pixels stay unchanged between frames, which the GIF encoder leaves out.
        let use = try graph.add("paletteuse", "dither=bayer")
        let sink = try graph.add("buffersink")
        try graph.link(source, 0, coarse, 0)
        try graph.link(coarse, 0, split, 0)
        try graph.link(split, 0, generate, 0)
        try graph.link(split, 1, use, 0)
        try graph.link(generate, 0, use, 1)
        try graph.link(use, 0, sink, 0)
        try graph.configure()

        for (k, image) in images.enumerated() {
            let frame = try graph.rgbFrame(image.width == w && image.height == h ? image : image.resized(width: w, height: h))
            frame.pointer.pointee.pts = Int64(k)
            let rc = av_buffersrc_add_frame_flags(source, frame.pointer, 0)
            guard rc >= 0 else { throw graph.error("cannot filter a frame", code: rc) }
        }
        // The end of the input is what makes palettegen emit its palette.
        var rc = av_buffersrc_add_frame_flags(source, nil, 0)
        guard rc >= 0 else { throw graph.error("cannot filter the last frame", code: rc) }
        var out: [Frame] = []
        while true {
            let frame = Frame()
            rc = av_buffersink_get_frame(sink, frame.pointer)
            if rc == AVCode.eof { break }
            guard rc >= 0 else { throw graph.error("cannot make the palette", code: rc) }
            guard frame.pointer.pointee.format == AV_PIX_FMT_PAL8.rawValue else {
                throw MediaError("paletteuse gave \(frame.pointer.pointee.format), not a paletted frame, for '\(path ?? "a picture")'")
            }
            out.append(frame)
        }
        guard out.count == images.count else {
            throw MediaError("the palette filters gave \(out.count) frames for \(images.count) pictures of '\(path ?? "a picture")'")
        }
        return out
    }

}

/// A picture as palette indices, for outputs that draw with a palette (sixel).
public struct IndexedImage: Sendable {
    public let width: Int
    public let height: Int
    /// 256 RGB triples.
    public let palette: [UInt8]
    /// One index a pixel, rows without padding.
    public let indices: [UInt8]

    /// The picture with a palette made for it (see `PaletteFilter`).
    public init(quantizing image: Image) throws {
        self.init(try PaletteFilter.quantize([image], path: nil)[0])
    }

    init(_ frame: Frame) {
        let f = frame.pointer.pointee
        width = Int(f.width)
        height = Int(f.height)
        // FFmpeg's palettes are 256 native-endian 0xAARRGGBB words.
        let words = UnsafeRawPointer(f.data.1!)
        var palette = [UInt8](repeating: 0, count: 256 * 3)
        for i in 0..<256 {
            let v = words.load(fromByteOffset: i * 4, as: UInt32.self)
            palette[i * 3] = UInt8((v >> 16) & 0xFF)
            palette[i * 3 + 1] = UInt8((v >> 8) & 0xFF)
            palette[i * 3 + 2] = UInt8(v & 0xFF)
        }
        self.palette = palette
        let stride = Int(f.linesize.0), src = f.data.0!, w = width, h = height
        var indices = [UInt8](repeating: 0, count: w * h)
        indices.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h { (dst.baseAddress! + y * w).update(from: src + y * stride, count: w) }
        }
        self.indices = indices
    }
}

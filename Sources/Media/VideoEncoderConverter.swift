import CFFmpeg
import Dispatch

/// RGB pictures into the encoder's yuv420p frame: same-size pictures in parallel row slices,
/// others scaled (bicubic) to fit — `cover` crops the middle, `contain` letterboxes in black.
/// One swscale context per slice or per source size, kept for the whole render.
final class VideoEncoderConverter {
    let width: Int
    let height: Int
    let fit: Fit
    private var sliceContexts: [Scaler] = []
    private var sliceRows: [Range<Int>] = []
    private var scaleContexts: [Int: Scaler] = [:]

    init(width: Int, height: Int, fit: Fit) {
        self.width = width
        self.height = height
        self.fit = fit
        let slices = height >= 64 ? 2 : 1
        var start = 0
        for i in 0..<slices {
            var end = i == slices - 1 ? height : (height * (i + 1) / slices) & ~1
            end = max(end, start + 2)
            sliceRows.append(start..<end)
            guard let scaler = Scaler(srcW: width, srcH: end - start, srcFormat: AV_PIX_FMT_RGB24,
                                      dstW: width, dstH: end - start, dstFormat: AV_PIX_FMT_YUV420P) else {
                fatalError("sws_getContext: out of memory")
            }
            sliceContexts.append(scaler)
            start = end
        }
    }

    func convert(_ image: Image, into frame: UnsafeMutablePointer<AVFrame>) throws {
        let dst = [frame.pointee.data.0!, frame.pointee.data.1!, frame.pointee.data.2!]
        let ls = [Int(frame.pointee.linesize.0), Int(frame.pointee.linesize.1), Int(frame.pointee.linesize.2)]
        if image.width == width && image.height == height {
            let rows = sliceRows, rowBytes = image.rowBytes
            let contexts = sliceContexts.map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0.pointer))) }
            let planes = dst.map { UInt(bitPattern: $0) }
            image.pixels.withUnsafeBufferPointer { px in
                let base = UInt(bitPattern: px.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: rows.count) { i in
                    let r = rows[i]
                    let d = planes.map { UnsafeMutablePointer<UInt8>(bitPattern: $0)! }
                    var src: [UnsafePointer<UInt8>?] = [UnsafePointer<UInt8>(bitPattern: base)! + r.lowerBound * rowBytes, nil, nil, nil]
                    var srcStride: [Int32] = [Int32(rowBytes), 0, 0, 0]
                    var out: [UnsafeMutablePointer<UInt8>?] = [d[0] + r.lowerBound * ls[0],
                                                               d[1] + r.lowerBound / 2 * ls[1],
                                                               d[2] + r.lowerBound / 2 * ls[2], nil]
                    var outStride: [Int32] = [Int32(ls[0]), Int32(ls[1]), Int32(ls[2]), 0]
                    sws_scale(OpaquePointer(bitPattern: contexts[i]), &src, &srcStride, 0, Int32(r.count), &out, &outStride)
                }
            }
            return
        }
        // Another size: one scaling conversion into the right rectangle.
        let w = image.width, h = image.height
        var srcX = 0, srcY = 0, srcW = w, srcH = h
        var dstX = 0, dstY = 0, dstW = width, dstH = height
        switch fit {
        case .cover:
            let s = max(Double(width) / Double(w), Double(height) / Double(h))
            srcW = min(w, max(1, Int((Double(width) / s).rounded())))
            srcH = min(h, max(1, Int((Double(height) / s).rounded())))
            srcX = (w - srcW) / 2
            srcY = (h - srcH) / 2
        case .contain:
            let s = min(Double(width) / Double(w), Double(height) / Double(h))
            dstW = min(width, max(2, Int((Double(w) * s).rounded()) & ~1))
            dstH = min(height, max(2, Int((Double(h) * s).rounded()) & ~1))
            dstX = ((width - dstW) / 2) & ~1
            dstY = ((height - dstH) / 2) & ~1
            if dstW < width || dstH < height {
                for y in 0..<height { (dst[0] + y * ls[0]).update(repeating: 16, count: width) }
                for y in 0..<(height / 2) {
                    (dst[1] + y * ls[1]).update(repeating: 128, count: width / 2)
                    (dst[2] + y * ls[2]).update(repeating: 128, count: width / 2)
                }
            }
        }
        let key = ((w * 65536 + h) * 2 + (fit == .cover ? 0 : 1))
        let ctx: OpaquePointer
        if let c = scaleContexts[key] {
            ctx = c.pointer
        } else {
            guard let c = Scaler(srcW: srcW, srcH: srcH, srcFormat: AV_PIX_FMT_RGB24, dstW: dstW, dstH: dstH,
                                 dstFormat: AV_PIX_FMT_YUV420P) else {
                throw MediaError(operation: "encode", "cannot scale \(w)x\(h) to \(dstW)x\(dstH)")
            }
            scaleContexts[key] = c
            ctx = c.pointer
        }
        let rowBytes = image.rowBytes
        image.pixels.withUnsafeBufferPointer { px in
            var src: [UnsafePointer<UInt8>?] = [px.baseAddress! + srcY * rowBytes + srcX * 3, nil, nil, nil]
            var srcStride: [Int32] = [Int32(rowBytes), 0, 0, 0]
            var out: [UnsafeMutablePointer<UInt8>?] = [dst[0] + dstY * ls[0] + dstX,
                                                       dst[1] + dstY / 2 * ls[1] + dstX / 2,
                                                       dst[2] + dstY / 2 * ls[2] + dstX / 2, nil]
            var outStride: [Int32] = [Int32(ls[0]), Int32(ls[1]), Int32(ls[2]), 0]
            sws_scale(ctx, &src, &srcStride, 0, Int32(srcH), &out, &outStride)
        }
    }
}

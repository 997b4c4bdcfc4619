import CFFmpeg
import CFFmpegSupport
import Foundation

/// Decodes the best video stream of a file forward, frame by frame, with FFmpeg's threads.
/// `nextFrame` gives RGB pictures; `nextDecodedFrame` gives FFmpeg's own frame (borrowed until
/// the next call) for code that converts only what it needs (the scene detector).
public final class VideoDecoder {
    public let info: MediaInfo
    let file: InputFile
    let decoder: Decoder
    let streamIndex: Int32
    let timeBase: AVRational
    let startTime: Int64
    private let packet = Packet()
    private let frame = Frame()
    private var sentEOF = false
    private var finished = false
    private var rgbScaler: Scaler?
    /// Decode errors skipped (a damaged packet); the frames around it still come out.
    public private(set) var skippedPackets = 0
    public private(set) var framesDecoded = 0

    /// When true, every video packet is kept (compressed) until `releasePackets` lets go, so
    /// that `deferredImage(atTimestamp:)` can decode an earlier frame again from its keyframe.
    public var retainsPackets = false

    /// RGB without swscale's accurate rounding: within a level of the default, and about four
    /// times faster at 1080p (the rounding turns its SIMD paths off). For frames that go back
    /// into a video (composition's source frames), not for ones that are measured or compared.
    public var fastRGB = false
    private var kept: [Packet] = []
    /// `kept` is appended by the decoding thread and trimmed by the one that scores (`DecodeAhead`).
    private let keptLock = NSLock()

    public convenience init(path: String, threads: Int = 0) throws {
        try self.init(file: InputFile(path: path), threads: threads)
    }

    init(file: InputFile, threads: Int = 0) throws {
        let path = file.path
        self.file = file
        guard let v = file.bestStream(AVMEDIA_TYPE_VIDEO) else { throw MediaError("no video stream in '\(path)'") }
        info = try MediaInfo(file: file, videoStream: v)
        streamIndex = Int32(v)
        let stream = file.stream(v)
        timeBase = stream.pointee.time_base
        startTime = stream.pointee.start_time != pff_nopts_value() ? stream.pointee.start_time : 0
        // Only the video stream's packets are wanted.
        for i in 0..<file.streamCount where i != v { file.stream(i).pointee.discard = AVDISCARD_ALL }
        decoder = try Decoder(stream: stream, path: path, threads: Int32(threads))
    }

    /// Seconds from the stream's start of a timestamp in the stream's time base.
    public func seconds(_ timestamp: Int64) -> Double {
        Double(timestamp - startTime) * Double(timeBase.num) / Double(timeBase.den)
    }

    /// Seconds from the stream's start of a frame's timestamp, nil when the frame has none.
    public func seconds(ofFrameTimestamp timestamp: Int64) -> Double? {
        timestamp == pff_nopts_value() ? nil : seconds(timestamp)
    }

    /// The next decoded frame (owned by the decoder, valid until the next call), nil at the end.
    public func nextDecodedFrame() throws -> Frame? {
        guard !finished else { return nil }
        while true {
            do {
                if try decoder.receive(frame) {
                    framesDecoded += 1
                    return frame
                }
            } catch let error as MediaError {
                if sentEOF && framesDecoded == 0 { throw error }
                skippedPackets += 1
                if skippedPackets > 1000 { throw error }
                continue
            }
            if sentEOF { finished = true; return nil }
            var gotVideo = false
            while !gotVideo {
                packet.unref()
                let more: Bool
                do { more = try file.read(into: packet) } catch {
                    // A truncated or damaged file: what decoded so far stands, unless nothing did.
                    if framesDecoded == 0 && skippedPackets == 0 && keptLock.withLock({ kept.isEmpty }) { throw error }
                    more = false
                }
                if !more {
                    _ = try? decoder.send(nil)
                    sentEOF = true
                    break
                }
                guard packet.pointer.pointee.stream_index == streamIndex else { continue }
                gotVideo = true
                if retainsPackets {
                    let ref = try Packet(referencing: packet)
                    keptLock.withLock { kept.append(ref) }
                }
                do { _ = try decoder.send(packet) } catch { skippedPackets += 1 }
            }
        }
    }

    /// The next frame as RGB, scaled to `width`x`height` when given, with its time in seconds.
    public func nextFrame(width: Int? = nil, height: Int? = nil) throws -> (image: Image, pts: Double)? {
        guard let f = try nextDecodedFrame() else { return nil }
        let ts = f.timestamp
        let pts = ts == pff_nopts_value() ? Double(framesDecoded - 1) / info.fps.double : seconds(ts)
        return (try rgb(f, width: width, height: height), pts)
    }

    func rgb(_ f: Frame, width: Int?, height: Int?) throws -> Image {
        let w = width ?? f.width, h = height ?? f.height
        let fmt = AVPixelFormat(rawValue: f.pointer.pointee.format)
        if rgbScaler == nil || !rgbScaler!.matches(srcW: f.width, srcH: f.height, srcFormat: fmt, dstW: w, dstH: h) {
            guard let s = Scaler(srcW: f.width, srcH: f.height, srcFormat: fmt, dstW: w, dstH: h, dstFormat: AV_PIX_FMT_RGB24,
                                 flags: Int32(SWS_BICUBIC | (fastRGB ? 0 : SWS_ACCURATE_RND) | SWS_FULL_CHR_H_INT)) else {
                throw MediaError("cannot convert the frames of '\(info.path)' to RGB")
            }
            rgbScaler = s
        }
        return try rgbScaler!.rgbImage(from: f)
    }

    // MARK: earlier frames again, from kept packets

    /// Lets go of kept packets that come before the last keyframe at or before `timestamp`.
    public func releasePackets(before timestamp: Int64) {
        keptLock.withLock {
            guard let k = lastKey(atOrBefore: timestamp), k > 0 else { return }
            kept.removeFirst(k)
        }
    }

    /// Whether the kept packets still hold a keyframe at or before `timestamp` (so
    /// `deferredImage(atTimestamp:)` can decode that frame again).
    public func keepsPackets(for timestamp: Int64) -> Bool {
        keptLock.withLock { lastKey(atOrBefore: timestamp) != nil }
    }

    private func lastKey(atOrBefore ts: Int64) -> Int? {
        var found: Int?
        for (i, p) in kept.enumerated() where p.isKey {
            let pts = p.pointer.pointee.pts != pff_nopts_value() ? p.pointer.pointee.pts : p.pointer.pointee.dts
            if pts <= ts { found = i } else { break }
        }
        return found
    }

    /// The frame with this timestamp as a deferred Image: references to the kept packets from
    /// the keyframe before it up to it (compressed, cheap) now; decoded and converted to RGB
    /// when its pixels are first read, on their own decoder, after this one may be gone.
    /// `width`x`height`: the frame's size (the stream's when not given).
    public func deferredImage(atTimestamp ts: Int64, width: Int? = nil, height: Int? = nil) throws -> Image {
        if parameters == nil { parameters = try CodecParameters(copying: file.stream(Int(streamIndex)).pointee.codecpar) }
        let run: [Packet] = try keptLock.withLock {
            let start = lastKey(atOrBefore: ts) ?? 0
            var run: [Packet] = []
            for p in kept[start...] {
                // A frame's packet comes at or before its time in decode order (dts <= pts).
                let d = p.pointer.pointee.dts != pff_nopts_value() ? p.pointer.pointee.dts : p.pointer.pointee.pts
                if d != pff_nopts_value(), d > ts, !run.isEmpty { break }
                run.append(try Packet(referencing: p))
            }
            return run
        }
        let still = DeferredStill(parameters: parameters!, timeBase: timeBase, packets: run, timestamp: ts,
                                  path: info.path, seconds: seconds(ts))
        return Image(width: width ?? info.width, height: height ?? info.height, deferred: { try still.decode() })
    }
    private var parameters: CodecParameters?
}

extension Scaler {
    /// Converts (and scales) a decoded frame into a new RGB24 Image of the scaler's size.
    func rgbImage(from f: Frame) throws -> Image {
        setColorspace(of: f.pointer)
        let w = Int(dstW), h = Int(dstH)
        let stride = (w * 3 + 63) & ~63   // padded: swscale's SIMD writes whole blocks
        var padded = [UInt8](repeating: 0, count: stride * h + 256)
        let rc = padded.withUnsafeMutableBufferPointer { buf -> Int32 in
            var dst: [UnsafeMutablePointer<UInt8>?] = [buf.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(stride), 0, 0, 0]
            return withUnsafePointer(to: f.pointer.pointee.data) { dataTuple in
                dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    withUnsafePointer(to: f.pointer.pointee.linesize) { lsTuple in
                        lsTuple.withMemoryRebound(to: Int32.self, capacity: 8) { ls in
                            sws_scale(pointer, src, ls, 0, Int32(f.height), &dst, &strides)
                        }
                    }
                }
            }
        }
        guard rc > 0 else { throw MediaError("cannot convert a frame to RGB", nil, code: rc) }
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        padded.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h { (dst.baseAddress! + y * w * 3).update(from: src.baseAddress! + y * stride, count: w * 3) }
            }
        }
        return Image(width: w, height: h, pixels: pixels)
    }
}

/// The packets that decode to one frame again (from a keyframe), and how to decode them.
final class DeferredStill {
    let parameters: CodecParameters
    let timeBase: AVRational
    let packets: [Packet]
    let timestamp: Int64
    let path: String
    let seconds: Double

    init(parameters: CodecParameters, timeBase: AVRational, packets: [Packet], timestamp: Int64, path: String, seconds: Double) {
        self.parameters = parameters; self.timeBase = timeBase; self.packets = packets
        self.timestamp = timestamp; self.path = path; self.seconds = seconds
    }

    /// The frame's RGB24 pixels (rows without padding).
    func decode() throws -> [UInt8] {
        // One thread: `export` decodes two stills at once, and a lean decoder keeps its memory small.
        let decoder = try Decoder(parameters: parameters.pointer, timeBase: timeBase, path: path, threads: 1)
        let out = Frame()
        var scaler: Scaler?
        var best: [UInt8]?
        func rgb() throws -> [UInt8] {
            let fmt = AVPixelFormat(rawValue: out.pointer.pointee.format)
            if scaler == nil || !scaler!.matches(srcW: out.width, srcH: out.height, srcFormat: fmt, dstW: out.width, dstH: out.height) {
                guard let s = Scaler(srcW: out.width, srcH: out.height, srcFormat: fmt, dstW: out.width, dstH: out.height,
                                     dstFormat: AV_PIX_FMT_RGB24, flags: Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT)) else {
                    throw MediaError("cannot convert the frames of '\(path)' to RGB")
                }
                scaler = s
            }
            return try scaler!.rgbImage(from: out).pixels
        }
        /// True once the wanted frame came out.
        func drain() throws -> Bool {
            while (try? decoder.receive(out)) == true {
                let t = out.timestamp
                if t == timestamp || (t == pff_nopts_value() && best == nil) { best = try rgb(); return true }
                if t > timestamp, best == nil { best = try rgb() }
            }
            return false
        }
        for p in packets {
            while true {
                let sent = (try? decoder.send(p)) ?? true
                if try drain() { return best! }
                if sent { break }
            }
        }
        _ = try? decoder.send(nil)
        if try drain() { return best! }
        if let best { return best }
        throw MediaError("cannot decode again the frame at \(String(format: "%.3f", seconds)) s of '\(path)'")
    }
}

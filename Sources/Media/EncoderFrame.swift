import CFFmpeg

/// A yuv420p picture on its way to the encoder: the one owner of one `AVFrame`. Its buffers may
/// be shared (reference-counted) with other frames showing the same picture.
public final class EncoderFrame: @unchecked Sendable {
    private let frame = Frame()   // the AVFrame's one owner (allocation and free)
    var pointer: UnsafeMutablePointer<AVFrame> { frame.pointer }

    /// Buffers of this size that nothing else references, ready to be written.
    func makeWritable(width: Int, height: Int) throws {
        if pointer.pointee.buf.0 != nil && av_frame_is_writable(pointer) != 0
            && Int(pointer.pointee.width) == width && Int(pointer.pointee.height) == height { return }
        av_frame_unref(pointer)
        pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        let rc = av_frame_get_buffer(pointer, 0)
        guard rc >= 0 else { throw MediaError(operation: "encode", "cannot allocate a \(width)x\(height) frame", nil, code: rc) }
    }

    /// The same picture as `other` (a new reference to its buffers, no copy).
    func reference(_ other: EncoderFrame) throws {
        av_frame_unref(pointer)
        let rc = av_frame_ref(pointer, other.pointer)
        guard rc >= 0 else { throw MediaError(operation: "encode", "cannot reference a frame", nil, code: rc) }
    }
}

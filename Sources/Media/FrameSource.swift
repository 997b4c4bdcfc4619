/// Pictures by index, one pass: what the MP4 writer encodes and what a clip's reader is. Calls
/// mostly come in increasing order (a file decodes forward); other orders are allowed and may
/// cost more. Handing out the same `Image` object for consecutive indices tells the writer the
/// picture did not change (it is converted once).
public protocol FrameSource: AnyObject {
    func frame(_ index: Int) throws -> Image
}

/// An 8-bit RGB picture in memory (rows of width*3 bytes, no padding): the stills of scenes,
/// the frames that clips produce, and what the encoder converts to YUV.
public final class Image: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "Image: \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture of one colour.
    public convenience init(width: Int, height: Int, red: UInt8 = 0, green: UInt8 = 0, blue: UInt8 = 0) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = red; pixels[i + 1] = green; pixels[i + 2] = blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    public var rowBytes: Int { width * 3 }
}

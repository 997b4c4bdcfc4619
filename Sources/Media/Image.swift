import Foundation

/// An 8-bit RGB picture in memory (rows of width*3 bytes, no padding): the stills of scenes,
/// the frames that clips produce, and what the encoder converts to YUV.
///
/// A picture can be deferred: its size is known, its pixels are made on first use (a scene's
/// still is kept as the compressed packets that decode to it, a few hundred KB, until read).
/// Call `load()` on the thread that owns it before handing it to others (`ImageValue.check`
/// does, so every primitive gets a loaded picture).
public final class Image: @unchecked Sendable {
    public let width: Int
    public let height: Int
    private var storage: [UInt8]
    private var loader: (() throws -> [UInt8])?
    private var deferred: Bool
    private let loading = NSLock()

    public var pixels: [UInt8] {
        get {
            if deferred { try? load() }
            return storage
        }
        _modify {
            if deferred { try? load() }
            loading.withLock { loader = nil }   // changed pixels can no longer be made again
            yield &storage
        }
        set {
            loading.withLock { loader = nil; deferred = false }
            storage = newValue
        }
    }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "Image: \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.storage = pixels
        self.loader = nil
        self.deferred = false
    }

    /// A picture whose pixels `loader` makes on first use (`width*height*3` bytes).
    public init(width: Int, height: Int, deferred loader: @escaping () throws -> [UInt8]) {
        precondition(width > 0 && height > 0, "Image: \(width)x\(height)")
        self.width = width
        self.height = height
        self.storage = []
        self.loader = loader
        self.deferred = true
    }

    /// Makes a deferred picture's pixels now; its error, if the loader fails (the pixels then stay
    /// black, so a reader that cannot throw never sees a short buffer).
    public func load() throws {
        try loading.withLock {
            guard deferred, let make = loader else { return }
            defer { deferred = false }
            do {
                let made = try make()
                guard made.count == width * height * 3 else {
                    storage = [UInt8](repeating: 0, count: width * height * 3)
                    throw MediaError("a deferred \(width)x\(height) picture came out as \(made.count) bytes")
                }
                storage = made
            } catch {
                storage = [UInt8](repeating: 0, count: width * height * 3)
                loader = nil
                throw error
            }
        }
    }

    /// Lets a deferred picture's pixels go again (they are made anew on next use); false, and
    /// nothing done, for a picture that was never deferred or whose pixels were changed. What
    /// `export` and `contact_sheet` do with the stills they loaded, so that writing a thousand
    /// scenes holds one full-size still at a time, not a thousand.
    @discardableResult
    public func unload() -> Bool {
        loading.withLock {
            guard loader != nil else { return false }
            storage = []
            deferred = true
            return true
        }
    }

    /// True until a deferred picture's pixels are made.
    public var isDeferred: Bool { loading.withLock { deferred } }

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

/// A rectangle of a frame, in pixels: x, y from the top left.
public struct PixelRect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}

/// What one scene's frame is made of, in source pixels: a picture inside the frame, what is
/// around it, and what is drawn over it. Scenes finds it (`LayoutAnalyzer`); the motion source
/// animates the picture alone; Timeline's composition puts the frame back around it, the
/// source's overlays on top at their own frames.
public struct SceneLayout: Sendable, Hashable {
    /// What surrounds the picture.
    public enum Background: String, Sendable, Hashable {
        /// The picture fills the frame.
        case none
        /// Solid bars (black, or one colour) on any side.
        case bars
        /// A blurred or textured fill (typically the picture itself, blurred and zoomed).
        case fill
    }

    /// Something drawn over the frame that changes during the scene: a caption, a banner, a
    /// lower third. `changes` are the source frames (absolute frame numbers) at which its
    /// content changes (appears, changes text, disappears), ascending.
    public struct Overlay: Sendable, Hashable {
        public var region: PixelRect
        public var changes: [Int]
        public init(region: PixelRect, changes: [Int]) {
            self.region = region
            self.changes = changes
        }
    }

    public var frameWidth: Int
    public var frameHeight: Int
    /// The picture's rectangle (the whole frame when `background` is `.none`).
    public var picture: PixelRect
    public var background: Background
    public var overlays: [Overlay]
    /// Elements present, unchanged, for the whole scene that are not the picture (a channel
    /// logo, a watermark), over the picture or outside it.
    public var statics: [PixelRect]

    public init(frameWidth: Int, frameHeight: Int, picture: PixelRect, background: Background,
                overlays: [Overlay] = [], statics: [PixelRect] = []) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.picture = picture
        self.background = background
        self.overlays = overlays
        self.statics = statics
    }

    /// Today's behaviour: the whole frame is the picture, nothing over it.
    public static func full(width: Int, height: Int) -> SceneLayout {
        SceneLayout(frameWidth: width, frameHeight: height, picture: PixelRect(x: 0, y: 0, width: width, height: height),
                    background: .none)
    }
}

extension PixelRect {
    public func intersects(_ o: PixelRect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }

    public func union(_ o: PixelRect) -> PixelRect {
        let nx = min(x, o.x), ny = min(y, o.y)
        return PixelRect(x: nx, y: ny, width: max(maxX, o.maxX) - nx, height: max(maxY, o.maxY) - ny)
    }

    /// The part inside `o` (empty, width or height 0, when they do not meet).
    public func intersection(_ o: PixelRect) -> PixelRect {
        let nx = max(x, o.x), ny = max(y, o.y)
        return PixelRect(x: nx, y: ny, width: max(0, min(maxX, o.maxX) - nx), height: max(0, min(maxY, o.maxY) - ny))
    }

    /// Grown by `d` on every side, kept inside `width`x`height`.
    public func padded(_ d: Int, width w: Int, height h: Int) -> PixelRect {
        let nx = max(0, x - d), ny = max(0, y - d)
        return PixelRect(x: nx, y: ny, width: min(w, maxX + d) - nx, height: min(h, maxY + d) - ny)
    }
}

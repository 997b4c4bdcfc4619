import LuaBridge
import Media

/// The Lua `Image`: a still in memory (a scene's representative frame, a PNG read with `image`).
/// Every primitive that takes a picture (kenburns, still, svd) reads it through `check`.
enum ImageValue {
    nonisolated(unsafe) static let cls: LuaClass<Image> = {
        let cls = LuaClass<Image>("Image", describe: { "Image \($0.width)x\($0.height)" })
        cls.field("width") { image, call in call.push(image.width) }
        cls.field("height") { image, call in call.push(image.height) }
        ImageMethods.add(to: cls)
        return cls
    }()

    static func install(in session: Session) {
        session.install(cls, docs: ImageMethods.docs)
    }

    /// The Image at argument `i`, or an error naming what was expected.
    /// `load: false` leaves a deferred still compressed (for `export` and `contact_sheet`, which
    /// decode each as they write it and let it go).
    static func check(_ call: LuaCall, _ i: Int32, _ what: String, load: Bool = true) throws -> Image {
        guard call.isObject(i, cls) else {
            throw call.argumentError(i, what, expected: "Image (from image(path) or a scene's .image)", got: call.describe(i))
        }
        let image = try call.object(i, what, cls)
        if load { try image.load() }   // a scene's deferred still is decoded here, on the Lua thread
        return image
    }

    @discardableResult
    static func push(_ image: Image, _ call: LuaCall) -> Int32 { call.push(image, as: cls) }
}

/// Image methods (`img:save`, `img:resize`): the media layer's.
enum ImageMethods {
    static var docs: [PrimitiveDoc] { [
        PrimitiveDoc("Image:save", "img:save(path)",
                     "Writes the picture as PNG (to a temporary name, then renamed).",
                     example: "scenes[3].image:save(\"s3.png\")"),
        PrimitiveDoc("Image:resize", "img:resize(width, height) -> Image",
                     "A scaled copy (bicubic; area filter when shrinking more than 2x).",
                     example: "local small = img:resize(320, 180)"),
        PrimitiveDoc("Image:crop", "img:crop(x, y, w, h) -> Image",
                     "The pixels of a rectangle (x, y from the top left), e.g. a scene's picture inside its bars.",
                     example: "local pic = s.image:crop(240, 0, 1440, 1080)"),
    ] }

    static func add(to cls: LuaClass<Image>) {
        cls.method("save") { image, call in
            let path = try call.string(2, "path")
            try image.writePNG(to: path)
            return 0
        }
        cls.method("resize") { image, call in
            let w = try call.integer(2, "width"), h = try call.integer(3, "height")
            try image.load()
            guard w > 0, w <= 16384 else { throw call.argumentError(2, "width", expected: "an integer 1..16384") }
            guard h > 0, h <= 16384 else { throw call.argumentError(3, "height", expected: "an integer 1..16384") }
            return ImageValue.push(image.resized(width: w, height: h), call)
        }
        cls.method("crop") { image, call in
            let x = try call.integer(2, "x"), y = try call.integer(3, "y")
            let w = try call.integer(4, "w"), h = try call.integer(5, "h")
            try image.load()
            // Bounded first: the rectangle's arithmetic must not overflow (math.maxinteger).
            let limit = 1 << 20
            guard (-limit...limit).contains(x), (-limit...limit).contains(y), w <= limit, h <= limit else {
                throw call.error("the rectangle \(w)x\(h)+\(x)+\(y): expected sizes and positions within \(limit)")
            }
            guard w > 0, h > 0, let cropped = image.region(PixelRect(x: x, y: y, width: w, height: h)) else {
                throw call.error("the rectangle \(w)x\(h)+\(x)+\(y) is not inside the \(image.width)x\(image.height) picture")
            }
            return ImageValue.push(cropped, call)
        }
    }
}

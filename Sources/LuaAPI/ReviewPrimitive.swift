import Foundation
import LuaBridge
import Media
import Review
import Scenes
import SVD

/// `review(scenes, clips, path, opts)`: reads the Lua values into `ReviewCard`s; the page is
/// `ReviewPage`'s (Sources/Review).
enum ReviewPrimitive {
    static let entryKeys = ["clip", "motion", "params", "cached", "reroll"]

    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "review", "review(scenes, clips, path, {title=, info=}) -> {path=, folder=, cards=, bytes=, seconds=}",
            "Writes the episode review page: path (ep_review.html) with one card per scene — times, still and detected "
                + "layout, the clip looping, what made it, the tune line that re-rolls it — and its media in the folder "
                + "beside it (ep_review/). Replaces the previous page whole; an error leaves it as it was.",
            options: [("clips[i]", "scene i's Clip, or {clip = Clip, motion = 'svd', params = {seed = 7, ...}, cached = true, reroll = '[7] = {seed = 8}'}"),
                      ("title", "the page's heading (default: the page's file name)"),
                      ("info", "header lines: {{'input', 'ep.mp4'}, {'strategy', 'pingpong'}, ...}")],
            example: "local scenes = detect('ep.mp4')\nlocal clips = {}\n"
                + "for i, s in ipairs(scenes) do clips[i] = kenburns(s.image, {seconds = s.duration}) end\n"
                + "review(scenes, clips, 'ep_review.html')")) { call in
            guard call.type(1) == .table else {
                throw call.argumentError(1, "scenes", expected: "an array of scenes (from detect or import)", got: call.describe(1))
            }
            guard call.type(2) == .table else {
                throw call.argumentError(2, "clips", expected: "an array with one clip per scene", got: call.describe(2))
            }
            let path = try call.string(3, "path")
            var title = (path as NSString).lastPathComponent
            if title.hasSuffix("_review.html") { title = String(title.dropLast("_review.html".count)) }
            var info: [(name: String, value: String)] = []
            if let t = try call.optionalTable(4, "options") {
                try t.checkKnown(["title", "info"])
                if let v = try t.string("title") { title = v }
                info = try t.withField("info") { f in call.isNil(f) ? [] : try readInfo(call, f) }
            }
            let scenes = try SceneFilesPrimitives.checkScenes(call, 1)
            guard !scenes.isEmpty else {
                throw call.argumentError(1, "scenes", expected: "an array of scenes (from detect or import)", got: "an empty table")
            }
            let list = try call.table(2, "clips")
            guard list.arrayCount == scenes.count else {
                throw call.error("argument #2 (clips): expected one clip per scene (\(scenes.count)), got \(list.arrayCount)")
            }
            var cards: [ReviewCard] = []
            for (k, scene) in scenes.enumerated() {
                cards.append(try list.withElement(k + 1) { e in try card(call, e, scene: scene, position: k + 1) })
            }
            let page = ReviewPage(title: title, info: info, cards: cards)
            let r = try page.write(to: path, check: { try Interrupt.check() })
            let t = call.newTable(fieldCount: 5)
            t.set("path", r.page)
            t.set("folder", r.folder)
            t.set("cards", r.cards)
            t.set("bytes", r.bytes)
            t.set("seconds", r.seconds)
            return 1
        }
    }

    static func card(_ call: LuaCall, _ e: Int32, scene: Scene, position k: Int) throws -> ReviewCard {
        if call.isObject(e, ClipValue.cls) {
            let box = try call.object(e, "clips[\(k)]", ClipValue.cls)
            let cached: Bool? = box.origin.hasPrefix("svd") ? box.origin.contains("(cached)") : nil
            return ReviewCard(scene: scene, clip: box.clip, motion: box.origin, cached: cached)
        }
        guard call.type(e) == .table else {
            throw call.error("argument #2 (clips): scene \(scene.index) has no clip (clips[\(k)] is \(call.describe(e)); "
                + "expected a Clip or {clip = Clip, ...})")
        }
        let t = try call.table(e, "clips[\(k)]")
        for key in t.stringKeys().sorted() where !entryKeys.contains(key) {
            throw call.error("clips[\(k)]: unknown field '\(key)' (known: \(entryKeys.joined(separator: ", ")))")
        }
        let box = try t.withField("clip") { f -> ClipBox in
            guard call.isObject(f, ClipValue.cls) else {
                throw call.error("argument #2 (clips): scene \(scene.index) has no clip (clips[\(k)].clip is \(call.describe(f)))")
            }
            return try call.object(f, "clips[\(k)].clip", ClipValue.cls)
        }
        var params = try t.withField("params") { f in call.isNil(f) ? [] : try readParams(call, f, "clips[\(k)].params") }
        let motion = try t.string("motion") ?? box.origin
        if motion.hasPrefix("svd") {
            // What svd used for the options not given: its defaults, so the card shows every parameter.
            let d = GenerationParams()
            let defaults = [("steps", "\(d.steps)"), ("motion", "\(d.motion)"), ("fps", "\(d.fps)"),
                            ("noise_aug", "\(d.noiseAug)"), ("min_guidance", "\(d.minGuidance)"),
                            ("max_guidance", "\(d.maxGuidance)"), ("decode_chunk", "\(d.decodeChunk)")]
            for (name, value) in defaults where !params.contains(where: { $0.name == name }) { params.append((name, value)) }
        }
        let cachedDefault: Bool? = box.origin.hasPrefix("svd") ? box.origin.contains("(cached)") : nil
        return ReviewCard(scene: scene, clip: box.clip, motion: motion, parameters: params,
                          cached: try t.boolean("cached") ?? cachedDefault, reroll: try t.string("reroll"))
    }

    /// A table of parameters as Lua literals, seed first, then by name.
    static func readParams(_ call: LuaCall, _ i: Int32, _ what: String) throws -> [(name: String, value: String)] {
        let t = try call.table(i, what)
        let names = t.stringKeys().sorted { ($0 == "seed" ? 0 : 1, $0) < ($1 == "seed" ? 0 : 1, $1) }
        return try names.map { name in (name, try t.withField(name) { f in try literal(call, f, "\(what).\(name)") }) }
    }

    static func literal(_ call: LuaCall, _ f: Int32, _ what: String) throws -> String {
        switch call.type(f) {
        case .number:
            let d = try call.number(f, what)
            if d == d.rounded(), abs(d) < 1e15, let i = try? call.integer(f, what) { return String(i) }
            return String(format: "%g", d)
        case .string: return "'" + (try call.string(f, what)) + "'"
        case .boolean: return try call.boolean(f, what) ? "true" : "false"
        case .table:
            let t = try call.table(f, what)
            let inner = try t.stringKeys().sorted().map { k in "\(k) = " + (try t.withField(k) { g in try literal(call, g, "\(what).\(k)") }) }
            return "{" + inner.joined(separator: ", ") + "}"
        default: return call.describe(f)
        }
    }

    /// `{{'input', 'ep.mp4'}, ...}`: pairs in order.
    static func readInfo(_ call: LuaCall, _ i: Int32) throws -> [(name: String, value: String)] {
        let t = try call.table(i, "info")
        return try (0..<t.arrayCount).map { k in
            try t.withElement(k + 1) { e in
                let pair = try call.table(e, "info[\(k + 1)]")
                guard pair.arrayCount == 2 else { throw call.error("option 'info': expected pairs like {'input', 'ep.mp4'} at [\(k + 1)]") }
                let name = try pair.withElement(1) { x in try literalText(call, x, "info[\(k + 1)][1]") }
                let value = try pair.withElement(2) { x in try literalText(call, x, "info[\(k + 1)][2]") }
                return (name, value)
            }
        }
    }

    static func literalText(_ call: LuaCall, _ i: Int32, _ what: String) throws -> String {
        call.type(i) == .string ? try call.string(i, what) : try literal(call, i, what)
    }
}

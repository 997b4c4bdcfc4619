import LuaBridge
import Media
import Timeline

/// clip, still, kenburns, pad, concat (issue #5); compose and mux are in their own files.
enum TimelinePrimitives {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "clip", "clip(path_or_video) -> Clip",
            "A video file as a clip (e.g. one made by another tool); frames decode lazily.",
            example: "local c = clip('2_animated_clips/image_001.mp4')")) { call in
            let info: MediaInfo
            do { info = try VideoValue.checkVideoOrPath(call, 1, "path") } catch let e as MediaError {
                throw call.error(e.message)
            }
            return ClipValue.push(FileClip(info: info), origin: info.path, call)
        }

        session.register(PrimitiveDoc(
            "still", "still(image, seconds, {fps = 25}) -> Clip",
            "A picture held for `seconds`.",
            options: [("fps", "frame rate of the clip (default 25; mux resamples to the output's)")],
            example: "local c = still(scenes[1].image, scenes[1].duration)")) { call in
            let image = try ImageValue.check(call, 1, "image")
            let seconds = try positiveSeconds(call, 2)
            let opts = try call.optionalTable(3, "options")
            try opts?.checkKnown(["fps"])
            let fps = try frameRate(call, opts, default: Rational(25))
            return ClipValue.push(StillClip(image: image, seconds: seconds, fps: fps), origin: "still", call)
        }

        session.register(PrimitiveDoc(
            "kenburns", "kenburns(image, {seconds = 4, zoom = 1.15, direction, pan, easing = 'ease', seed, fps = 30, size}) -> Clip",
            "A slow, sub-pixel smooth pan and zoom over a still (no GPU needed).",
            options: [
                ("seconds", "length (default 4)"),
                ("zoom", "largest zoom, >= 1 (default 1.15: from the whole picture to 1/1.15 of it)"),
                ("direction", "'in' or 'out' (default: from seed, else 'in')"),
                ("pan", "'left', 'right', 'up', 'down' or 'none' (default: from seed, else 'none')"),
                ("easing", "'ease', 'linear', 'ease-in' or 'ease-out' (default 'ease')"),
                ("seed", "integer: picks a varied direction and pan (e.g. the scene's index)"),
                ("fps", "frame rate (default 30; pass the source's, e.g. v.fps)"),
                ("size", "'WxH' of the frames (default the picture's)"),
            ],
            example: "local kb = kenburns(scenes[4].image, {seconds = 6, zoom = 1.2, direction = 'in', pan = 'left'})")) { call in
            let image = try ImageValue.check(call, 1, "image")
            let opts = try call.optionalTable(2, "options")
            try opts?.checkKnown(["seconds", "zoom", "direction", "pan", "easing", "seed", "fps", "size"])
            var o = KenBurnsClip.Options()
            if let s = try opts?.number("seconds") {
                guard s > 0, s < maxSeconds else {
                    throw call.error("option 'seconds': expected a number > 0 and < \(Int(maxSeconds)) (about 11 days), got \(s)")
                }
                o.seconds = s
            }
            if let z = try opts?.number("zoom") {
                guard z >= 1, z <= 10 else { throw call.error("option 'zoom': expected a number from 1 to 10, got \(z)") }
                o.zoom = z
            }
            o.direction = try opts?.choice("direction", KenBurnsClip.Direction.allCases.map(\.rawValue)).flatMap(KenBurnsClip.Direction.init)
            o.pan = try opts?.choice("pan", KenBurnsClip.Pan.allCases.map(\.rawValue)).flatMap(KenBurnsClip.Pan.init)
            if let e = try opts?.choice("easing", KenBurnsClip.Easing.allCases.map(\.rawValue)) { o.easing = KenBurnsClip.Easing(rawValue: e)! }
            o.seed = try opts?.integer("seed")
            o.fps = try frameRate(call, opts, default: Rational(30))
            if let size = try opts?.string("size") {
                guard let (w, h) = parseSize(size) else { throw call.error("option 'size': expected 'WxH', got '\(size)'") }
                o.width = w; o.height = h
            }
            let clip = KenBurnsClip(image: image, options: o)
            return ClipValue.push(clip, origin: "kenburns \(clip.direction.rawValue), pan \(clip.pan.rawValue)", call)
        }

        session.register(PrimitiveDoc(
            "pad", "pad(clip, seconds, strategy = 'loop', {seam}) -> Clip",
            "The clip made exactly `seconds` long; a longer clip is cut ('stretch' retimes it instead).",
            options: [
                ("'loop'", "from the start again"),
                ("'pingpong'", "forward then backward (no jump cut)"),
                ("'freeze'", "hold the last frame"),
                ("'stretch'", "retime the clip's frames over the whole length"),
                ("'loop_xfade'", "loop whose seam cross-fades the clip's end into its start (4th argument {seam = frames}, default half a second)"),
            ],
            example: "local c = pad(kb, scene.duration, 'pingpong')")) { call in
            let clip = try ClipValue.check(call, 1, "clip")
            let seconds = try positiveSeconds(call, 2)
            let strategy = call.isNil(3) ? "loop" : try call.choice(3, "strategy", PadClip.Strategy.allCases.map(\.rawValue))
            var seam: Int?
            if let t = try call.optionalTable(4, "options") {
                try t.checkKnown(["seam"])
                if let v = try t.integer("seam") {
                    guard v >= 0 else { throw call.error("option 'seam': expected 0 or more frames, got \(v)") }
                    seam = v
                }
            }
            let padded = PadClip(clip, seconds: seconds, strategy: PadClip.Strategy(rawValue: strategy)!, seam: seam)
            return ClipValue.push(padded, origin: "pad \(strategy)", call)
        }

        session.register(PrimitiveDoc(
            "concat", "concat({clip1, clip2, ...}, {transitions = {t1, t2, ...}}) -> Clip",
            "Clips one after another; part i starts at output frame round(start_i * fps). transitions[i] joins part i to part i+1: "
                + "nil, false or 'cut' (a hard cut, frame-exact), a scene's transition_in/transition_out from detect(v, {transitions = true}) "
                + "(its blended frames around the boundary: the two parts cross-faded over the very frames of the source's dissolve), "
                + "or {kind = 'dissolve'|'fade', seconds = d} (d/2 either side of the boundary) or {kind =, before = s, after = s}. "
                + "A dissolve mixes the parts linearly; a fade takes the first to black and the second in from it. Parts keep their "
                + "places: the one before goes on past its end (a pad keeps looping), the one after shows its first frame before its start "
                + "(a composed scene shows the source's own frames there).",
            options: [("transitions", "one entry per boundary (#clips - 1; missing ones are hard cuts)")],
            example: "local ts = {}\nfor k = 2, #scenes do ts[k - 1] = scenes[k].transition_in end\nlocal all = concat(parts, {transitions = ts})")) { call in
            let clips = try ClipValue.checkArray(call, 1, "clips")
            let opts = try call.optionalTable(2, "options")
            try opts?.checkKnown(["transitions"])
            var transitions: [ConcatTransition?] = []
            if let opts, opts.has("transitions") {
                transitions = try opts.withField("transitions") { i in
                    guard call.type(i) == .table else {
                        throw call.error("option 'transitions': expected a table with one entry per boundary, got \(call.describe(i))")
                    }
                    let t = try call.table(i, "transitions")
                    return try (0..<max(0, clips.count - 1)).map { b in
                        try t.withElement(b + 1) { e in try concatTransition(call, e, boundary: b + 1) }
                    }
                }
            }
            let concat = ConcatClip(clips, transitions: transitions)
            let gradual = transitions.compactMap { $0 }.count
            return ClipValue.push(concat, origin: "concat of \(clips.count)" + (gradual > 0 ? ", \(gradual) transitions" : ""), call)
        }

        CrossfadePrimitive.register(in: session)
        MotionCommandPrimitive.register(in: session)
        ComposePrimitive.register(in: session)
        MuxPrimitive.register(in: session)
    }

    /// The longest clip a primitive makes: far past any episode, short of frame counts that overflow.
    static let maxSeconds = 1e6

    /// One entry of concat's `transitions` (at stack index `e`): nil for a hard cut.
    static func concatTransition(_ call: LuaCall, _ e: Int32, boundary b: Int) throws -> ConcatTransition? {
        let what = "option 'transitions': entry \(b)"
        switch call.type(e) {
        case .nil, .none: return nil
        case .boolean:
            if try !call.boolean(e, "transitions") { return nil }
        case .string:
            if try call.string(e, "transitions") == "cut" { return nil }
        case .table:
            let t = try call.table(e, "transitions[\(b)]")
            let kind = try t.choice("kind", ["cut"] + ConcatTransition.Kind.allCases.map(\.rawValue)) ?? "dissolve"
            guard let k = ConcatTransition.Kind(rawValue: kind) else { return nil }
            func seconds(_ key: String) throws -> Double? {
                guard let v = try t.number(key) else { return nil }
                guard v.isFinite, v >= 0, v < 1e6 else { throw call.error("\(what): '\(key)' must be a number >= 0, got \(v)") }
                return v
            }
            if let start = try t.number("start"), let time = try t.number("time"), let stop = try t.number("stop") {
                guard start.isFinite, time.isFinite, stop.isFinite, start <= time, time <= stop else {
                    throw call.error("\(what): expected start <= time <= stop (seconds), got \(start), \(time), \(stop)")
                }
                return ConcatTransition(kind: k, before: time - start, after: stop - time)
            }
            if let d = try seconds("seconds") { return ConcatTransition(kind: k, before: d / 2, after: d / 2) }
            if let before = try seconds("before"), let after = try seconds("after") {
                return ConcatTransition(kind: k, before: before, after: after)
            }
            throw call.error("\(what): a \(kind) needs start, time and stop (a scene's transition_in), seconds, or before and after")
        default: break
        }
        throw call.error("\(what): expected nil, 'cut' or a transition table (a scene's transition_in), got \(call.describe(e))")
    }

    static func positiveSeconds(_ call: LuaCall, _ i: Int32) throws -> Double {
        let s = try call.number(i, "seconds")
        guard s > 0, s < maxSeconds else {
            throw call.argumentError(i, "seconds", expected: "a number > 0 and < \(Int(maxSeconds)) (about 11 days)", got: call.describe(i))
        }
        return s
    }

    /// `fps` of an options table: a number (25, 29.97) or a string ('30000/1001').
    static func frameRate(_ call: LuaCall, _ opts: LuaTable?, default d: Rational) throws -> Rational {
        guard let opts, opts.has("fps") else { return d }
        if let s = try? opts.string("fps"), let r = parseRate(s) { return r }
        guard let n = try? opts.number("fps"), let r = rate(n) else {
            throw call.error("option 'fps': expected a frame rate such as 25 or '30000/1001'")
        }
        return r
    }

    static func rate(_ n: Double) -> Rational? {
        guard n > 0, n <= 1000, n.isFinite else { return nil }
        if n == n.rounded() { return Rational(Int(n)) }
        // 29.97 → 30000/1001 style rates; else thousandths.
        for base in [24, 30, 60, 48, 120] where abs(n - Double(base) * 1000 / 1001) < 0.01 { return Rational(base * 1000, 1001) }
        return Rational(Int((n * 1000).rounded()), 1000)
    }

    static func parseRate(_ s: String) -> Rational? {
        let p = s.split(separator: "/")
        if p.count == 2, let a = Int(p[0]), let b = Int(p[1]), a > 0, b > 0 { return Rational(a, b) }
        return Double(s).flatMap(rate)
    }

    static func parseSize(_ s: String) -> (Int, Int)? {
        let p = s.lowercased().split(separator: "x")
        guard p.count == 2, let w = Int(p[0]), let h = Int(p[1]), w >= 2, h >= 2, w <= 16384, h <= 16384 else { return nil }
        return (w, h)
    }
}

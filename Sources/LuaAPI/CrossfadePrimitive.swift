import LuaBridge
import Media
import Timeline

/// `crossfade({clips}, {frames})`: clips joined by overlapping cross-fades (chained segments).
enum CrossfadePrimitive {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "crossfade", "crossfade({clip1, clip2, ...}, {frames = fps/4}) -> Clip",
            "Clips of one size and frame rate joined end to start, each join a cross-fade over `frames` frames "
                + "(they overlap: the whole is that much shorter per join). How chained SVD segments become one shot.",
            options: [("frames", "frames each join fades over (default a quarter second; 0: butt-joined)")],
            example: "local long = crossfade({a, b, c}, {frames = 6})")) { call in
            let clips = try ClipValue.checkArray(call, 1, "clips")
            let first = clips[0]
            var frames = max(1, Int((first.fps.double / 4).rounded()))
            if let t = try call.optionalTable(2, "options") {
                try t.checkKnown(["frames"])
                if let f = try t.integer("frames") {
                    guard f >= 0 else { throw call.error("option 'frames': expected 0 or more, got \(f)") }
                    frames = f
                }
            }
            for (i, c) in clips.enumerated() {
                guard c.width == first.width, c.height == first.height, c.fps == first.fps else {
                    throw call.error("clip \(i + 1) is \(c.width)x\(c.height) at \(c.fps) fps, expected clip 1's \(first.width)x\(first.height) at \(first.fps) fps")
                }
                guard clips.count == 1 || c.frameCount > frames else {
                    throw call.error("clip \(i + 1) has \(c.frameCount) frames, expected more than the \(frames) of a join")
                }
            }
            return ClipValue.push(CrossfadeClip(clips, overlap: clips.count == 1 ? 0 : frames),
                                  origin: "crossfade of \(clips.count)", call)
        }
    }
}

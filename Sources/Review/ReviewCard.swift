import Media
import Scenes
import Timeline

/// One scene as the review page shows it: the scene (times, still, layout), the clip its motion
/// source made, and what made it, so a person can judge the clip and re-roll it from the page.
public struct ReviewCard {
    public var scene: Scene
    public var clip: any Clip
    /// The motion source in words: "svd", "kenburns".
    public var motion: String
    /// Every parameter that made the clip, in the order shown, values as Lua literals ("7", "'full'").
    public var parameters: [(name: String, value: String)]
    /// Whether the clip came from the clip cache; nil where there is no cache (kenburns).
    public var cached: Bool?
    /// The tune file's line that re-rolls this scene: `[7] = {seed = 8}`.
    public var reroll: String

    public init(scene: Scene, clip: any Clip, motion: String, parameters: [(name: String, value: String)] = [],
                cached: Bool? = nil, reroll: String? = nil) {
        self.scene = scene
        self.clip = clip
        self.motion = motion
        self.parameters = parameters
        self.cached = cached
        let seed = parameters.first { $0.name == "seed" }.flatMap { Int($0.value) } ?? scene.index
        self.reroll = reroll ?? "[\(scene.index)] = {seed = \(seed + 1)}"
    }
}

import Foundation
import Testing

/// The episode review page, written by animate.lua and `review`, looked at in headless Chromium.
@Suite struct ReviewPageTests {
    /// Debian's chromium; scripts/test installs it and sets PODCAST_I2V_REQUIRE_CHROMIUM=1, so in CI
    /// the browser test runs or fails, never skips.
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let browserTestEnabled = chromium != nil || ProcessInfo.processInfo.environment["PODCAST_I2V_REQUIRE_CHROMIUM"] == "1"

    /// Runs headless Chromium on `url` with extra arguments; its stdout.
    static func headless(_ args: [String], url: URL) throws -> String {
        let chromium = try #require(chromium, "chromium is not installed (scripts/install-deps chromium)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        // Root needs --no-sandbox; a profile of its own per run keeps runs apart.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--mute-audio", "--hide-scrollbars",
                       "--user-data-dir=\(profile.path)", "--autoplay-policy=no-user-gesture-required"] + args + [url.absoluteString]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func attribute(_ name: String, inTagStarting prefix: String, of dom: String) -> String? {
        guard let tag = dom.range(of: prefix) else { return nil }
        let end = dom[tag.lowerBound...].firstIndex(of: ">") ?? dom.endIndex
        let text = dom[tag.lowerBound..<end]
        guard let a = text.range(of: " \(name)=\"") else { return nil }
        return String(text[a.upperBound...].prefix { $0 != "\"" })
    }

    @Test(.enabled(if: browserTestEnabled, "chromium is not installed"))
    func animateWritesAPageEveryPreviewOfWhichLoadsInChromium() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ep = try TimelineRecipeTests.threeScenes(in: dir)
        try "return { [2] = {seed = 40, overlays = 'drop'} }".write(to: dir.appendingPathComponent("ep.tune.lua"), atomically: true, encoding: .utf8)
        let recipe = Executable.packageRoot.appendingPathComponent("recipes/animate.lua").path
        let r = try Executable.run(["run", recipe, ep, "--strategy", "loop"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("review  ep_animated_review.html (3 scenes"), "\(r.stdout)")
        let page = dir.appendingPathComponent("ep_animated_review.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.components(separatedBy: "<article class=\"card\"").count - 1 == 3)
        // The re-roll line keeps the scene's own tune entry and moves its seed on.
        #expect(html.contains("[2] = {overlays = &quot;drop&quot;, seed = 41},"), "\(html)")
        #expect(html.contains("[1] = {seed = 2},"))
        for k in 1...3 {
            for ext in ["png", "mp4"] {
                let f = dir.appendingPathComponent(String(format: "ep_animated_review/scene-%04d.%@", k, ext)).path
                #expect(FileManager.default.fileExists(atPath: f), "\(f)")
            }
        }

        // Every card there, every still and preview loaded (#check loads them all and marks each).
        let dom = try Self.headless(["--virtual-time-budget=20000", "--dump-dom"],
                                    url: URL(string: page.absoluteString + "#check")!)
        #expect(dom.components(separatedBy: "<article class=\"card\"").count - 1 == 3, "\(dom.prefix(400))")
        #expect(Self.attribute("data-total", inTagStarting: "<body", of: dom) == "6", "\(dom.prefix(400))")
        #expect(Self.attribute("data-loaded", inTagStarting: "<body", of: dom) == "6", "\(dom.prefix(400))")
        #expect(Self.attribute("data-failed", inTagStarting: "<body", of: dom) == "0", "\(dom.prefix(400))")
        #expect(!dom.contains("data-state=\"error\""))

        // A screenshot as a person opens it (lazy previews), for a person to look at.
        let shot = ProcessInfo.processInfo.environment["PODCAST_I2V_REVIEW_SCREENSHOT"]
            ?? dir.appendingPathComponent("review.png").path
        _ = try Self.headless(["--window-size=1400,900", "--virtual-time-budget=5000", "--screenshot=\(shot)"], url: page)
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 20_000, "screenshot \(shot): \(size) bytes")

        // Re-written on every run: the new page replaces the old whole, nothing left beside it.
        let again = try Executable.run(["run", recipe, ep, "--strategy", "loop"], directory: dir)
        #expect(again.status == 0, "\(again.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func badInputIsAClearErrorAndWritesNothing() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try TimelineRecipeTests.threeScenes(in: dir)
        let lua = """
            local scenes = detect('ep.mp4')
            local clips = {}
            for i, s in ipairs(scenes) do clips[i] = kenburns(s.image, {seconds = 0.5, seed = i}) end
            local function try(...) local ok, e = pcall(review, ...); print(ok, tostring(e), ok or e.kind) end
            try(scenes, {}, 'a_review.html')
            try(scenes, {clips[1], 'oops', clips[3]}, 'b_review.html')
            try(scenes, {clips[1], {motion = 'svd'}, clips[3]}, 'c_review.html')
            try(scenes, clips, 'd_review.txt')
            try(scenes, clips, 'nofolder/e_review.html')
            try({}, {}, 'f_review.html')
            try(scenes, {clips[1], {clip = clips[2], sead = 3}, clips[3]}, 'g_review.html')
            try({scenes[1], scenes[1], scenes[3]}, clips, 'h_review.html')
            os.execute('mkdir mine && touch mine/notes.txt')
            try(scenes, clips, 'mine.html')
            local r = review(scenes, {clips[1], {clip = clips[2], motion = 'kenburns', params = {seed = 2, zoom = 1.5}}, clips[3]}, 'ok_review.html', {title = 'Episode 1', info = {{'input', 'ep.mp4'}}})
            print('ok', r.cards, r.path, r.folder)
            """
        let r = try Executable.run(["-e", lua], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 10, "\(r.stdout)")
        #expect(lines[0].contains("expected one clip per scene (3), got 0") && lines[0].hasSuffix("bad_argument"), "\(lines[0])")
        #expect(lines[1].contains("scene 2 has no clip"), "\(lines[1])")
        #expect(lines[2].contains("scene 2 has no clip (clips[2].clip is nil"), "\(lines[2])")
        #expect(lines[3].contains("expected a file name ending in .html"), "\(lines[3])")
        #expect(lines[4].contains("no folder 'nofolder'") && lines[4].hasSuffix("io"), "\(lines[4])")
        #expect(lines[5].contains("an empty table"), "\(lines[5])")
        #expect(lines[6].contains("unknown field 'sead'"), "\(lines[6])")
        #expect(lines[7].contains("scene 1 appears twice"), "\(lines[7])")
        #expect(lines[8].contains("refusing to replace 'mine'"), "\(lines[8])")
        #expect(lines[9].hasPrefix("ok\t3\tok_review.html\tok_review"), "\(lines[9])")
        // Nothing of the failed calls, the user's folder untouched, the good page whole.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["ep.mp4", "mine", "ok_review", "ok_review.html"], "\(names)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("mine").path) == ["notes.txt"])
        let html = try String(contentsOf: dir.appendingPathComponent("ok_review.html"), encoding: .utf8)
        #expect(html.contains("<h1>Episode 1</h1>") && html.contains("<dt>zoom</dt><dd>1.5</dd>"))
    }
}

import Foundation
import Testing

/// scripts/install into a temporary prefix, then the tool used as an installed one: from another
/// folder, recipes by name, completions, and uninstalling. The binary is the one under test
/// (PODCAST_I2V_INSTALL_BIN): building a release one takes minutes on a small machine, and what
/// is tested here is the install layout, not the optimiser.
@Suite struct InstallTests {
    static func script(_ args: [String], environment: [String: String] = [:]) throws -> Executable.Result {
        try Executable.run(args, environment: ["PODCAST_I2V_INSTALL_BIN": Executable.path].merging(environment) { $1 },
                           executable: Executable.packageRoot.appendingPathComponent("scripts/install").path)
    }

    static func run(_ bin: String, _ args: [String], in dir: URL) throws -> Executable.Result {
        try Executable.run(args, environment: ["PODCAST_I2V_CACHE": dir.appendingPathComponent(".cache").path],
                           directory: dir, executable: bin)
    }

    static func files(under dir: URL) -> [String] {
        let root = dir.standardizedFileURL.resolvingSymlinksInPath().path
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        return e.compactMap { $0 as? String }.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        }.sorted()
    }

    @Test func installRunFromAnotherFolderAndUninstall() throws {
        let prefix = try Executable.temporaryDirectory()
        let work = try Executable.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: prefix)
            try? FileManager.default.removeItem(at: work)
        }
        let r = try Self.script([prefix.path])
        #expect(r.status == 0, "\(r.stderr)")
        let installed = Self.files(under: prefix)
        for f in ["bin/podcast-i2v", "share/podcast-i2v/recipes/animate.lua", "share/podcast-i2v/recipes/lib/tune_file.lua",
                  "share/podcast-i2v/recipes/lib/review_page.lua", "share/podcast-i2v/recipes/motion/kenburns.lua",
                  "share/podcast-i2v/recipes/motion/svd.lua", "share/podcast-i2v/install-manifest",
                  "share/bash-completion/completions/podcast-i2v", "share/zsh/site-functions/_podcast-i2v",
                  "share/fish/vendor_completions.d/podcast-i2v.fish"] {
            #expect(installed.contains(f), "\(f) not in \(installed)")
        }
        let bin = prefix.appendingPathComponent("bin/podcast-i2v").path

        // The demo's job from a folder with no recipes in it: animate found by name, installed.
        let ep = try TimelineRecipeTests.threeScenes(in: work)
        let list = try Self.run(bin, ["recipes"], in: work)
        #expect(list.status == 0 && list.stdout.contains("animate") && list.stdout.contains(prefix.lastPathComponent + "/share/podcast-i2v/recipes/animate.lua"), "\(list.stdout)")
        let animate = try Self.run(bin, ["run", "animate", ep, "--strategy", "loop"], in: work)
        #expect(animate.status == 0, "\(animate.stderr)")
        for f in ["ep_animated.mp4", "ep_animated_review.html", "ep_animated_review/scene-0001.mp4"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent(f).path), "\(f)")
        }

        // The current folder's recipe comes first.
        try "print('the local one', ...)\n".write(to: work.appendingPathComponent("animate.lua"), atomically: true, encoding: .utf8)
        let local = try Self.run(bin, ["run", "animate", "x"], in: work)
        #expect(local.status == 0 && local.stdout == "the local one\tx\n", "\(local.stdout) \(local.stderr)")

        let unknown = try Self.run(bin, ["run", "animat", ep], in: work)
        #expect(unknown.status == 1, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("no recipe 'animat'") && unknown.stderr.contains("known: animate"), "\(unknown.stderr)")

        let help = try Self.run(bin, ["--help"], in: work)
        #expect(help.status == 0 && help.stdout.contains("recipes") && help.stdout.contains("run"))
        let version = try Self.run(bin, ["--version"], in: work)
        #expect(version.status == 0 && version.stdout.hasPrefix("podcast-i2v "))
        // The bash completion is valid bash and knows the subcommands.
        let bash = prefix.appendingPathComponent("share/bash-completion/completions/podcast-i2v").path
        let text = try String(contentsOfFile: bash, encoding: .utf8)
        #expect(text.contains("run recipes"), "\(text.prefix(200))")
        let check = try Self.run("/bin/bash", ["-n", bash], in: work)
        #expect(check.status == 0, "\(check.stderr)")

        let gone = try Self.script(["--uninstall", prefix.path])
        #expect(gone.status == 0, "\(gone.stderr)")
        #expect(Self.files(under: prefix).isEmpty, "\(Self.files(under: prefix))")
    }

    @Test func badPrefixesAreClearErrors() throws {
        // A prefix that cannot be made (even by root): nothing written, a message saying what to do.
        let r = try Self.script(["/proc/podcast-i2v-test-prefix"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot write to /proc/podcast-i2v-test-prefix/bin") && r.stderr.contains("scripts/install ~/.local"), "\(r.stderr)")
        let empty = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let u = try Self.script(["--uninstall", empty.path])
        #expect(u.status == 1 && u.stderr.contains("nothing to uninstall"), "\(u.stderr)")
        let opt = try Self.script(["--frobnicate"])
        #expect(opt.status == 2 && opt.stderr.contains("unknown option --frobnicate"), "\(opt.stderr)")
    }
}

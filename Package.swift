// swift-tools-version:6.0
import PackageDescription

// Layers (imports point down): executable → REPL → LuaAPI → SVD / Scenes / Timeline → Media →
// C modules; LuaBridge serves LuaAPI and REPL alone; Errors (no dependencies) serves everyone.
// Linux only: the code reads /proc/self/exe and st_mtim and dlopens a .so.
let package = Package(
    name: "podcast-i2v",
        products: [
        .executable(name: "podcast-i2v", targets: ["podcast-i2v"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries from Debian: liblua5.4-dev, libedit-dev.
        .systemLibrary(name: "CLua", path: "Sources/CLua", pkgConfig: "lua5.4",
                       providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        // Tiny C: Lua's function-like macros, the error trampoline, the Ctrl-C hook.
        .target(name: "CLuaSupport", dependencies: ["CLua"], path: "Sources/CLuaSupport",
                linkerSettings: [.linkedLibrary("lua5.4")]),
        // Tiny C: libedit's variadic el_set/history calls that Swift cannot call.
        .target(name: "CLineEditor", dependencies: ["CLibEdit"], path: "Sources/CLineEditor",
                linkerSettings: [.linkedLibrary("edit")]),

        // FFmpeg from Debian: libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev.
        .systemLibrary(name: "CFFmpeg", path: "Sources/CFFmpeg",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavfilter-dev", "libswscale-dev", "libswresample-dev"])]),
        .target(name: "CFFmpegSupport", dependencies: ["CFFmpeg"], path: "Sources/CFFmpegSupport",
                linkerSettings: ["avformat", "avcodec", "avfilter", "swscale", "swresample", "avutil"].map { .linkedLibrary($0) }),

        // Motion-compensated interpolation (clip:at_fps's mci): the per-pixel loops in C, optimised even in debug builds.
        .target(name: "CMotion", path: "Sources/CMotion", cSettings: [.unsafeFlags(["-O2"])]),

        // The torch shim's C ABI, opened with dlopen: the executable needs no libtorch to build or run.
        .target(name: "CTorchShimLoader", path: "Sources/CTorchShimLoader", linkerSettings: [.linkedLibrary("dl")]),

        // Typed error kinds, no dependencies: every layer throws them, Lua code reads `err.kind`.
        .target(name: "Errors"),
        .target(name: "LuaBridge", dependencies: ["CLua", "CLuaSupport", "Errors"]),
        // Media: FFmpeg demux/decode/scale/encode/mux and PNG; Scenes: the content detector;
        // Timeline: lazy clips composed and rendered as one stream.
        // Optimised even in debug builds: they touch every frame (a root package may use unsafeFlags).
        .target(name: "Media", dependencies: ["CFFmpeg", "CFFmpegSupport", "CMotion", "Errors"],
                swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "Scenes", dependencies: ["Media", "Errors"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "Timeline", dependencies: ["Media", "Errors"],
                // Frame composition (kenburns' bilinear sampling) is hot: optimised even in debug.
                swiftSettings: [.unsafeFlags(["-O"])]),
        // SVD: the shim's models, the clip cache and the session's resident models.
        .target(name: "SVD", dependencies: ["CTorchShimLoader", "Media", "Errors"]),
        // Review: the episode review page (cards of scenes and their clips, HTML and media).
        .target(name: "Review", dependencies: ["Scenes", "Timeline", "Media", "Errors"]),
        .target(name: "LuaAPI", dependencies: ["LuaBridge", "Media", "Scenes", "Timeline", "SVD", "Review", "Errors"]),
        .target(name: "REPL", dependencies: ["LuaAPI", "LuaBridge", "Media", "Errors", "CLineEditor"]),
        .executableTarget(name: "podcast-i2v", dependencies: [
            "REPL", "LuaAPI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "CLuaSupport", "Errors"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "LuaAPI", "LuaBridge", "Media", "Timeline", "Errors"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Errors"]),
        .testTarget(name: "ScenesTests", dependencies: ["Scenes", "Media"]),
        .testTarget(name: "TimelineTests", dependencies: ["Timeline", "Media"]),
        .testTarget(name: "SVDTests", dependencies: ["SVD", "Media", "Errors"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ]
)

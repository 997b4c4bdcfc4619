import Errors
import Foundation
import Media
import Scenes
import Timeline

/// The episode review page: `<stem>_review.html`, one self-contained page (no server, no
/// network) with one card per scene, and its media (a still and a small looping MP4 preview per
/// scene) in the folder `<stem>_review/` beside it.
///
/// Written as a whole or not at all: the media go into a hidden folder first, which then takes
/// the old folder's place, and the page is written with `AtomicFile`; an error (or Ctrl-C) at
/// any point leaves the previous page and folder as they were. Only a page and folder this type
/// wrote are ever replaced (a marker file in the folder, a generator tag in the page).
public struct ReviewPage {
    public var title: String
    /// Lines of the header besides the totals the page works out itself: ("input", "ep.mp4").
    public var info: [(name: String, value: String)]
    public var cards: [ReviewCard]
    /// Width of the still and the preview, in pixels.
    public var previewWidth = 320

    public init(title: String, info: [(name: String, value: String)] = [], cards: [ReviewCard]) {
        self.title = title
        self.info = info
        self.cards = cards
    }

    public struct Result: Sendable {
        public let page: String
        public let folder: String
        public let cards: Int
        /// Bytes of the page and its media together.
        public let bytes: Int
        public let seconds: Double
    }

    static let generator = "podcast-i2v review page"
    static let marker = ".podcast-i2v-review"

    /// The media folder of a page: `ep_review.html` → `ep_review`.
    public static func folder(of page: String) throws -> String {
        guard page.hasSuffix(".html"), (page as NSString).lastPathComponent.count > 5 else {
            throw Failure(.badArgument, "review page '\(page)': expected a file name ending in .html (ep_review.html)")
        }
        return String(page.dropLast(5))
    }

    /// Checks the cards and the place before anything is written, so bad input leaves nothing.
    public func validate(page: String) throws {
        _ = try ReviewPage.folder(of: page)
        guard !cards.isEmpty else { throw Failure(.badArgument, "review: no scenes (expected one card per scene)") }
        // A scene's number names its card and media files: two cards of one number would share them.
        var seen = Set<Int>()
        for card in cards where !seen.insert(card.scene.index).inserted {
            throw Failure(.badArgument, "review: scene \(card.scene.index) appears twice (expected each scene once)")
        }
        for card in cards {
            guard card.scene.image != nil else {
                throw Failure(.badArgument, "review: scene \(card.scene.index) has no still (expected scenes from detect or import)")
            }
            guard card.clip.frameCount > 0, card.clip.width > 0, card.clip.height > 0 else {
                throw Failure(.badArgument, "review: scene \(card.scene.index)'s clip has no frames")
            }
        }
        let dir = (page as NSString).deletingLastPathComponent
        let parent = dir.isEmpty ? "." : dir
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
            throw Failure(.io, "cannot write review page '\(page)': no folder '\(parent)'")
        }
        guard access(parent, W_OK) == 0 else {
            throw Failure(.io, "cannot write review page '\(page)': folder '\(parent)' is not writable")
        }
        let folder = try ReviewPage.folder(of: page)
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue, FileManager.default.fileExists(atPath: folder + "/" + ReviewPage.marker) else {
                throw Failure(.io, "refusing to replace '\(folder)': it is not a review folder podcast-i2v made (choose another page name)")
            }
        }
        if let existing = FileManager.default.contents(atPath: page) {
            guard String(decoding: existing.prefix(4096), as: UTF8.self).contains(ReviewPage.generator) else {
                throw Failure(.io, "refusing to replace '\(page)': it is not a review page podcast-i2v made (choose another page name)")
            }
        }
    }

    /// Writes the media and the page. `check` runs between scenes (Ctrl-C: it throws and the
    /// previous page stays).
    @discardableResult
    public func write(to page: String, check: () throws -> Void = {}) throws -> Result {
        let started = Date()
        try validate(page: page)
        let folder = try ReviewPage.folder(of: page)
        let folderName = (folder as NSString).lastPathComponent
        let parent = (folder as NSString).deletingLastPathComponent
        let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = (parent.isEmpty ? "" : parent + "/") + ".\(folderName).tmp-\(tag)"
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw Failure(.io, "cannot write review page '\(page)': cannot create '\(staging)'")
        }
        var media: [ReviewMedia.Files] = []
        do {
            try Data(ReviewPage.generator.utf8).write(to: URL(fileURLWithPath: staging + "/" + ReviewPage.marker))
            for card in cards {
                try check()
                media.append(try ReviewMedia.write(card, into: staging, width: previewWidth))
            }
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
        let html = ReviewHTML.page(self, folder: folderName, media: media,
                                   mediaSeconds: Date().timeIntervalSince(started), generator: ReviewPage.generator)
        // The swap: the old folder aside, the new one in, the page, then the old one away. A failed
        // page write puts the old folder back.
        let aside = (parent.isEmpty ? "" : parent + "/") + ".\(folderName).old-\(tag)"
        let hadOld = fm.fileExists(atPath: folder)
        if hadOld, rename(folder, aside) != 0 {
            let why = String(cString: strerror(errno))
            try? fm.removeItem(atPath: staging)
            throw Failure(.io, "cannot replace '\(folder)': \(why)")
        }
        guard rename(staging, folder) == 0 else {
            let why = String(cString: strerror(errno))
            if hadOld { _ = rename(aside, folder) }
            try? fm.removeItem(atPath: staging)
            throw Failure(.io, "cannot write '\(folder)': \(why)")
        }
        do {
            try AtomicFile.write(html, to: page)
        } catch {
            try? fm.removeItem(atPath: folder)
            if hadOld { _ = rename(aside, folder) }
            throw error
        }
        if hadOld { try? fm.removeItem(atPath: aside) }
        let bytes = html.utf8.count + media.reduce(0) { $0 + $1.bytes }
        return Result(page: page, folder: folder, cards: cards.count, bytes: bytes,
                      seconds: Date().timeIntervalSince(started))
    }
}

import CLineEditor
import Foundation

/// Swift face of the libedit glue in CLineEditor.
final class LineEditor {
    enum Input { case line(String), interrupted, end }

    private let editor: OpaquePointer
    // libedit calls completion through a C function pointer: one editor per process.
    nonisolated(unsafe) static var completer: Completer?

    init?(historyPath: String?) {
        guard let e = ple_open("podcast-i2v", historyPath, 2000) else { return nil }
        editor = e
        ple_set_completer(e, completeCallback)
    }

    deinit { ple_close(editor) }

    func read(prompt: String) -> Input {
        var status: Int32 = 0
        guard let raw = ple_read(editor, prompt, &status) else {
            return status == 1 ? .interrupted : .end
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    func addHistory(_ entry: String) { ple_add_history(editor, entry) }
}

private func completeCallback(_ before: UnsafePointer<CChar>?, _ start: UnsafeMutablePointer<Int32>?,
                              _ count: UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let before, let start, let count, let completer = LineEditor.completer else { return nil }
    let (offset, candidates) = completer.complete(String(cString: before))
    start.pointee = Int32(offset)
    count.pointee = Int32(candidates.count)
    guard !candidates.isEmpty else { return nil }
    // The C side frees with free(): allocate with malloc.
    guard let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * candidates.count) else { return nil }
    let items = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: candidates.count)
    for (i, c) in candidates.enumerated() { items[i] = strdup(c) }
    return items
}

import LuaAPI
import LuaBridge

/// Tab completion: globals and keywords, fields after `.`, methods after `:`. Reads the live
/// Lua state raw (no metamethod runs, nothing is evaluated), so completing never has effects.
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function",
                           "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
                           "true", "until", "while"]

    /// For the text before the cursor: the UTF-8 offset where the completed word starts and the
    /// candidates (each a whole replacement of that word), sorted.
    public func complete(_ before: String) -> (start: Int, candidates: [String]) {
        let bytes = Array(before.utf8)
        var i = bytes.count
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c | 32 >= 97 && c | 32 <= 122) }
        while i > 0, isWord(bytes[i - 1]) || bytes[i - 1] == 46 || bytes[i - 1] == 58 { i -= 1 }
        let chain = String(decoding: bytes[i...], as: UTF8.self)
        // `s[1].x`, `f().x` or a string's `.`: the thing before is not a plain name path.
        if i > 0, [UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(bytes[i - 1]) {
            return (bytes.count, [])
        }
        if chain.first.map({ $0.isNumber }) == true { return (bytes.count, []) }

        guard let sepIndex = chain.lastIndex(where: { $0 == "." || $0 == ":" }) else {
            let names = session.lua.globalNames() + Completer.keywords
            return (i, Array(Set(names.filter { $0.hasPrefix(chain) })).sorted())
        }
        let path = chain[..<sepIndex].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let methodsOnly = chain[sepIndex] == ":"
        let partial = String(chain[chain.index(after: sepIndex)...])
        if path.contains(where: { $0.isEmpty || $0.contains(":") }) { return (bytes.count, []) }
        let start = bytes.count - partial.utf8.count
        let names = session.lua.memberNames(of: path, methodsOnly: methodsOnly)
        return (start, Array(Set(names.filter { $0.hasPrefix(partial) })).sorted())
    }
}

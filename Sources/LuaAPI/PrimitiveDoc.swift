/// What `:help` says about a primitive; the same registry feeds completion.
public struct PrimitiveDoc: Sendable {
    public let name: String          // "detect", "svd.load", "Image:save"
    public let signature: String     // "detect(video, {threshold=30, ...}) -> scenes"
    public let summary: String       // one line
    public let options: [(String, String)]
    public let example: String?

    public init(_ name: String, _ signature: String, _ summary: String,
                options: [(String, String)] = [], example: String? = nil) {
        self.name = name
        self.signature = signature
        self.summary = summary
        self.options = options
        self.example = example
    }

    /// The full text of `:help NAME`.
    public var text: String {
        var lines = [signature, "  " + summary]
        if !options.isEmpty {
            lines.append("options:")
            let width = options.map(\.0.count).max() ?? 0
            for (name, text) in options {
                lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text)
            }
        }
        if let example {
            lines.append("example:")
            lines.append(contentsOf: example.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }
}

/// Every documented primitive of a session, in registration order.
public final class DocRegistry {
    public private(set) var all: [PrimitiveDoc] = []

    public init() {}

    public func add(_ doc: PrimitiveDoc) {
        all.removeAll { $0.name == doc.name }
        all.append(doc)
    }

    public func find(_ name: String) -> PrimitiveDoc? {
        all.first { $0.name == name } ?? all.first { $0.name.hasSuffix(":" + name) || $0.name.hasSuffix("." + name) }
    }

    /// The list of `:help`: one line each, names aligned.
    public var overview: String {
        let width = min(all.map(\.name.count).max() ?? 0, 24)
        return all.map { "  " + $0.name.padding(toLength: max(width, $0.name.count), withPad: " ", startingAt: 0) + "  " + $0.summary }
            .joined(separator: "\n")
    }
}

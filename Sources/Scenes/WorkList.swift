import Foundation

/// Items 0..<count handed out one at a time to several threads; the first error stops the rest.
final class WorkList: @unchecked Sendable {   // guarded by `lock`
    private let lock = NSLock()
    private let count: Int
    private var handed = 0
    private var first: Error?

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard first == nil, handed < count else { return nil }
            handed += 1
            return handed - 1
        }
    }

    func fail(_ error: Error) { lock.withLock { if first == nil { first = error } } }
    var error: Error? { lock.withLock { first } }
}

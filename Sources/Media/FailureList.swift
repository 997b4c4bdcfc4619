import Errors
import Foundation

/// The first error of several threads.
final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func add(_ e: Error) { lock.withLock { errors.append(e) } }
    var any: Bool { lock.withLock { !errors.isEmpty } }
    var first: Error? { lock.withLock { errors.first { !($0 is Interrupted) } ?? errors.first } }
}

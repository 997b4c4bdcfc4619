import Dispatch
import Errors
import Foundation

/// The first error of several threads.
final class FailureList: @unchecked Sendable {
    /// Runs `work` for each part in 0..<count: at once on several threads when `parallel`, else
    /// one after the other. A part may stop early when another has failed (`failures.any`).
    /// Throws the first error (an interruption only when nothing else went wrong).
    static func perform(_ count: Int, parallel: Bool, _ work: @escaping @Sendable (Int, FailureList) throws -> Void) throws {
        let failures = FailureList()
        let each: @Sendable (Int) -> Void = { k in
            do { try work(k, failures) } catch { failures.add(error) }
        }
        if parallel && count > 1 {
            DispatchQueue.concurrentPerform(iterations: count, execute: each)
        } else {
            for k in 0..<count { each(k) }
        }
        if let e = failures.first { throw e }
    }

    private let lock = NSLock()
    private var errors: [Error] = []
    func add(_ e: Error) { lock.withLock { errors.append(e) } }
    var any: Bool { lock.withLock { !errors.isEmpty } }
    var first: Error? { lock.withLock { errors.first { !($0 is Interrupted) } ?? errors.first } }
}

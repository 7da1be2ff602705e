import KouziPlatform

/// Runs async work from a synchronous command and waits for it (the command line's entry point is synchronous).
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    try blockingWait(work)
}

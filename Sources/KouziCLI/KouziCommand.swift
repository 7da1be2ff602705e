import ArgumentParser

public struct KouziCommand: ParsableCommand {
    public init() {}
    public func run() throws {}
}

import KouziParserFuzzing

#if PARSER_FUZZING
#if canImport(Glibc)
import Glibc
#endif

/// The target named by `KOUZI_FUZZ_TARGET`, read once when libFuzzer first calls in.
private let fuzzTarget: ParserTarget = {
    guard let name = getenv("KOUZI_FUZZ_TARGET").map({ String(cString: $0) }), let target = ParserTarget(rawValue: name) else {
        let names = ParserTarget.allCases.map(\.rawValue).joined(separator: ", ")
        print("set KOUZI_FUZZ_TARGET to one of: \(names)")
        exit(2)
    }
    return target
}()

/// libFuzzer's entry point: one input for the chosen parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

/// libFuzzer's driver (its command line: corpus folders and `-flag=value` options).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point. SwiftPM links an executable target's `main` to `<module>_main`, which
/// here starts libFuzzer's driver instead of Swift's top-level code.
@_cdecl("kouzi_parser_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Replays files through a parser: `kouzi-parser-fuzz TARGET FILE-OR-FOLDER...`.
///
/// Without the `PARSER_FUZZING` flag this is the plain command the package builds; a crash on one of the
/// files stops it, and the last file it names is the culprit.
@main
struct ParserReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = ParserTarget(rawValue: name), arguments.count > 1 else {
            let names = ParserTarget.allCases.map(\.rawValue).joined(separator: "|")
            print("usage: kouzi-parser-fuzz \(names) FILE-OR-FOLDER...")
            return
        }
        let files = Corpus.expand(Array(arguments.dropFirst()))
        for path in files {
            print("\(target.rawValue): \(path)")
            guard let bytes = Corpus.contents(of: path) else {
                print("  unreadable")
                continue
            }
            target.run(bytes)
        }
        print("\(target.rawValue): \(files.count) files, no crash")
    }
}
#endif

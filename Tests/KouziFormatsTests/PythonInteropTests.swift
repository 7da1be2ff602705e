import Foundation
import Testing
import KouziFormats

@Suite("ZIP interoperability with Python's zipfile", .enabled(if: Fixtures.hasPython, "python3 is not available"))
struct PythonInteropTests {
    @Test func pythonWritesWeRead() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir + "/py.zip"
        let script = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w') as z:
            z.writestr('stored.txt', 'plain text', compress_type=zipfile.ZIP_STORED)
            z.writestr('dir/deflated.txt', 'x' * 5000 + 'y', compress_type=zipfile.ZIP_DEFLATED)
            z.writestr('ünïcode/名前.txt', 'utf8 name', compress_type=zipfile.ZIP_DEFLATED)
            z.writestr('empty/', '')
        """
        let run = try Fixtures.runPython(script, arguments: [path])
        try #require(run.status == 0, "\(run.output)")
        let archive = try ZipArchive(path: path)
        #expect(archive.entries.map(\.path) == ["stored.txt", "dir/deflated.txt", "ünïcode/名前.txt", "empty"])
        #expect(try archive.contents(ofEntryNamed: "stored.txt") == Array("plain text".utf8))
        #expect(try archive.contents(ofEntryNamed: "dir/deflated.txt") == Array((String(repeating: "x", count: 5000) + "y").utf8))
        #expect(try archive.contents(ofEntryNamed: "ünïcode/名前.txt") == Array("utf8 name".utf8))
        #expect(archive.entries[3].isDirectory)
    }

    @Test func weWritePythonReads() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir + "/ours.zip"
        let writer = try ZipWriter(path: path)
        try writer.addFile(named: "a.txt", bytes: Array("alpha".utf8), method: .stored)
        try writer.addFile(named: "sub/b.txt", bytes: Array(String(repeating: "beta ", count: 2000).utf8))
        try writer.addDirectory(named: "folder")
        try writer.addFile(named: "名前.txt", bytes: Array("unicode".utf8))
        try writer.finish()
        let script = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1]) as z:
            assert z.testzip() is None
            names = z.namelist()
            assert names == ['a.txt', 'sub/b.txt', 'folder/', '名前.txt'], names
            assert z.read('a.txt') == b'alpha'
            assert z.read('sub/b.txt') == b'beta ' * 2000
            assert z.getinfo('sub/b.txt').compress_type == zipfile.ZIP_DEFLATED
            assert z.getinfo('folder/').is_dir()
            assert z.read('名前.txt') == b'unicode'
        print('ok')
        """
        let run = try Fixtures.runPython(script, arguments: [path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok"))
    }

    @Test func pythonZip64ArchiveIsRead() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir + "/z64.zip"
        let script = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w', allowZip64=True) as z:
            with z.open('forced.txt', 'w', force_zip64=True) as f:
                f.write(b'zip64 entry')
        """
        let run = try Fixtures.runPython(script, arguments: [path])
        try #require(run.status == 0, "\(run.output)")
        let archive = try ZipArchive(path: path)
        #expect(try archive.contents(ofEntryNamed: "forced.txt") == Array("zip64 entry".utf8))
    }
}

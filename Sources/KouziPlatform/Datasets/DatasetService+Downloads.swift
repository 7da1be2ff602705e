import Foundation
import KouziFormats

extension DatasetService {
    /// All files of a version as one ZIP (stored, not compressed), built in the data directory's temporary
    /// folder from hash-checked artifacts; the file is deleted when the reader goes away.
    public func openVersionArchive(_ principal: Principal, projectID: Int64, datasetID: Int64,
                                   number: Int64) async throws -> (name: String, reader: TemporaryFileReader) {
        let version = try await version(principal, projectID: projectID, datasetID: datasetID, number: number)
        for file in version.files {
            do { try artifacts.verify(file.sha256) } catch { throw PlatformError.wrap(error) }
        }
        let destination = artifacts.temporaryFile("version", suffix: ".zip")
        let sources = version.files.map { ($0.name, artifacts.url(of: $0.sha256).path) }
        do {
            try await runDetached {
                let writer = try ZipWriter(path: destination.path)
                for (name, path) in sources { try writer.addFile(named: name, contentsOf: path, method: .stored) }
                try writer.finish()
            }
            return ("dataset-\(datasetID)-v\(number).zip", try TemporaryFileReader(url: destination))
        } catch {
            try? FileManager.default.removeItem(at: destination)
            throw error
        }
    }
}

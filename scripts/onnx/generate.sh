#!/usr/bin/env bash
# Regenerates Sources/KouziONNX/Generated/onnx.pb.swift from the onnx.proto that the `onnx` Python package ships.
# Needs protoc (Debian: protobuf-compiler) and builds swift-protobuf's protoc-gen-swift (about a minute).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v protoc >/dev/null || apt-get install -y protobuf-compiler
python3 -c "import onnx" 2>/dev/null || python3 -m pip install --quiet onnx
proto=$(python3 -c "import onnx, os; print(os.path.join(os.path.dirname(onnx.__file__), 'onnx.proto'))")
version=$(sed -n 's/.*apple\/swift-protobuf", from: "\([0-9.]*\)".*/\1/p' "$root/Package.swift")
git clone --quiet --branch "$version" https://github.com/apple/swift-protobuf "$work/swift-protobuf"
swift build -c release --package-path "$work/swift-protobuf" --product protoc-gen-swift
cp "$proto" "$work/onnx.proto"
(cd "$work" && protoc --plugin="$work/swift-protobuf/.build/release/protoc-gen-swift" \
    --swift_out="$root/Sources/KouziONNX/Generated" --swift_opt=Visibility=Public onnx.proto)
echo "wrote $root/Sources/KouziONNX/Generated/onnx.pb.swift from $proto"

#!/usr/bin/env bash
# Publishes eng/arm64/Arm64Smoke self-contained for linux-arm64 and runs it under qemu-aarch64-static: .NET on
# emulated arm64 maps memory, writes code from WasmToolkit's A64 encoder, flips it to RX, flushes the instruction
# cache and calls it. Exit 0 on success, 77 (printed reason) when qemu or the arm64 libc is missing.
#
# Needs (Debian): qemu-user-static; dpkg --add-architecture arm64 && apt-get update &&
# apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64; the runtime pack comes from NuGet.
# Usage: eng/arm64/run-smoke.sh [output-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${TMPDIR:-/tmp}/wasmtk-arm64-smoke}

if ! command -v qemu-aarch64-static >/dev/null; then
  echo "SKIP: qemu-aarch64-static not found (apt-get install qemu-user-static)"; exit 77
fi
if [ ! -e /lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ]; then
  echo "SKIP: arm64 libc/libstdc++ missing (dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64)"; exit 77
fi

# Own artifacts path: the publish's linux-arm64 restore and build never touch the repository's bin/ and obj/.
dotnet publish "$here/Arm64Smoke/Arm64Smoke.csproj" -c Release -r linux-arm64 --self-contained \
  --artifacts-path "$out/artifacts" -o "$out/app" -nologo -v quiet

# Required for the .NET runtime under qemu 7.2: no W^X double mapping, no concurrent GC; no PGO for speed.
export DOTNET_EnableWriteXorExecute=0 DOTNET_gcConcurrent=0 DOTNET_TieredPGO=0
timeout 120 qemu-aarch64-static "$out/app/Arm64Smoke"

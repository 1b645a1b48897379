#!/usr/bin/env bash
# Builds the .vsix. With --target PLATFORM (e.g. linux-x64) it bundles a `kql` binary into bin/
# (default: the workspace's target/release/kql, built if missing; --kql PATH to use another) and
# makes a platform-specific .vsix; without it, a universal .vsix that finds `kql` on PATH.
# Needs Node >= 22 (vsce 4) and `npm ci` done. Prints the .vsix path last.
set -euo pipefail
cd "$(dirname "$0")/.."
target="" kql=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --kql) kql="$2"; shift 2 ;;
    *) echo "usage: $0 [--target PLATFORM] [--kql PATH]" >&2; exit 2 ;;
  esac
done
version=$(node -p "require('./package.json').version")
rm -rf bin
if [ -n "$target" ]; then
  if [ -z "$kql" ]; then
    kql=../../target/release/kql
    [ -x "$kql" ] || (cd ../.. && cargo build --release -q -p kql-cli)
  fi
  mkdir -p bin
  cp "$kql" bin/kql
  chmod 755 bin/kql
  # Symbols are a third of the binary and nothing at run time needs them.
  if command -v strip >/dev/null; then strip bin/kql; fi
  out="kqlkit-$target-$version.vsix"
  npx vsce package --no-dependencies --target "$target" -o "$out" >&2
else
  out="kqlkit-$version.vsix"
  npx vsce package --no-dependencies -o "$out" >&2
fi
rm -rf bin
echo "$PWD/$out"

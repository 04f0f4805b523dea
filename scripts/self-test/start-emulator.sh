#!/usr/bin/env bash
# The self-test workflow's first step (and its local equivalent in test/self-test.test.ts):
# start `npm run emulator` in the background on a free port, wait until it prints its address,
# and hand MKP_API_URL, MKP_API_TOKEN and MKP_EMULATOR_PID to the later steps via $GITHUB_ENV.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${GITHUB_ENV:?GITHUB_ENV must name the file that passes variables to later steps}"

log="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mkp-emulator.$$.log"
# Its own process group (setsid), so the local test can stop npm, tsx and node together.
PORT=0 setsid npm run -s emulator >"$log" 2>&1 </dev/null &
pid=$!

value() { grep -o "$1=[^[:space:]]*" "$log" | head -1 | cut -d= -f2-; }
for _ in $(seq 1 240); do
  [ -n "$(value MKP_API_TOKEN)" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$log"
    echo "::error::npm run emulator exited before printing its address"
    exit 1
  fi
  sleep 0.5
done
url=$(value MKP_API_URL)
token=$(value MKP_API_TOKEN)
if [ -z "$url" ] || [ -z "$token" ]; then
  cat "$log"
  echo "::error::npm run emulator printed no MKP_API_URL and MKP_API_TOKEN within 2 minutes"
  exit 1
fi
# Not a real credential, but the action masks its api-token input: so does this step.
echo "::add-mask::$token"
{
  echo "MKP_API_URL=$url"
  echo "MKP_API_TOKEN=$token"
  echo "MKP_EMULATOR_PID=$pid"
} >>"$GITHUB_ENV"
echo "emulator on $url (pid $pid, log $log)"

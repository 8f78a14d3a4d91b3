#!/usr/bin/env bash
# The load scenarios: xaso served the README's production way (gunicorn gthread -w 2 --threads 4)
# and, in the same run, the floor (bench/floor/: a bare Django doing the same indexed read on the
# same database), each endpoint for DURATION seconds with wrk at CONNECTIONS connections, loopback
# only. Prints req/s, p50/p95/p99 and the ratio to the floor.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/xaso_perf_1m bench/load/run.sh
# The lookup sample comes from `xaso bench-data` (<var>/bench/lookups.csv).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL to a bench-data database}"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
XASO_PORT=${XASO_PORT:-8170}
FLOOR_PORT=${FLOOR_PORT:-8171}
VAR=${XASO_VAR_DIR:-$PWD/var}
export LOOKUPS=${LOOKUPS:-$VAR/bench/lookups.csv}
# Production settings, with the keys the bench data was written with; the per-address limits
# lifted (every request comes from 127.0.0.1).
export XASO_DEBUG=0 SECRET_KEY="$(cat "$VAR/secret_key")" XASO_FIELD_KEY="$(cat "$VAR/field_key")" \
  XASO_SIGNING_KEY="$(cat "$VAR/signing_key")" ALLOWED_HOSTS=127.0.0.1 XASO_BEHIND_PROXY=0 \
  XASO_RATE_LOOKUP=100000000/m XASO_RATE_ANON_SUBMIT=100000000/m XASO_NOTIFY_LOG_ALLOWED=1 \
  XASO_SSL_REDIRECT=0
# Plain HTTP on the loopback: without XASO_SSL_REDIRECT=0 every answer is a 301 to https://.
.venv/bin/xaso collectstatic --noinput -v0  # the production storage needs its manifest
GUNICORN=(.venv/bin/gunicorn -k gthread -w 2 --threads 4 --no-control-socket --log-level warning)
"${GUNICORN[@]}" -b 127.0.0.1:$XASO_PORT xaso.wsgi & XASO_PID=$!
(cd bench && exec ../"${GUNICORN[0]}" "${GUNICORN[@]:1}" -b 127.0.0.1:$FLOOR_PORT floor.wsgi) & FLOOR_PID=$!
trap 'kill $XASO_PID $FLOOR_PID 2>/dev/null; wait 2>/dev/null' EXIT
for port in $XASO_PORT $FLOOR_PORT; do
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
done
# The staff queue signs in as the desk officer (no second factor) for a bearer token.
TOKEN=$(curl -sS -X POST "http://127.0.0.1:$XASO_PORT/api/v1/auth/token" \
  -H 'Content-Type: application/json' \
  --data "{\"username\":\"reception\",\"password\":\"${XASO_DEMO_PASSWORD:-xaso-demo}\"}" \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["token"])') \
  || { echo "no token for reception: is the demo seeded in this database?" >&2; exit 1; }
CODE=$(sed -n 2p "$LOOKUPS" | cut -d, -f1)
answers() {  # url [header]: the HTTP status of one request (a scenario must answer 200)
  curl -s -o /dev/null -w '%{http_code}' ${2:+-H "$2"} "$1"
}
measure() {  # name url [lua] -> "req/s p50 p95 p99 errors"
  local lua=${3:-bench/load/stats.lua}
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$2" 2>&1 | grep '^RESULT' \
    | sed 's/RESULT //'
}
row() {  # label xaso-result floor-result
  local x f; x=$(echo "$2" | sed 's/.*req\/s=\([0-9.]*\).*/\1/'); f=$(echo "$3" | sed 's/.*req\/s=\([0-9.]*\).*/\1/')
  printf '%-34s | xaso %s | floor %s | ratio %s\n' "$1" "$2" "${3:-–}" \
    "$([ -n "$3" ] && .venv/bin/python -c "print(f'{$x/$f:.2f}')" || echo –)"
}
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores (shared), ${CONNECTIONS} connections, ${DURATION} s each"
SECRET=$(sed -n 2p "$LOOKUPS" | cut -d, -f2)
for check in "http://127.0.0.1:$XASO_PORT/api/v1/dossiers/lookup?code=$CODE&secret=$SECRET" \
  "http://127.0.0.1:$XASO_PORT/tra-cuu/?code=$CODE&secret=$SECRET" \
  "http://127.0.0.1:$FLOOR_PORT/lookup?code=$CODE" "http://127.0.0.1:$XASO_PORT/healthz"; do
  [ "$(answers "$check")" = 200 ] || { echo "not 200: $check" >&2; exit 1; }
done
[ "$(answers "http://127.0.0.1:$XASO_PORT/api/v1/dossiers?state=returned" "Authorization: Bearer $TOKEN")" = 200 ] \
  || { echo "the staff queue does not answer 200 with the token" >&2; exit 1; }
F_LOOKUP=$(LOOKUP_PATH="/lookup?code=%s&x=%s" measure floor "http://127.0.0.1:$FLOOR_PORT" bench/load/lookup.lua)
X_LOOKUP=$(measure api "http://127.0.0.1:$XASO_PORT" bench/load/lookup.lua)
row "lookup API /api/v1/dossiers/lookup" "$X_LOOKUP" "$F_LOOKUP"
X_PAGE=$(LOOKUP_PATH="/tra-cuu/?code=%s&secret=%s" measure page "http://127.0.0.1:$XASO_PORT" bench/load/lookup.lua)
row "status page /tra-cuu/" "$X_PAGE" "$F_LOOKUP"
F_PAGE=$(measure floor "http://127.0.0.1:$FLOOR_PORT/page?commune=DEMO-PL")
X_QUEUE=$(AUTH="Bearer $TOKEN" measure queue "http://127.0.0.1:$XASO_PORT/api/v1/dossiers?state=returned")
row "staff queue API (25 rows)" "$X_QUEUE" "$F_PAGE"
X_CAT=$(measure catalogue "http://127.0.0.1:$XASO_PORT/thu-tuc/?q=khai+sinh")
row "catalogue search /thu-tuc/?q=" "$X_CAT" ""
F_NONE=$(measure floor "http://127.0.0.1:$FLOOR_PORT/healthz")
X_HEALTH=$(measure healthz "http://127.0.0.1:$XASO_PORT/healthz")
row "/healthz (SELECT 1 / floor: no db)" "$X_HEALTH" "$F_NONE"

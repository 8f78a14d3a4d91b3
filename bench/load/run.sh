#!/usr/bin/env bash
# The load scenarios: xaso served the README's production way (gunicorn gthread -w 2 --threads 4)
# and, in the same run, the floor (bench/floor/: a bare Django doing the same indexed read on the
# same database), each scenario for DURATION seconds at CONNECTIONS connections, loopback only.
# Every line prints req/s, p50/p95/p99, errors and the ratio to its floor; a line with errors is
# not a valid figure (the run says so and exits 1).
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/xaso_perf_1m bench/load/run.sh
#   SCENARIOS="lookup queue submit" DURATION=5 bench/load/run.sh
#   SCENARIOS=national NATIONAL="--fraction 0.05" bench/load/run.sh   # bench/national_day.py
# Scenarios (default: all but national): lookup page catalogue queue search friday reports submit
# webhook healthz national. bench/load/prepare.py checks the database first and makes what the
# scenarios consume (fee requests for the webhooks, the staff searches); see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL to a bench-data database}"
SCENARIOS=${SCENARIOS:-lookup page catalogue queue search friday reports submit webhook healthz}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
# wrk counts an answer slower than TIMEOUT s as a socket error (its default, 2 s, is too short
# for a report on a loaded machine).
TIMEOUT=${TIMEOUT:-10}
# A report is one officer's wait (its target is a latency): few at a time.
REPORT_CONNECTIONS=${REPORT_CONNECTIONS:-2}
# A submission's target is its p95: a few citizens submitting at once, not CONNECTIONS.
SUBMIT_CONNECTIONS=${SUBMIT_CONNECTIONS:-4}
QUEUE=${QUEUE:-new}  # the reception officer's home queue
XASO_PORT=${XASO_PORT:-8170}
FLOOR_PORT=${FLOOR_PORT:-8171}
VAR=${XASO_VAR_DIR:-$PWD/var}
export LOOKUPS=${LOOKUPS:-$VAR/bench/lookups.csv} DURATION CONNECTIONS
PY=.venv/bin/python
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }
for name in $SCENARIOS; do
  [[ " lookup page catalogue queue search friday reports submit webhook healthz national " == *" $name "* ]] \
    || { echo "unknown scenario: $name" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is missing: scripts/system-packages.sh wrk (make bench)" >&2; exit 1; }
[ -f "$VAR/secret_key" ] || { echo "no $VAR/secret_key: not the var/ of the bench database" >&2; exit 1; }
# Production settings, with the keys the bench data was written with; the per-address limits
# lifted (every request comes from 127.0.0.1).
export XASO_DEBUG=0 SECRET_KEY="$(cat "$VAR/secret_key")" XASO_FIELD_KEY="$(cat "$VAR/field_key")" \
  XASO_SIGNING_KEY="$(cat "$VAR/signing_key")" ALLOWED_HOSTS=127.0.0.1 XASO_BEHIND_PROXY=0 \
  XASO_RATE_LOOKUP=100000000/m XASO_RATE_ANON_SUBMIT=100000000/m XASO_NOTIFY_LOG_ALLOWED=1 \
  XASO_SSL_REDIRECT=0
# Plain HTTP on the loopback: without XASO_SSL_REDIRECT=0 every answer is a 301 to https://.

# The database is prepared (demo, bench data, its sample) and what the scenarios consume is made.
WEBHOOKS=$(wants webhook && echo "${WEBHOOKS:-200}" || echo 0) $PY bench/load/prepare.py
# The national day's communes and desk tokens (valid 8 h: made again after 7).
PLAN=$VAR/bench/national.json
if wants national && [ -z "$(find "$PLAN" -mmin -420 2>/dev/null)" ]; then
  $PY bench/national_day.py --prepare
fi
.venv/bin/xaso collectstatic --noinput -v0  # the production storage needs its manifest
GUNICORN=(.venv/bin/gunicorn -k gthread -w 2 --threads 4 --no-control-socket --log-level warning)
"${GUNICORN[@]}" -b 127.0.0.1:$XASO_PORT xaso.wsgi & XASO_PID=$!
(cd bench && exec ../"${GUNICORN[0]}" "${GUNICORN[@]:1}" -b 127.0.0.1:$FLOOR_PORT floor.wsgi) & FLOOR_PID=$!
trap 'kill $XASO_PID $FLOOR_PID 2>/dev/null; wait 2>/dev/null' EXIT
for port in $XASO_PORT $FLOOR_PORT; do
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
done
X=http://127.0.0.1:$XASO_PORT F=http://127.0.0.1:$FLOOR_PORT
# Staff: the desk officer `reception` (DEMO-PL) and the province viewer `province` need no second
# factor (only leaders, commune administrators and superusers do, or every officer of a commune
# whose policy says so): they sign in with the password alone, as in production.
TOKEN=$($PY bench/load/steps.py token $X reception)
RECEPTION=$($PY bench/load/steps.py login $X reception)
PROVINCE=$($PY bench/load/steps.py login $X province)
CODE=$(sed -n 2p "$LOOKUPS" | cut -d, -f1) SECRET=$(sed -n 2p "$LOOKUPS" | cut -d, -f2)
MONTH=$(date +%Y-%m-01) NEXT_MONTH=$(date -d "$(date +%Y-%m-01) +1 month" +%Y-%m-%d)
YEAR=$(date +%Y-01-01) NEXT_YEAR=$(( $(date +%Y) + 1 ))-01-01
FIRST_SEARCH=$(head -1 "$VAR/bench/staff-search.txt")

answers() {  # url [header]: the HTTP status of one request
  curl -s -o /dev/null -w '%{http_code}' ${2:+-H "$2"} "$1"
}
must() {  # expected url [header]: every scenario answers as expected before it is measured
  local got; got=$(answers "$2" "${3:-}")
  [ "$got" = "$1" ] || { echo "not $1 but $got: $2" >&2; exit 1; }
}
measure() {  # url [lua] [connections] -> "req/s=… p50=… p95=… p99=… errors=… non2xx=…"
  wrk -t2 -c"${3:-$CONNECTIONS}" -d"${DURATION}s" --timeout "${TIMEOUT}s" --latency -s "${2:-bench/load/stats.lua}" "$1" 2>&1 \
    | grep '^RESULT' | sed 's/RESULT //'
}
INVALID=0
row() {  # label xaso-result [floor-result]
  local x f ratio=–
  x=$(echo "$2" | sed 's/.*req\/s=\([0-9.]*\).*/\1/')
  if [ -n "${3:-}" ]; then
    f=$(echo "$3" | sed 's/.*req\/s=\([0-9.]*\).*/\1/')
    ratio=$($PY -c "print(f'{$x/$f:.2f}' if $f else '–')")
  fi
  local flag=""
  if [ -z "$2" ] || [[ "$2 ${3:-}" =~ errors=[1-9]|non2xx=[1-9] ]]; then flag=" INVALID (errors)"; INVALID=1; fi
  printf '%-40s | xaso %s | floor %s | ratio %s%s\n' "$1" "$2" "${3:-–}" "$ratio" "$flag"
}
declare -A FLOOR=()
floor() {  # name url [lua] [connections]: the floor's figure in FLOOR[name], measured once a run
  [ -n "${FLOOR[$1]:-}" ] || FLOOR[$1]=$(measure "$2" "${3:-}" "${4:-}")
}

# Every chosen scenario answers as it should before anything is measured.
must 200 "$F/healthz"
if wants lookup || wants page; then
  must 200 "$X/api/v1/dossiers/lookup?code=$CODE&secret=$SECRET"
  must 200 "$X/tra-cuu/?code=$CODE&secret=$SECRET"
  must 200 "$F/lookup?code=$CODE"
fi
wants catalogue && must 200 "$X/thu-tuc/?q=khai+sinh" && must 200 "$F/catalog?q=khai+sinh"
if wants queue || wants friday; then
  must 200 "$X/backoffice/queues/$QUEUE/" "Cookie: $RECEPTION"
  must 200 "$X/api/v1/dossiers?state=returned" "Authorization: Bearer $TOKEN"
  must 200 "$X/backoffice/queues/friday_board/" "Cookie: $RECEPTION"
  must 200 "$F/page?commune=DEMO-PL"
fi
if wants search; then
  must 200 "$X/api/v1/dossiers?q=$FIRST_SEARCH" "Authorization: Bearer $TOKEN"
  must 200 "$F/search?commune=DEMO-PL&q=$FIRST_SEARCH"
fi
if wants reports; then
  must 200 "$X/backoffice/reports/?commune=DEMO-PL&period=month" "Cookie: $RECEPTION"
  must 200 "$X/backoffice/reports/?province=66&period=year" "Cookie: $PROVINCE"
  must 200 "$F/report?commune=DEMO-PL&from=$MONTH&to=$NEXT_MONTH"
fi
wants submit && $PY bench/load/steps.py submit $X --check >/dev/null && $PY bench/load/steps.py submit $F --floor --check >/dev/null
wants webhook && $PY bench/load/steps.py webhook $X "$VAR/bench/webhooks.csv" --check >/dev/null
wants healthz && must 200 "$X/healthz"

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "${CONNECTIONS} connections, ${DURATION} s each; database ${DATABASE_URL##*/}"
if wants lookup || wants page; then
  LOOKUP_PATH="/lookup?code=%s&x=%s" floor lookup "$F" bench/load/lookup.lua
fi
if wants lookup; then
  row "lookup API /api/v1/dossiers/lookup" "$(measure "$X" bench/load/lookup.lua)" "${FLOOR[lookup]}"
fi
if wants page; then
  row "status page /tra-cuu/" "$(LOOKUP_PATH="/tra-cuu/?code=%s&secret=%s" measure "$X" bench/load/lookup.lua)" "${FLOOR[lookup]}"
fi
if wants catalogue; then
  floor catalog "$F/catalog?q=khai+sinh"
  row "catalogue search /thu-tuc/?q=" "$(measure "$X/thu-tuc/?q=khai+sinh")" "${FLOOR[catalog]}"
fi
if wants queue || wants friday; then
  floor page "$F/page?commune=DEMO-PL"
fi
if wants queue; then
  row "staff queue page /backoffice/queues/$QUEUE/" "$(COOKIE="$RECEPTION" measure "$X/backoffice/queues/$QUEUE/")" "${FLOOR[page]}"
  row "staff queue API (25 rows)" "$(AUTH="Bearer $TOKEN" measure "$X/api/v1/dossiers?state=returned")" "${FLOOR[page]}"
fi
if wants friday; then
  row "Friday board /backoffice/queues/friday_board/" "$(COOKIE="$RECEPTION" measure "$X/backoffice/queues/friday_board/")" "${FLOOR[page]}"
fi
if wants search; then
  QUERIES="$VAR/bench/staff-search.txt" PATH_FORMAT="/search?commune=DEMO-PL&q=%s" floor search "$F" bench/load/queries.lua
  row "staff search /api/v1/dossiers?q= (names, phones)" \
    "$(QUERIES="$VAR/bench/staff-search.txt" PATH_FORMAT="/api/v1/dossiers?q=%s" AUTH="Bearer $TOKEN" measure "$X" bench/load/queries.lua)" \
    "${FLOOR[search]}"
fi
if wants reports; then
  floor month "$F/report?commune=DEMO-PL&from=$MONTH&to=$NEXT_MONTH" "" "$REPORT_CONNECTIONS"
  floor year "$F/report?province=66&from=$YEAR&to=$NEXT_YEAR" "" "$REPORT_CONNECTIONS"
  row "report: a commune's month (c=$REPORT_CONNECTIONS)" \
    "$(COOKIE="$RECEPTION" measure "$X/backoffice/reports/?commune=DEMO-PL&period=month" "" "$REPORT_CONNECTIONS")" "${FLOOR[month]}"
  row "report: the province's year (c=$REPORT_CONNECTIONS)" \
    "$(COOKIE="$PROVINCE" measure "$X/backoffice/reports/?province=66&period=year" "" "$REPORT_CONNECTIONS")" "${FLOOR[year]}"
fi
if wants submit; then
  row "submission: 2 uploads + dossier (c=$SUBMIT_CONNECTIONS)" \
    "$($PY bench/load/steps.py submit $X --connections "$SUBMIT_CONNECTIONS" | sed 's/^RESULT //')" \
    "$($PY bench/load/steps.py submit $F --floor --connections "$SUBMIT_CONNECTIONS" | sed 's/^RESULT //')"
fi
if wants webhook; then
  row "webhook burst (each notification once)" \
    "$($PY bench/load/steps.py webhook $X "$VAR/bench/webhooks.csv" | sed 's/^RESULT //')" \
    "$($PY bench/load/steps.py webhook $F "$VAR/bench/webhooks.csv" --floor | sed 's/^RESULT //')"
fi
if wants healthz; then
  floor none "$F/healthz"
  row "/healthz (SELECT 1 / floor: no db)" "$(measure "$X/healthz")" "${FLOOR[none]}"
fi
if wants national; then
  # shellcheck disable=SC2086
  $PY bench/national_day.py --base "$X" ${NATIONAL:-}
fi
[ "$INVALID" = 0 ] || { echo "some lines had errors: not a valid run" >&2; exit 1; }

#!/usr/bin/env bash
# The generated man pages render without a single warning: groff -ww (every warning), mandoc's
# lint at warning level, and man -l itself; and each page has the sections it must.
# Usage: lint_man.sh PAGE...
set -euo pipefail
status=0
for page in "$@"; do
  out=$( { groff -ww -man -z "$page"; mandoc -T lint -W warning "$page"; MANWIDTH=100 man -l "$page" >/dev/null; } 2>&1) || true
  if [ -n "$out" ]; then
    echo "FAIL $page:"; echo "$out"; status=1; continue
  fi
  case $(basename "$page") in
    meshplane.8) want="SYNOPSIS OPTIONS TELEMETRY FILES" ;;
    meshctl.8) want="SYNOPSIS COMMANDS OPTIONS" ;;
    meshplane.json.5) want="NODE MESH PORTS HWMP ERRORS" ;;
    *) want="" ;;
  esac
  for s in $want; do
    grep -q "^\.SH .*$s" "$page" || { echo "FAIL $page: no $s section"; status=1; }
  done
  rows=$(grep -c '^\.TP' "$page")
  [ "$rows" -ge 8 ] || { echo "FAIL $page: only $rows entries"; status=1; }
  [ $status -ne 0 ] || echo "ok   $page: no warnings, $rows entries"
done
exit $status

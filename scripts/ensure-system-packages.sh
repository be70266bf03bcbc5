#!/usr/bin/env bash
# Installs what the test suite needs from Debian when it is missing:
# chromium for the browser tests, poppler-utils (pdftotext) to read generated PDFs back,
# libxml2-utils (xmllint) to validate the OAI-PMH and SRU answers against their schemas, and
# postgresql when no PostgreSQL server is given (TEST_DATABASE_URL) or answers on 127.0.0.1:5432:
# the suite then runs a throwaway cluster of its own (test/support/pg-cluster.ts).
# With the argument `pgbench` (the desk benchmark, bench/desk.ts), pgbench too: Debian ships it in
# the PostgreSQL server package.
set -euo pipefail
missing=()
if [ "${1:-}" = "pgbench" ] && ! command -v pgbench >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1; then
  missing+=(postgresql)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ -z "${TEST_DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && [[ ! " ${missing[*]} " =~ " postgresql " ]]; then
  missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing from Debian: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

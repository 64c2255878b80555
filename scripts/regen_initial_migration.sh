#!/usr/bin/env bash
# Regenerate the initial schema revision from the models. ONLY while revision 0001 is unreleased
# (never after it has landed on main: then write a new revision instead, fix forward).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*_0001_initial_schema.py
INVENTORY_DB="sqlite:///$tmp/empty.db" alembic revision --autogenerate --rev-id 0001 -m "initial schema" >/dev/null
ruff format migrations/versions >/dev/null 2>&1 || true
rm -rf "$tmp"
ls migrations/versions

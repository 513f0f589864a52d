#!/usr/bin/env bash
# Whole-command timings (release build, 5 runs each, median): `ishc demo --years 10`, the ledger size,
# `ishc check` on it, and on the same journal `ishc fund balance` against the reference `hledger balance`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p ishc >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/ishc"
dir=$(mktemp -d)
export ISHC_TODAY=2026-11-22 ISHC_DB="$dir/l.sqlite"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
demo=()
for i in 1 2 3 4 5; do
  rm -f "$dir"/l.sqlite*
  demo+=($(ms "$bin" demo --years 10 --members 60))
done
size=$(stat -c %s "$dir/l.sqlite")
summary=$("$bin" check --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["members"])')
entries=$("$bin" fund journal --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$bin" fund export-journal --format hledger --out "$dir/j.hledger"
checks=()
for i in 1 2 3 4 5; do
  checks+=($(ms "$bin" check --json))
done
ours=(); theirs=()
for i in 1 2 3 4 5; do
  ours+=($(ms "$bin" fund balance --json))
  theirs+=($(ms hledger -f "$dir/j.hledger" balance --flat --no-total))
done
echo "ishc demo --years 10 --members 60: median $(median "${demo[@]}") ms (runs: ${demo[*]}); ledger $size bytes; $summary members ever; $entries vouchers"
echo "ishc check (integrity, every rule, hash chain, seal chain, signed heads), whole command: median $(median "${checks[@]}") ms (runs: ${checks[*]})"
echo "same journal, whole command incl. start-up: ishc fund balance median $(median "${ours[@]}") ms; hledger balance median $(median "${theirs[@]}") ms"
# Backups of the same ledger: local (snapshot, write, read back, check) and for the stick (the same,
# plus age encryption and decryption with scrypt at work factor 18), and a restore of the latter.
locals=(); stick=(); restore=()
mkdir -p "$dir/usb"
export ISHC_BACKUP_PASSPHRASE="mật khẩu sao lưu"
for i in 1 2 3 4 5; do
  locals+=($(ms "$bin" backup --auto --dir "$dir/backups"))
  stick+=($(ms "$bin" backup --out "$dir/usb"))
done
local_size=$(stat -c %s "$(ls "$dir"/backups/*.sqlite | tail -1)")
stick_file=$(ls "$dir"/usb/*.age | head -1)
stick_size=$(stat -c %s "$stick_file")
# A restore is the chairperson's, signed in with her demo PIN (1111).
chair=$("$bin" user list --json | python3 -c 'import json,sys; print(next(s["name"] for s in json.load(sys.stdin) if s["roles"] == ["chair"]))')
for i in 1 2 3 4 5; do
  restore+=($(ISHC_PIN=1111 ms "$bin" --as "$chair" restore "$stick_file"))
done
echo "ishc backup --auto (local, read back and checked): median $(median "${locals[@]}") ms (runs: ${locals[*]}); $local_size bytes"
echo "ishc backup --out (age, scrypt 2^18, read back, decrypted and checked): median $(median "${stick[@]}") ms (runs: ${stick[*]}); $stick_size bytes"
echo "ishc restore of that stick backup (decrypt, check, audit, swap): median $(median "${restore[@]}") ms (runs: ${restore[*]})"
rm -rf "$dir"

#!/usr/bin/env bash
# An upgrade keeps the books: install an older release of the package, make books with its `ishc`,
# install the new package over it, and check with the new `ishc` that the books open, are migrated to
# the newest schema, pass `ishc check`, and still have the same clubs and members.
#
#   scripts/upgrade-test.sh [OLD_REF]
#
# OLD_REF   the older release, a git ref. Default: the newest tag v*, else ca9454e — the last commit of
#           main before migration 9 (loans16), so the upgrade migrates a real older schema (8 -> 9 and
#           whatever steps came later). The ref must be in this clone (a shallow clone needs
#           `git fetch --unshallow`).
# Env: NEW_DEB (default: the newest dist/so-sach-clb_*.deb, else made with scripts/package.sh);
#      OLD_VERSION (default 0.0.9): the old package's version, lower than the new one's;
#      UPGRADE_CACHE (default dist/upgrade-cache): the old .deb is kept there, keyed by the old
#      commit, this checkout's packaging files and OLD_VERSION, and reused; else it is built from a
#      `git worktree` of OLD_REF with this checkout's packaging (scripts/package.sh --src), sharing
#      Cargo's target folder so only the workspace's own crates are compiled again.
# Needs root or sudo; refuses to run when the package is already installed; removes it on exit.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive
export PATH="$HOME/.cargo/bin:$PATH"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
say() { echo "upgrade-test: $*"; }
fail() { echo "upgrade-test: FAILED: $*" >&2; exit 1; }

OLD_REF="${1:-$(git -C "$REPO" tag --list 'v*' --sort=-v:refname | head -n 1)}"
OLD_REF="${OLD_REF:-ca9454e564bb6b6033fc6d908676fb83a1100a5a}"
OLD_COMMIT="$(git -C "$REPO" rev-parse --verify --quiet "$OLD_REF^{commit}")" ||
  fail "$OLD_REF is not in this clone (a shallow clone needs: git fetch --unshallow)"
OLD_VERSION="${OLD_VERSION:-0.0.9}"
CACHE="${UPGRADE_CACHE:-$REPO/dist/upgrade-cache}"

NEW_DEB="${NEW_DEB:-$(ls -t "$REPO"/dist/so-sach-clb_*.deb 2>/dev/null | head -n 1 || true)}"
if [ -z "$NEW_DEB" ]; then
  say "no new package in dist/: building it"
  NEW_DEB="$(bash "$REPO/scripts/package.sh" | tail -n 1)"
fi
[ -f "$NEW_DEB" ] || fail "no package at $NEW_DEB"
NEW_DEB="$(cd "$(dirname "$NEW_DEB")" && pwd)/$(basename "$NEW_DEB")"
PKG="$(dpkg-deb -f "$NEW_DEB" Package)"
NEW_VERSION="$(dpkg-deb -f "$NEW_DEB" Version)"
dpkg --compare-versions "$OLD_VERSION" lt "$NEW_VERSION" || fail "OLD_VERSION $OLD_VERSION is not lower than the new $NEW_VERSION"
installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; }
installed && fail "$PKG is already installed here; this test installs and removes it: apt-get remove $PKG first"

T="$(mktemp -d /tmp/so-sach-clb-upgrade.XXXXXX)"
HOME_DIR="$T/home"
mkdir -p "$HOME_DIR"
WORKTREE=""; WE_INSTALLED=""
cleanup() {
  if [ -n "$WORKTREE" ]; then git -C "$REPO" worktree remove --force "$WORKTREE" >/dev/null 2>&1 || true; fi
  # Removed and purged: dpkg keeps no record of it (a removed package stays "rc" for its postrm).
  if [ -n "$WE_INSTALLED" ] && dpkg-query -W "$PKG" >/dev/null 2>&1; then $SUDO apt-get purge -y -qq "$PKG" >/dev/null 2>&1 || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
as_user() { env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" LANG=C.UTF-8 "$@"; }
BOOKS="$HOME_DIR/.local/share/ishc/ledger.sqlite"
field() { sed -n "s/.*\"$1\": *\([0-9a-z]*\).*/\1/p" "$2" | head -n 1; }

# The old package: from the cache, or built from the old commit with this checkout's packaging.
key="$( (echo "$OLD_COMMIT $OLD_VERSION"; cat "$REPO/src-tauri/tauri.conf.json" "$REPO"/src-tauri/packaging/* "$REPO/scripts/package.sh") | sha256sum | cut -c1-16)"
OLD_DEB="$CACHE/${PKG}_${OLD_VERSION}_${OLD_COMMIT:0:12}_$key.deb"
if [ -f "$OLD_DEB" ]; then
  say "old package from the cache: $OLD_DEB"
else
  say "building the old package: $OLD_REF ($OLD_COMMIT) as $PKG $OLD_VERSION"
  start=$SECONDS
  if [ -z "${CARGO_TARGET_DIR:-}" ]; then
    CARGO_TARGET_DIR="$(cd "$REPO" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
    export CARGO_TARGET_DIR
  fi
  WORKTREE="$T/old"
  git -C "$REPO" worktree add --detach --quiet "$WORKTREE" "$OLD_COMMIT"
  built="$(bash "$REPO/scripts/package.sh" --src "$WORKTREE" --version "$OLD_VERSION" --out "$T/old-deb" | tail -n 1)"
  git -C "$REPO" worktree remove --force "$WORKTREE"; WORKTREE=""
  mkdir -p "$CACHE"
  rm -f "$CACHE/${PKG}_"*.deb
  cp "$built" "$OLD_DEB"
  say "old package built in $((SECONDS - start)) s"
fi
[ "$(dpkg-deb -f "$OLD_DEB" Package)" = "$PKG" ] || fail "the old package is not $PKG"

say "installing the old package ($PKG $OLD_VERSION)"
WE_INSTALLED=1
$SUDO apt-get install -y -qq "$OLD_DEB" > "$T/install-old.log" 2>&1 || { cat "$T/install-old.log" >&2; fail "apt-get install (old)"; }
[ "$(dpkg-query -W -f='${Version}' "$PKG")" = "$OLD_VERSION" ] || fail "the old package is not installed"

say "making books with the old ishc"
as_user ishc demo --years 1 --members 20 > "$T/demo.log" 2>&1 || { cat "$T/demo.log" >&2; fail "old ishc demo"; }
[ -f "$BOOKS" ] || fail "the old ishc did not keep the books in $BOOKS"
as_user ishc check --json > "$T/old-check.json" || { cat "$T/old-check.json" >&2; fail "old ishc check"; }
old_schema="$(field schema_version "$T/old-check.json")"
old_clubs="$(field clubs "$T/old-check.json")"
old_members="$(field members "$T/old-check.json")"
[ -n "$old_schema" ] && [ -n "$old_members" ] && [ "$old_members" -gt 0 ] || fail "old check said: $(cat "$T/old-check.json")"

say "installing the new package over it ($PKG $NEW_VERSION)"
start=$SECONDS
$SUDO apt-get install -y -qq "$NEW_DEB" > "$T/install-new.log" 2>&1 || { cat "$T/install-new.log" >&2; fail "apt-get install (new over old)"; }
[ "$(dpkg-query -W -f='${Version}' "$PKG")" = "$NEW_VERSION" ] || fail "the new package is not installed"
[ "$(as_user ishc --version)" = "ishc $NEW_VERSION" ] || fail "ishc after the upgrade says $(as_user ishc --version)"
say "upgraded in $((SECONDS - start)) s"
[ -f "$BOOKS" ] || fail "the books are gone after the upgrade"

# The newest schema, as the new ishc makes it in a file of its own.
as_user ISHC_DB="$T/fresh.sqlite" ishc demo --years 1 --members 5 > /dev/null 2>&1 || fail "new ishc demo"
as_user ISHC_DB="$T/fresh.sqlite" ishc check --json > "$T/fresh-check.json" || fail "new ishc check on new books"
latest="$(field schema_version "$T/fresh-check.json")"

say "checking the old books with the new ishc"
as_user ishc check --json > "$T/new-check.json" || { cat "$T/new-check.json" >&2; fail "new ishc check on the old books"; }
grep -q '"ok": *true' "$T/new-check.json" || fail "check is not ok: $(cat "$T/new-check.json")"
new_schema="$(field schema_version "$T/new-check.json")"
[ "$new_schema" = "$latest" ] || fail "the books are at schema $new_schema after the upgrade, the newest is $latest"
[ "$(field clubs "$T/new-check.json")" = "$old_clubs" ] || fail "clubs: $old_clubs before, $(field clubs "$T/new-check.json") after"
[ "$(field members "$T/new-check.json")" = "$old_members" ] || fail "members: $old_members before, $(field members "$T/new-check.json") after"

$SUDO apt-get purge -y -qq "$PKG" > /dev/null 2>&1 || fail "apt-get purge"
[ -f "$BOOKS" ] || fail "the books are gone after the package was purged"
say "ok: $PKG $OLD_VERSION ($OLD_REF, schema $old_schema) -> $NEW_VERSION (schema $new_schema): books kept, $old_clubs club(s), $old_members members, check ok"

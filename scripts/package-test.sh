#!/usr/bin/env bash
# The package as a chairperson gets it: install the .deb on this machine, make books with the
# installed `ishc` in a fresh home folder, start the installed window there (under Xvfb) and see its
# first screen, check the books with the installed `ishc check`, remove the package, and find the
# books still there, untouched.
#
#   scripts/package-test.sh [DEB]      (default: the newest dist/so-sach-clb_*.deb; made with
#                                       scripts/package.sh when there is none)
#
# Needs root or sudo (apt-get install/remove). Refuses to run when the package is already installed
# (it would remove someone's installation). The first screen is saved to
# tests/e2e/out/package-first-screen.png. Everything it installs or starts is removed or stopped on exit.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
say() { echo "package-test: $*"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

DEB="${1:-}"
if [ -z "$DEB" ]; then
  DEB="$(ls -t "$REPO"/dist/so-sach-clb_*.deb 2>/dev/null | head -n 1 || true)"
  [ -n "$DEB" ] || DEB="$(bash "$REPO/scripts/package.sh" | tail -n 1)"
fi
[ -f "$DEB" ] || fail "no package at $DEB"
DEB="$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")"
PKG="$(dpkg-deb -f "$DEB" Package)"
VER="$(dpkg-deb -f "$DEB" Version)"
APP_BIN="/usr/bin/$PKG"
ISHC=/usr/bin/ishc
installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; }
installed && fail "$PKG is already installed here; this test installs and removes it: apt-get remove $PKG first"
for tool in Xvfb xwininfo import convert; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs it)"
done

T="$(mktemp -d /tmp/so-sach-clb-test.XXXXXX)"
HOME_DIR="$T/home"
mkdir -p "$HOME_DIR"
XVFB_PID=""; APP_PID=""; WE_INSTALLED=""
cleanup() {
  [ -z "$APP_PID" ] || kill "$APP_PID" 2>/dev/null || true
  [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
  # Removed and purged: dpkg keeps no record of it (a removed package stays "rc" for its postrm).
  if [ -n "$WE_INSTALLED" ] && dpkg-query -W "$PKG" >/dev/null 2>&1; then $SUDO apt-get purge -y -qq "$PKG" >/dev/null 2>&1 || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
# A user's environment, nothing of ours: a fresh home, no ISHC_DB, no ISHC_TODAY.
as_user() { env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" LANG=C.UTF-8 "$@"; }
BOOKS="$HOME_DIR/.local/share/ishc/ledger.sqlite"

say "installing $(basename "$DEB") ($PKG $VER)"
start=$SECONDS
WE_INSTALLED=1
$SUDO apt-get install -y -qq "$DEB" > "$T/install.log" 2>&1 || { cat "$T/install.log" >&2; fail "apt-get install"; }
installed || fail "$PKG is not installed after apt-get install"
say "installed in $((SECONDS - start)) s"

# What the package put on the machine.
[ -x "$APP_BIN" ] || fail "$APP_BIN missing"
[ -x "$ISHC" ] || fail "$ISHC missing"
dpkg -L "$PKG" | grep -qx "$ISHC" || fail "$ISHC does not belong to $PKG"
[ "$(as_user ishc --version)" = "ishc $VER" ] || fail "installed ishc says '$(as_user ishc --version)', the package is $VER"
DESKTOP="/usr/share/applications/$PKG.desktop"
[ -f "$DESKTOP" ] || fail "$DESKTOP missing"
grep -qx "Name=Sổ sách CLB" "$DESKTOP" || fail "$DESKTOP: the menu name is not 'Sổ sách CLB'"
grep -qx "Categories=Office;Finance;" "$DESKTOP" || fail "$DESKTOP: categories"
grep -qx "Exec=$PKG" "$DESKTOP" || fail "$DESKTOP: Exec is not $PKG"
icon="$(sed -n 's/^Icon=//p' "$DESKTOP")"
ls /usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null 2>&1 || fail "icon $icon not installed"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$DESKTOP" || fail "desktop-file-validate $DESKTOP"; fi

say "making demo books with the installed ishc in a fresh home ($HOME_DIR)"
as_user ishc demo --years 1 --members 20 > "$T/demo.log" 2>&1 || { cat "$T/demo.log" >&2; fail "ishc demo"; }
[ -f "$BOOKS" ] || fail "the books are not in the user's data folder ($BOOKS)"

say "starting the installed $APP_BIN under Xvfb"
for n in $(seq 150 199); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
  Xvfb ":$n" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  if [ -e "/tmp/.X11-unix/X$n" ]; then DISP=":$n"; break; fi
  kill "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""
done
[ -n "$XVFB_PID" ] || fail "could not start Xvfb"
start=$SECONDS
as_user DISPLAY="$DISP" "$APP_BIN" > "$T/app.log" 2>&1 &
APP_PID=$!

# The window, by its title.
for _ in $(seq 120); do
  kill -0 "$APP_PID" 2>/dev/null || { cat "$T/app.log" >&2; fail "the app exited before its window appeared"; }
  DISPLAY="$DISP" xwininfo -root -tree 2>/dev/null | grep -q '"Sổ sách CLB' && break
  sleep 0.5
done
DISPLAY="$DISP" xwininfo -root -tree | grep -q '"Sổ sách CLB' || { cat "$T/app.log" >&2; fail "no window titled 'Sổ sách CLB…' within 60 s"; }
say "window up in $((SECONDS - start)) s"
[ -f "$BOOKS.lock" ] || fail "the app did not take the books in the user's data folder ($BOOKS.lock missing)"

# The first screen drawn: an empty window is one or two colours, a page of text (anti-aliased) hundreds.
mkdir -p "$REPO/tests/e2e/out"
SHOT="$REPO/tests/e2e/out/package-first-screen.png"
colours=0
for _ in $(seq 60); do
  DISPLAY="$DISP" import -window root "$T/shot.png" 2>/dev/null || true
  colours="$(convert "$T/shot.png" -format %k info: 2>/dev/null || echo 0)"
  [ "$colours" -ge 200 ] && break
  sleep 1
done
cp "$T/shot.png" "$SHOT"
[ "$colours" -ge 200 ] || { cat "$T/app.log" >&2; fail "the window stayed blank ($colours colours after 60 s; see $SHOT)"; }
kill -0 "$APP_PID" 2>/dev/null || fail "the app died after its first screen"
say "first screen drawn in $((SECONDS - start)) s ($colours colours): $SHOT"
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
kill "$XVFB_PID"; wait "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""

say "checking the books with the installed ishc"
as_user ishc check --json > "$T/check.json" || { cat "$T/check.json" >&2; fail "ishc check"; }
grep -q '"ok": *true' "$T/check.json" || fail "ishc check is not ok: $(cat "$T/check.json")"
before="$(sha256sum < "$BOOKS")"

say "removing the package"
$SUDO apt-get remove -y "$PKG" > "$T/remove.log" 2>&1 || { cat "$T/remove.log" >&2; fail "apt-get remove"; }
installed && fail "$PKG is still installed after apt-get remove"
[ ! -e "$APP_BIN" ] && [ ! -e "$ISHC" ] || fail "the programs are still on the machine after removal"
grep -q "Sổ sách KHÔNG bị xoá" "$T/remove.log" && grep -q "~/.local/share/ishc/ledger.sqlite" "$T/remove.log" ||
  { cat "$T/remove.log" >&2; fail "removal did not say where the books stay"; }
[ -f "$BOOKS" ] || fail "the books are gone after removal"
[ "$(sha256sum < "$BOOKS")" = "$before" ] || fail "the books changed during removal"
sed -n '/Sổ sách CLB/,$p' "$T/remove.log" | sed 's/^/  | /'
# Purging (what "remove completely" does) keeps them too: they were never the package's.
$SUDO apt-get purge -y "$PKG" > "$T/purge.log" 2>&1 || { cat "$T/purge.log" >&2; fail "apt-get purge"; }
dpkg-query -W "$PKG" >/dev/null 2>&1 && fail "dpkg still knows $PKG after purge"
[ "$(sha256sum < "$BOOKS")" = "$before" ] || fail "the books changed or went during purge"
say "ok: installed, first screen shown, books checked, package removed and purged, books kept ($BOOKS)"

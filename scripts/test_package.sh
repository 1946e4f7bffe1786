#!/usr/bin/env bash
# Installs the Clausewise Debian package on a clean, minimal Debian 12 (bookworm) root and starts
# it there, to check that the package declares everything the app needs.
#
#   scripts/test_package.sh [PACKAGE.deb]    # default: the package scripts/package.sh built
#
# Needs root (debootstrap, chroot, mounts) and the network to a Debian mirror. The first run
# builds the root with debootstrap and keeps it as a tarball in the cache folder
# (CLAUSEWISE_DEB_ROOT, default ~/.cache/clausewise/deb-root); every run unpacks that tarball
# afresh (onto a tmpfs when the machine has 4 GB of memory to spare), so each install is onto a
# clean image. Downloaded .debs are kept in the cache folder too. Python 3.11 or later on the host.
#
# Checks, in order:
#   1. `apt-get install --no-install-recommends ./the.deb` resolves and installs (only what the
#      package's Depends name comes with it), and every shared library of the installed binary
#      resolves before anything else is installed;
#   2. `dpkg -L` lists the binary, the desktop entry, the icons the entry names and the MIME type;
#      the desktop entry validates and its Exec= is that binary;
#   3. with Xvfb and X tools added (for the test only), the binary named by Exec= starts as an
#      ordinary user with an empty HOME: it maps a top-level window titled "Clausewise" that belongs
#      to it and carries the entry's StartupWMClass, it opens the demo audit (the file appears in
#      the app's data folder with the demo's organisation and site, and in its recent list), its
#      window shows the audit, and it is still running after CLAUSEWISE_ALIVE_SECONDS (20);
#   4. `apt-get remove` removes every file the package installed.
# Writes the screenshot and logs to target/package-test/ and prints PASS/FAIL with timings.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

cache=${CLAUSEWISE_DEB_ROOT:-$HOME/.cache/clausewise/deb-root}
mirror=${CLAUSEWISE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${CLAUSEWISE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
alive_seconds=${CLAUSEWISE_ALIVE_SECONDS:-20}
suite=bookworm
out="$repo/target/package-test"
title="Clausewise"
user=auditor

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/test_package.sh needs root (debootstrap, chroot and mounts): run it with sudo" >&2
  exit 2
fi

deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(find "${CARGO_TARGET_DIR:-target}/release/bundle/deb" -maxdepth 1 -name 'Clausewise_*.deb' \
    -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n 1 | cut -d' ' -f2- || true)
fi
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "no package to test: run scripts/package.sh first, or give the .deb's path" >&2
  exit 2
fi
deb=$(realpath "$deb")
package=$(dpkg-deb --field "$deb" Package)

ms() { date +%s%3N; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
step() { printf '\n==> %s\n' "$*"; }
t_start=$(ms)
declare -a timings=()
timing() { timings+=("$(printf '%-38s %s' "$1" "$(seconds "$2")")"); }

passed=0
declare -a failures=()
pass() {
  echo "  ok   $1"
  passed=$((passed + 1))
}
fail() {
  echo "  FAIL $1"
  failures+=("$1")
}
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
summary() {
  printf '\n==> package test: %s\n' "$deb"
  printf '  %s\n' "${timings[@]}"
  printf '  %-38s %s\n' "total" "$(seconds $(($(ms) - t_start)))"
  if [ ${#failures[@]} -eq 0 ]; then
    printf 'PASS: %d checks\n' "$passed"
  else
    printf 'FAIL: %d of %d checks failed:\n' "${#failures[@]}" "$((passed + ${#failures[@]}))"
    printf '  - %s\n' "${failures[@]}"
  fi
}
abort() {
  fail "$1"
  summary
  exit 1
}

# Commands inside the root, with a clean environment.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

mounted=()
mount_into_root() {
  mount -t proc proc "$root/proc"
  mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys"
  mounted+=("$root/sys")
  mount --bind /dev "$root/dev"
  mounted+=("$root/dev")
  mount --bind /dev/pts "$root/dev/pts"
  mounted+=("$root/dev/pts")
  mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
  mounted+=("$root/dev/shm")
  mkdir -p "$archives" "$root/var/cache/apt/archives"
  mount --bind "$archives" "$root/var/cache/apt/archives"
  mounted+=("$root/var/cache/apt/archives")
}
# Every process whose root is the test root was started by this script: end them by id.
end_root_processes() {
  local pids=() p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    sleep 1
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
}
unmount_root() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"
  done
  mounted=()
}
# An empty root folder: a tmpfs when there is memory to spare (unpacking and deleting a
# gigabyte of small files is slow on a busy disk), else on disk.
fresh_root() {
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  local avail_kb
  avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
  if [ "${CLAUSEWISE_KEEP_ROOT:-0}" != 1 ] && [ "$avail_kb" -ge $((4 * 1024 * 1024)) ]; then
    mount -t tmpfs -o size=3g,mode=755 tmpfs "$root" && mounted+=("$root")
  fi
}
cleanup() {
  end_root_processes
  unmount_root
  if [ "${CLAUSEWISE_KEEP_ROOT:-0}" != 1 ] && [ -d "$root" ]; then rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT

mkdir -p "$cache" "$out"
cache=$(realpath "$cache")
image="$cache/$suite-minbase.tar"
root="$cache/root"
archives="$cache/archives"
# One test at a time per cache folder.
exec 9>"$cache/lock"
flock -n 9 || { echo "another package test is using $cache" >&2; exit 2; }
# Mounts left by a run that was killed.
leftovers=$(awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)
for m in $leftovers; do umount "$m" 2>/dev/null || umount -l "$m"; done
rm -f "$out"/*.png "$out"/*.log "$out"/*.txt

# ---------------------------------------------------------------------------------------------
if [ ! -f "$image" ]; then
  step "building a minimal Debian $suite root with debootstrap (kept in $image)"
  if ! command -v debootstrap >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  t=$(ms)
  fresh_root
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
    { tail -n 30 "$out/debootstrap.log"; abort "debootstrap $suite from $mirror"; }
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
  # As in any chroot: packages must not start services.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  in_root useradd --create-home --shell /bin/bash "$user"
  in_root apt-get clean
  tar -C "$root" -cf "$image.part" . && mv "$image.part" "$image"
  unmount_root
  timing "debootstrap (first run only)" $(($(ms) - t))
else
  timings+=("$(printf '%-38s %s' "debootstrap" "none (cached $image)")")
fi

step "unpacking a clean root"
t=$(ms)
fresh_root
tar -C "$root" -xf "$image"
mount_into_root
timing "clean root from the tarball" $(($(ms) - t))

# ---------------------------------------------------------------------------------------------
step "installing $(basename "$deb") with apt (Depends only)"
t=$(ms)
install -m 644 "$deb" "$root/tmp/"
in_root apt-get update -q >"$out/apt-update.log" 2>&1 || { tail "$out/apt-update.log"; abort "apt-get update in the root"; }
if in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >"$out/install.log" 2>&1; then
  pass "apt-get install ./$(basename "$deb") resolves its Depends and installs"
else
  tail -n 30 "$out/install.log"
  abort "apt-get install ./$(basename "$deb") resolves its Depends and installs"
fi
timing "install (apt update + install)" $(($(ms) - t))
echo "  $(grep -c '^Setting up ' "$out/install.log") packages set up (the package and what its Depends pull in)"

in_root dpkg -L "$package" >"$out/dpkg-L.txt"
listed() { grep -qxF "$1" "$out/dpkg-L.txt"; }

# The program the desktop entry starts.
desktop=$(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$out/dpkg-L.txt" | head -n 1 || true)
check "dpkg -L lists a desktop entry in /usr/share/applications" test -n "$desktop"
[ -n "$desktop" ] || abort "the package has no desktop entry"
entry() { sed -n "s/^$1=//p" "$root$desktop" | head -n 1; }
exec_line=$(entry Exec)
exec_name=${exec_line%% *}
binary=$(in_root sh -c "command -v '$exec_name'" || true)
check "Exec= ($exec_line) names a program on PATH ($binary)" test -n "$binary"
[ -n "$binary" ] || abort "the desktop entry's program is not installed"
check "dpkg -L lists the binary $binary" listed "$binary"
check "the binary is executable" test -x "$root$binary"
check "Name= is $title" test "$(entry Name)" = "$title"
check "Categories= ($(entry Categories)) is set" test -n "$(entry Categories)"
check "Exec= passes the file it is opened with (%f)" test "${exec_line#* }" = "%f"
icon=$(entry Icon)
icons=$(grep -E "^/usr/share/icons/hicolor/[0-9]+x[0-9]+/apps/$icon\.png$" "$out/dpkg-L.txt" || true)
check "dpkg -L lists icons for Icon=$icon: $(echo "$icons" | sed -E 's#.*/hicolor/([^/]+)/.*#\1#' | tr '\n' ' ')" \
  test "$(echo "$icons" | grep -c .)" -ge 3
mime=$(entry MimeType)
check "dpkg -L lists the MIME type definition for MimeType=$mime" \
  listed /usr/share/mime/packages/clausewise.xml
check "the MIME database knows ${mime%;}" test -f "$root/usr/share/mime/${mime%;}.xml"

# Every shared library resolves with only the package and its Depends installed.
in_root ldd "$binary" >"$out/ldd.txt" 2>&1 || true
check "every shared library of $binary resolves ($(grep -c '=>' "$out/ldd.txt") libraries)" \
  bash -c "! grep -q 'not found' '$out/ldd.txt' && grep -q 'libwebkit2gtk-4.1' '$out/ldd.txt'"

# ---------------------------------------------------------------------------------------------
step "adding the test's own tools (Xvfb, X utilities, ImageMagick, desktop-file-utils)"
t=$(ms)
in_root apt-get install -y -q --no-install-recommends xvfb x11-utils imagemagick desktop-file-utils \
  >"$out/tools.log" 2>&1 || { tail -n 30 "$out/tools.log"; abort "installing the test tools in the root"; }
timing "test tools" $(($(ms) - t))
check "desktop-file-validate accepts $desktop" in_root desktop-file-validate "$desktop"

step "starting $binary under Xvfb as an ordinary user with an empty HOME"
uid=$(in_root id -u "$user")
gid=$(in_root id -g "$user")
home=$(mktemp -d -p "$root/tmp" home.XXXXXX)
mkdir -m 700 "$home/run"
chown -R "$uid:$gid" "$home"
home=${home#"$root"}
data_dir="$home/.local/share/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["identifier"])' src-tauri/tauri.conf.json)"

: >"$root/tmp/display"
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp \
  3>"$root/tmp/display" >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
display=""
for _ in $(seq 100); do
  display=$(tr -dc 0-9 <"$root/tmp/display" || true)
  [ -n "$display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$display" ] || abort "Xvfb started in the root"
# chroot and env exec what they run: a command started with this prefix keeps chroot's process id.
user_cmd=(chroot --userspec="$uid:$gid" "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin
  LANG=C.UTF-8 HOME="$home" USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="$home/run"
  DISPLAY=":$display")
as_user() { "${user_cmd[@]}" "$@"; }

t=$(ms)
"${user_cmd[@]}" "$binary" >"$out/app.log" 2>&1 &
app_pid=$!

# The window: a top-level child of the root window titled "Clausewise".
window=""
demo_open=0
for _ in $(seq 240); do
  if [ -z "$window" ]; then
    window=$(as_user xwininfo -root -children 2>/dev/null |
      awk -v t="\"$title\":" '$2 == t { print $1; exit }' || true)
  fi
  if [ "$demo_open" -eq 0 ] && [ -f "$root$data_dir/recent.json" ] &&
    grep -q "$data_dir/demo.ccaudit" "$root$data_dir/recent.json"; then
    demo_open=1
  fi
  { [ -n "$window" ] && [ "$demo_open" -eq 1 ]; } && break
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.25
done
started=$(($(ms) - t))
timing "start (launch to window + demo open)" "$started"
check "a top-level window titled \"$title\" appears ($(seconds "$started"))" test -n "$window"
if [ -n "$window" ]; then
  as_user xprop -id "$window" _NET_WM_PID WM_CLASS >"$out/xprop.txt" 2>&1 || true
  as_user xwininfo -id "$window" >"$out/xwininfo.txt" 2>&1 || true
  check "the window belongs to the started process (_NET_WM_PID = $app_pid)" \
    grep -qE "^_NET_WM_PID\(CARDINAL\) = $app_pid\$" "$out/xprop.txt"
  wm_class=$(entry StartupWMClass)
  check "the window's WM_CLASS matches the entry's StartupWMClass ($wm_class)" \
    grep -qE "^WM_CLASS\(STRING\) = .*\"$wm_class\"" "$out/xprop.txt"
  check "the window is mapped and 1280x800" bash -c "grep -q 'Map State: IsViewable' '$out/xwininfo.txt' &&
    grep -q 'Width: 1280' '$out/xwininfo.txt' && grep -q 'Height: 800' '$out/xwininfo.txt'"
fi
check "it opens the demo audit ($data_dir/demo.ccaudit, in its recent list)" test "$demo_open" -eq 1

# The demo audit on disk holds the organisation and site of audits/demo/demo.toml.
if [ -f "$root$data_dir/demo.ccaudit" ]; then
  copy=$(mktemp -d)
  cp "$root$data_dir"/demo.ccaudit* "$copy/"
  check "the demo audit's file holds the organisation and site of audits/demo/demo.toml" \
    python3 - "$copy/demo.ccaudit" audits/demo/demo.toml <<'EOF'
import sqlite3, sys, tomllib
with open(sys.argv[2], "rb") as f:
    expected = tomllib.load(f)["audit"]
row = sqlite3.connect(sys.argv[1]).execute("SELECT organisation, site FROM audit").fetchone()
sys.exit(0 if row == (expected["organisation"], expected["site"]) else f"found {row}")
EOF
  rm -rf "$copy"
fi

# The audit on screen, not an empty window or the "Opening…" placeholder (about 600 colours, from
# the header's anti-aliased text; the checklist view of the demo has over 2,000): wait for two
# captures a second apart with at least 1,000 colours, and keep the last for a human to look at.
min_colours=1000
colours=0
if [ -n "$window" ]; then
  rich=0
  for _ in $(seq 30); do
    as_user import -window "$window" /tmp/window.png >/dev/null 2>&1 || true
    colours=$(as_user identify -format '%k' /tmp/window.png 2>/dev/null || echo 0)
    if [ "$colours" -ge "$min_colours" ]; then rich=$((rich + 1)); else rich=0; fi
    [ "$rich" -ge 2 ] && break
    sleep 1
  done
  cp "$root/tmp/window.png" "$out/window.png" 2>/dev/null || true
fi
check "the window shows the audit ($colours colours; $out/window.png)" test "$colours" -ge "$min_colours"

# Still running after the given time.
while [ $(($(ms) - t)) -lt $((alive_seconds * 1000)) ]; do sleep 0.5; done
state=$(awk '{ print $3 }' "/proc/$app_pid/stat" 2>/dev/null || echo gone)
check "the app is still running ${alive_seconds} s after it started (state $state)" \
  bash -c "[ '$state' != gone ] && [ '$state' != Z ]"
if grep -qiE 'panicked|error' "$out/app.log"; then
  echo "  the app's output ($out/app.log):"
  sed 's/^/    /' "$out/app.log" | tail -n 20
fi
end_root_processes

# ---------------------------------------------------------------------------------------------
step "removing the package"
t=$(ms)
if in_root apt-get remove -y -q "$package" >"$out/remove.log" 2>&1; then
  pass "apt-get remove $package"
else
  fail "apt-get remove $package"
fi
timing "remove" $(($(ms) - t))
left=$(while read -r f; do [ -f "$root$f" ] && echo "$f"; done <"$out/dpkg-L.txt" || true)
check "no file of the package is left after removal" test -z "$left"
[ -z "$left" ] || while read -r f; do echo "    left: $f"; done <<<"$left"
check "dpkg no longer has $package installed" \
  bash -c "! chroot '$root' dpkg-query -W -f='\${Status}' '$package' 2>/dev/null | grep -q 'install ok installed'"
check "the MIME type is gone from the database" test ! -e "$root/usr/share/mime/${mime%;}.xml"

summary
[ ${#failures[@]} -eq 0 ]

#!/bin/sh
# Installs what guantong needs to build and test on Debian 12: the one list
# of dependencies, used by the README's commands and by .ci/run.
set -eu
pkgs="build-essential cmake pkg-config gettext libcriterion-dev groff-base python3
      clang libclang-rt-14-dev
      libsqlite3-dev sqlite3 libxlsxwriter-dev
      libncurses-dev tmux
      libreoffice-calc-nogui"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing

#!/bin/sh
# Installs what guantong needs to build and test on Debian 12: the one list
# of dependencies, used by the README's commands and by .ci/run.
set -eu
pkgs="build-essential cmake ninja-build pkg-config gettext libcriterion-dev groff-base python3
      clang libclang-rt-14-dev
      libsqlite3-dev sqlite3 libpq-dev postgresql-15 libxlsxwriter-dev libcyaml-dev libyaml-dev nettle-dev
      libicu-dev libncurses-dev tmux locales iso-codes po4a strace
      libreoffice-calc-nogui poppler-utils fonts-wqy-microhei
      libpango1.0-dev libcairo2-dev fonts-noto-cjk"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if [ -n "$missing" ]; then
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
# The Chinese screens need the zh_CN.UTF-8 locale (the tests use it).
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	$sudo sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
	grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
	$sudo locale-gen >/dev/null
fi

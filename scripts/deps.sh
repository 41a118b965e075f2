#!/bin/sh
# Installs the Debian packages the build, the demo and the tests need, and
# only those that are missing, so it is safe to run again and again.
# Usage: scripts/deps.sh build|test|fuzz
set -eu

packages="build-essential cmake pkg-config ca-certificates tzdata
libcli11-dev libsqlitecpp-dev libsqlite3-dev nlohmann-json3-dev libspdlog-dev
doctest-dev scdoc"
case "${1:-build}" in
    # The crontabs that `import crontab` is tested with: /etc/crontab
    # (cron-daemon-common, without the cron daemon), /etc/cron.d/e2scrub_all,
    # /etc/cron.d/sysstat and /etc/cron.d/php. lintian judges the .deb.
    # bash-completion and zsh: the completion scripts are tested in both.
    # graphviz: `job graph --format dot` is rendered by dot.
    test) packages="$packages sqlite3 man-db groff-base strace systemd
cron-daemon-common e2fsprogs sysstat php-common lintian bash-completion zsh
graphviz" ;;
    fuzz) packages="$packages clang libclang-rt-14-dev" ;;
esac

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        "install ok installed") ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -n "$missing" ]; then
    echo "Installing:$missing"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
        echo "error: these packages are missing and this user cannot install them:$missing" >&2
        exit 1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

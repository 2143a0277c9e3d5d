#!/usr/bin/env bash
# Makes sure HAProxy (Debian's package, 2.6 or later) is installed for the load-balancer tests (issue 13), and
# prints the path of its binary. Installs it with apt-get the first time (as root, or through sudo); afterwards
# it is found on PATH at once. Fails, saying why, if it cannot be had: the tests must never be skipped.
set -euo pipefail

die() {
    echo "haproxy-env: $*" >&2
    exit 1
}

if ! command -v haproxy >/dev/null; then
    sudo=
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || die "haproxy is not installed and this is not root: apt-get install haproxy"
        sudo=sudo
    fi
    command -v apt-get >/dev/null || die "haproxy is not installed and there is no apt-get: install HAProxy 2.6+"
    exec 9>/tmp/hello-haproxy-env.lock
    flock 9
    if ! command -v haproxy >/dev/null; then
        $sudo apt-get update -qq >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq haproxy >&2 || die "apt-get install haproxy failed"
    fi
fi
command -v haproxy

# The SSH tests (test/ssh, test/keypairs) start their own unprivileged `sshd -D -f <own config>` on a
# free loopback port, with host keys and config in a temp dir; they need the OpenSSH server binary
# (and ssh-keygen). They fail, never skip, without it.
if ! [ -x "${POLYCLOUD_SSHD:-/usr/sbin/sshd}" ] || ! command -v ssh-keygen >/dev/null 2>&1; then
  echo "== sshd is not installed; installing openssh-server"
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openssh-server openssh-client \
      || { echo "FAIL: openssh-server is required by the SSH tests and could not be installed" >&2; exit 1; }
    # The package may start a system sshd on port 22; the tests never use it, so stop it again.
    if command -v service >/dev/null 2>&1; then $SUDO service ssh stop >/dev/null 2>&1 || true; fi
  else
    echo "FAIL: sshd is missing and apt-get is not available to install openssh-server" >&2; exit 1
  fi
fi
# sshd started by root needs its privilege-separation directory.
if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd && chmod 755 /run/sshd; fi

# The AWS driver's tests run against moto's EC2 emulator (started by the tests themselves on a
# loopback port); it must be present: the tests fail, never skip, without it.
if ! python3 -c 'import moto.server' 2>/dev/null; then
  echo "== moto is not installed; installing moto[server]"
  python3 -m pip install --quiet 'moto[server]' || { echo "FAIL: moto (python3 -m moto.server) is required by the AWS tests and could not be installed" >&2; exit 1; }
fi

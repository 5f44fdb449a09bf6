# init-common.sh: what both test guests' /init do first. Sourced, not run.
#
# Copyright 2026 The Greenhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later

export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

serial=/dev/ttyS0

# say TEXT...: one line on the serial port, which the host reads from a file.
say () {
  echo "$*" >"$serial"
}

# wait_for PATH SECONDS: the framebuffer and its console come up after /init starts.
wait_for () {
  n=$(($2 * 10))
  while [ ! -e "$1" ] && [ "$n" -gt 0 ]; do
    usleep 100000
    n=$((n - 1))
  done
  [ -e "$1" ]
}

# hang: PID 1 must never end, or the kernel panics.
hang () {
  while :; do
    sleep 3600
  done
}

# The serial port carries our lines with \n only; the kernel's own console lines there
# still end in \r\n.
stty -F "$serial" -onlcr 2>/dev/null

if ! wait_for /dev/fb0 30; then
  say "GREENHOUSE-ERROR: no /dev/fb0 (is vga=788 on the kernel command line?)"
  hang
fi
fb=/sys/class/graphics/fb0
# Kernel messages stay off the screen from now on (they still go to the serial port at
# the default level set by the command line).
dmesg -n 1
# A blinking cursor would change the screen twice a second.
echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null

# guest-agent.sh: a QEMU guest agent small enough for busybox sh, for the echo guest.
# Sourced by its /init after init-common.sh; agent_run runs in the background.
#
# It answers what libvirt asks of an agent to reboot or shut a guest down: libvirt writes one
# JSON command per line, first {"execute":"guest-sync","arguments":{"id":N}}, which wants
# {"return": N} back, then the command itself. guest-shutdown gets no answer: libvirt waits
# for QEMU's RESET or SHUTDOWN event instead. guest-sync-delimited (whose answer starts with
# a 0xFF byte), guest-ping and guest-get-host-name are answered too, and any other command
# gets a CommandNotFound error, so that a caller never waits for nothing. The JSON is taken
# apart with the shell's own patterns: the commands are flat and short.
#
# The port is found by its name, as udev would: /sys/class/virtio-ports/vportNpM/name, and
# devtmpfs makes /dev/vportNpM. libvirt reports the channel "connected" (and talks to it) only
# while the guest holds the port open, so it stays open for the life of the guest.
#
# Copyright 2026 The Greenhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later

agent_name=org.qemu.guest_agent.0
agent_host_name=greenhouse-echo

# agent_load_modules: the kernel has no virtio built in; make-initramfs put the modules in
# /lib/modules with the order to load them in.
agent_load_modules () {
  while read -r module; do
    insmod "/lib/modules/$module.ko" || return 1
  done </lib/modules/load-order
}

# agent_find_port SECONDS: prints /dev/vportNpM of the agent's port. The ports appear a little
# after the driver loads, when the host has described them.
agent_find_port () {
  n=$(($1 * 10))
  while [ "$n" -gt 0 ]; do
    for name in /sys/class/virtio-ports/*/name; do
      if [ "$(cat "$name" 2>/dev/null)" = "$agent_name" ]; then
        dir=${name%/name}
        if [ -e "/dev/${dir##*/}" ]; then
          echo "/dev/${dir##*/}"
          return 0
        fi
      fi
    done
    usleep 100000
    n=$((n - 1))
  done
  return 1
}

# agent_field LINE KEY: the value of "KEY" in LINE: a string's text, or a number.
agent_field () {
  case "$1" in
    *"\"$2\""*) ;;
    *) return 1 ;;
  esac
  value=${1#*\"$2\"}
  value=${value#*:}
  value=${value#"${value%%[! ]*}"}
  case "$value" in
    \"*)
      value=${value#\"}
      value=${value%%\"*}
      ;;
    *)
      value=${value%%[!0-9]*}
      ;;
  esac
  echo "$value"
}

# agent_answer LINE: handles one command; the answer goes to fd 3, the port.
agent_answer () {
  if ! cmd=$(agent_field "$1" execute); then
    # qemu-ga answers whitespace with nothing, and other garbage with an error.
    case "$1" in
      *[![:space:]]*) ;;
      *) return 0 ;;
    esac
    printf '{"error": {"class": "GenericError", "desc": "Invalid JSON syntax"}}\n' >&3
    return 0
  fi

  case "$cmd" in
    guest-sync)
      printf '{"return": %s}\n' "$(agent_field "$1" id)" >&3
      ;;
    guest-sync-delimited)
      printf '\377{"return": %s}\n' "$(agent_field "$1" id)" >&3
      ;;
    guest-ping)
      printf '{"return": {}}\n' >&3
      ;;
    guest-get-host-name)
      printf '{"return": {"host-name": "%s"}}\n' "$agent_host_name" >&3
      ;;
    guest-shutdown)
      # No answer: the guest goes away, which is the answer libvirt waits for.
      mode=$(agent_field "$1" mode) || mode=powerdown
      case "$mode" in
        reboot)
          say "GREENHOUSE-ECHO-REBOOTING"
          reboot -f
          ;;
        powerdown|halt)
          say "GREENHOUSE-ECHO-POWERING-OFF"
          poweroff -f
          ;;
        *)
          printf '{"error": {"class": "GenericError", "desc": "Invalid mode %s"}}\n' \
            "$mode" >&3
          ;;
      esac
      ;;
    *)
      printf '{"error": {"class": "CommandNotFound", "desc": "%s"}}\n' \
        "The command $cmd has not been found" >&3
      ;;
  esac
}

# agent_run: loads the drivers, opens the port and answers commands, forever. Says
# GREENHOUSE-ECHO-AGENT-READY on the serial port once the port is open.
agent_run () {
  if ! agent_load_modules; then
    say "GREENHOUSE-ERROR: could not load the virtio modules"
    return 1
  fi
  # The domain may have no agent channel: then there is nothing to do.
  if ! port=$(agent_find_port 60); then
    say "GREENHOUSE-ECHO-NO-AGENT: no virtio port named $agent_name"
    return 0
  fi
  exec 3<>"$port"
  say "GREENHOUSE-ECHO-AGENT-READY port=$port"
  while :; do
    if IFS= read -r line <&3; then
      agent_answer "$line"
    else
      # Nothing is connected on the host side (libvirt connects once the port is open, and
      # goes when its daemon does): read ends at once. Anything read so far is a piece of a
      # command that will never end.
      usleep 200000
    fi
  done
}

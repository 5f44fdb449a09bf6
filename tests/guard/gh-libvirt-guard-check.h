/* gh-libvirt-guard-check.h: a guarded test refuses to run without its guard
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The display and e2e suites set LD_PRELOAD to the guard and GREENHOUSE_GUARD_REQUIRED=1.
 * When the dynamic loader cannot read the guard (a clone in a folder the test user may not
 * enter, a path that moved), it prints one line and runs the program without it: every
 * main-thread libvirt call would then pass unseen. A test program calls this first, and
 * stops with the reason instead.
 */

#pragma once

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void
gh_libvirt_guard_check_loaded (void)
{
  const char *required = getenv ("GREENHOUSE_GUARD_REQUIRED");

  if (required == NULL || strcmp (required, "1") != 0)
    return;
  if (dlsym (RTLD_DEFAULT, "gh_libvirt_guard_allow") != NULL)
    return;

  /* TAP's own way to end a run that cannot go on; meson reports it as a failure. */
  printf ("Bail out! the main-thread guard is not loaded (LD_PRELOAD=%s): this test must run "
          "under it, and the dynamic loader skipped it\n",
          getenv ("LD_PRELOAD") != NULL ? getenv ("LD_PRELOAD") : "");
  fflush (stdout);
  exit (1);
}

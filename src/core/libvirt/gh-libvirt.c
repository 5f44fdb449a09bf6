/* gh-libvirt.c: libvirt, set up once for the whole process
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "gh-libvirt.h"

static void
ignore_libvirt_error (void        *user_data,
                      virErrorPtr  error)
{
  /* Every failure reaches the user as a GError; libvirt's default handler would also
   * print it on stderr, where nobody reads it. */
}

void
gh_libvirt_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* A daemon that dies while a worker writes to its socket must give that worker an
       * error, not kill the process; libvirt asks its users to ignore SIGPIPE. */
      signal (SIGPIPE, SIG_IGN);
      virInitialize ();
      virSetErrorFunc (NULL, ignore_libvirt_error);
      /* libvirt's events, keepalives and close callbacks run on the GLib main loop. */
      gvir_event_register ();
      g_once_init_leave (&initialized, 1);
    }
}

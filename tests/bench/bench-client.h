/* bench-client.h: what the SPICE clients console-fps runs side by side share: their
 * options, their CPU clock and their event log (bench-events.h).
 *
 * Header-only, like bench-events.h: spice-ceiling and gh-display-bench each take a copy
 * of these static functions, so each stays one source file.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <errno.h>
#include <locale.h>
#include <sys/resource.h>

#include <glib.h>

#include "bench-events.h"

typedef struct
{
  /* Options */
  char        *unix_path;
  double       duration_s;
  double       warmup_s;
  double       timeout_s;
  char        *events_path;

  BenchEvents  events;
} BenchClient;

#define BENCH_CLIENT_INIT { .duration_s = 20, .warmup_s = 3, .timeout_s = 90 }

/* The process's CPU time, user and system, in seconds. */
static double
bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Parses the options every client takes and opens the event log. Returns 0, or 2 (the
 * exit status) after saying why on stderr, prefixed with @name. */
static int
bench_client_parse (BenchClient  *self,
                    const char   *name,
                    const char   *summary,
                    const char   *events_help,
                    int          *argc,
                    char       ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "unix-path", 0, 0, G_OPTION_ARG_FILENAME, &self->unix_path,
      "The SPICE server's UNIX socket", "PATH" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &self->duration_s,
      "Seconds to measure (20; 0: until SIGTERM or SIGINT)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &self->warmup_s,
      "Seconds between the first frame and the measurement (3)", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &self->timeout_s,
      "Give up if no frame came after this many seconds (90)", "S" },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &self->events_path, events_help, "FILE" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", name, error->message);
      return 2;
    }
  if (self->unix_path == NULL || self->duration_s < 0 || self->warmup_s < 0)
    {
      g_printerr ("%s: --unix-path is needed\n", name);
      return 2;
    }
  if (self->events_path != NULL && bench_events_open (&self->events, self->events_path) != 0)
    {
      g_printerr ("%s: %s: %s\n", name, self->events_path, g_strerror (errno));
      return 2;
    }

  return 0;
}

static void
bench_client_clear (BenchClient *self)
{
  g_clear_pointer (&self->unix_path, g_free);
  g_clear_pointer (&self->events_path, g_free);
}

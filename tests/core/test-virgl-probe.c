/* test-virgl-probe.c: the virgl probe, real and doubled
 *
 * The real probe runs on this machine as it is (with or without a GPU). Doubles take
 * its place to play every way a probe can go wrong: hang, crash, garbage, lies. Each
 * must come back as "not usable" with a reason a person can read, and never take
 * longer than the timeout.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "gh-test-util.h"

/* Timing slack on top of the probe's own timeout, for a loaded CI machine. */
#define SLACK_US (3 * G_USEC_PER_SEC)

static char *doubles_dir;

static gboolean
has_render_node (void)
{
  g_auto(GStrv) nodes = gh_virgl_probe_dup_render_nodes ();

  return nodes[0] != NULL;
}

/* Writes a shell script that plays the probe and returns its path. */
static char *
write_double (const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (doubles_dir, name, NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);

  return g_steal_pointer (&path);
}

/* The doubles' directory holds only files we wrote. */
static void
remove_doubles (void)
{
  g_autoptr(GDir) dir = g_dir_open (doubles_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (doubles_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (doubles_dir);
  g_clear_pointer (&doubles_dir, g_free);
}

static GhVirglProbeResult *
run_timed (const char         *probe,
           const char * const *args,
           gint64             *elapsed_us)
{
  gint64 start = g_get_monotonic_time ();
  GhVirglProbeResult *result;

  result = gh_virgl_probe_run (probe, args, GH_VIRGL_PROBE_TIMEOUT_MS, NULL);
  *elapsed_us = g_get_monotonic_time () - start;
  g_test_message ("%s: %s%s after %.1f s", probe != NULL ? probe : "the probe",
                  result->usable ? "usable" : "not usable: ",
                  result->reason != NULL ? result->reason : "",
                  *elapsed_us / (double) G_USEC_PER_SEC);

  g_assert_nonnull (result);
  g_assert_cmpint (*elapsed_us, <, GH_VIRGL_PROBE_TIMEOUT_MS * 1000 + SLACK_US);
  if (!result->usable)
    {
      g_assert_nonnull (result->reason);
      g_assert_cmpstr (result->reason, !=, "");
    }
  else
    {
      g_assert_null (result->reason);
    }

  return result;
}

/* The tests run the probe built in this tree; a person may point elsewhere the same way. */
static void
test_path (void)
{
  g_autofree char *path = gh_virgl_probe_dup_path ();

  g_assert_cmpstr (path, ==, g_getenv ("GREENHOUSE_VIRGL_PROBE"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
}

/* On a machine without /dev/dri (CI, this container) the real probe says so, at once. */
static void
test_real_no_render_node (void)
{
  g_autoptr(GhVirglProbeResult) result = NULL;
  gint64 elapsed;

  if (has_render_node ())
    {
      g_test_skip ("this machine has a DRM render node; the probe would really try it");
      return;
    }

  result = run_timed (NULL, NULL, &elapsed);
  g_assert_false (result->usable);
  g_assert_nonnull (strstr (result->reason, "render node"));
  g_assert_cmpint (elapsed, <, GH_VIRGL_PROBE_TIMEOUT_MS * 1000);
}

static void
test_real_bad_device (void)
{
  static const struct
  {
    const char *device;
    const char *reason;
  } cases[] = {
    { "/nonexistent/renderD128", "/nonexistent/renderD128" },
    /* Mesa would start on it with a software renderer: the probe must refuse. */
    { "/dev/null", "not a DRM device" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--device", cases[i].device, NULL };
      g_autoptr(GhVirglProbeResult) result = NULL;
      gint64 elapsed;

      result = run_timed (NULL, args, &elapsed);
      g_assert_false (result->usable);
      g_assert_nonnull (strstr (result->reason, cases[i].reason));
    }
}

/* The real virglrenderer on whatever EGL finds: on a machine without a GPU that is Mesa's
 * software renderer, which must not count as 3D. */
static void
test_real_any_device (void)
{
  const char *args[] = { "--no-device", NULL };
  g_autoptr(GhVirglProbeResult) result = NULL;
  gint64 elapsed;

  result = run_timed (NULL, args, &elapsed);
  if (result->renderer == NULL)
    {
      /* No EGL at all: virglrenderer itself says it cannot start. */
      g_assert_false (result->usable);
      g_assert_nonnull (strstr (result->reason, "virgl"));
      return;
    }

  g_test_message ("virgl ran on “%s”, OpenGL %s", result->renderer, result->gl_version);
  g_assert_nonnull (result->gl_version);
  g_assert_cmpint (g_ascii_isdigit (result->gl_version[0]) || result->gl_version[0] == 'E', ==,
                   TRUE);
  if (gh_virgl_probe_is_software_renderer (result->renderer))
    {
      g_assert_false (result->usable);
      g_assert_nonnull (strstr (result->reason, result->renderer));
    }
  else
    {
      g_assert_true (result->usable);
    }
}

typedef struct
{
  const char *name;
  const char *script;
  gboolean    usable;
  const char *reason;     /* a part of the reason, when not usable */
  const char *renderer;
  const char *gl_version;
} DoubleCase;

static const DoubleCase double_cases[] = {
  { "works",
    "echo '{\"ok\": true, \"device\": \"/dev/dri/renderD128\", "
    "\"renderer\": \"AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6)\", "
    "\"gl-version\": \"4.6\", \"error\": null}'",
    TRUE, NULL, "AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6)", "4.6" },
  { "software",
    "echo '{\"ok\": true, \"renderer\": \"llvmpipe (LLVM 15.0.6, 256 bits)\", "
    "\"gl-version\": \"4.5\", \"error\": null}'",
    FALSE, "software renderer (llvmpipe", "llvmpipe (LLVM 15.0.6, 256 bits)", "4.5" },
  { "says-no",
    "echo '{\"ok\": false, \"error\": \"cannot open /dev/dri/renderD128: Permission denied\"}'"
    "; exit 1",
    FALSE, "Permission denied", NULL, NULL },
  { "hangs", "sleep 60", FALSE, "did not answer within 5 seconds", NULL, NULL },
  /* Keeps the pipes open in a grandchild after printing half an answer. */
  { "hangs-in-grandchild", "printf '{\"ok\": '; sleep 60 & wait", FALSE,
    "did not answer within 5 seconds", NULL, NULL },
  { "crashes", "kill -SEGV $$", FALSE, "crashed (signal 11", NULL, NULL },
  { "aborts", "echo '{\"ok\": true, '; kill -ABRT $$", FALSE, "crashed (signal 6", NULL, NULL },
  { "garbage", "echo 'Segmentation fault (core dumped)'", FALSE, "makes no sense", NULL, NULL },
  { "silent", "exit 0", FALSE, "printed nothing", NULL, NULL },
  { "wrong-type", "echo '{\"ok\": \"yes\"}'", FALSE, "makes no sense", NULL, NULL },
  { "no-error", "echo '{\"ok\": false}'; exit 1", FALSE, "makes no sense", NULL, NULL },
  { "lies", "echo '{\"ok\": true, \"renderer\": \"Intel\", \"error\": null}'; exit 1", FALSE,
    "exited with status 1", NULL, NULL },
  { "exit-status", "exit 3", FALSE, "exit status 3", NULL, NULL },
};

static void
test_double (gconstpointer data)
{
  const DoubleCase *c = data;
  g_autofree char *probe = write_double (c->name, c->script);
  g_autoptr(GhVirglProbeResult) result = NULL;
  gint64 elapsed;

  result = run_timed (probe, NULL, &elapsed);
  g_assert_cmpint (result->usable, ==, c->usable);
  if (c->reason != NULL)
    {
      if (strstr (result->reason, c->reason) == NULL)
        g_error ("reason “%s” does not say “%s”", result->reason, c->reason);
    }
  g_assert_cmpstr (result->renderer, ==, c->renderer);
  g_assert_cmpstr (result->gl_version, ==, c->gl_version);

  /* Only a hang may take the whole timeout. */
  if (strstr (c->name, "hangs") == NULL)
    g_assert_cmpint (elapsed, <, SLACK_US);
  else
    g_assert_cmpint (elapsed, >=, (GH_VIRGL_PROBE_TIMEOUT_MS - 100) * 1000);
}

/* A hung probe goes with everything it started, not only the process we spawned. */
static void
test_hang_kills_group (void)
{
  g_autofree char *pid_file = g_build_filename (doubles_dir, "sleep.pid", NULL);
  g_autofree char *body = g_strdup_printf ("sleep 60 & echo $! > '%s'; wait", pid_file);
  g_autofree char *probe = write_double ("hangs-with-pid", body);
  g_autoptr(GhVirglProbeResult) result = NULL;
  g_autofree char *contents = NULL;
  gint64 elapsed;
  gint64 pid;

  result = run_timed (probe, NULL, &elapsed);
  g_assert_false (result->usable);

  g_assert_true (g_file_get_contents (pid_file, &contents, NULL, NULL));
  pid = g_ascii_strtoll (contents, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  /* Killed at once; init reaps the orphan a moment later. */
  for (guint i = 0; i < 100 && kill ((pid_t) pid, 0) == 0; i++)
    g_usleep (G_USEC_PER_SEC / 50);
  g_assert_cmpint (kill ((pid_t) pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
}

/* A probe stuck in the kernel once killed (uninterruptible sleep in a GPU driver) ends
 * when the kernel lets it, maybe never: the worker gives up on it, with that reason,
 * instead of waiting for ever. */
static void
test_unreapable (void)
{
  const char *double_path = g_getenv ("GREENHOUSE_PROBE_UNREAPABLE");
  g_autofree char *pid_file = g_build_filename (doubles_dir, "tracer.pid", NULL);
  g_autofree char *body = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GhVirglProbeResult) result = NULL;
  g_autofree char *contents = NULL;
  gint64 start;
  gint64 pid;

  if (double_path == NULL)
    {
      g_test_skip ("GREENHOUSE_PROBE_UNREAPABLE is not set (run through meson test)");
      return;
    }
  /* exec: the double must be the very process that the probe's runner spawned. */
  body = g_strdup_printf ("exec '%s' '%s'", double_path, pid_file);
  probe = write_double ("unreapable", body);

  start = g_get_monotonic_time ();
  result = gh_virgl_probe_run (probe, NULL, 1000, NULL);
  if (!g_file_get_contents (pid_file, &contents, NULL, NULL))
    {
      g_test_skip ("this system does not let a process trace its parent");
      return;
    }
  g_assert_false (result->usable);
  g_assert_nonnull (strstr (result->reason, "could not be stopped"));
  /* The timeout, the pipes' grace and the reaping grace, and no more. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* Its tracer gone, the double finishes dying and GSubprocess reaps it. */
  pid = g_ascii_strtoll (contents, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill ((pid_t) pid, SIGKILL), ==, 0);
}

static void
test_missing_binary (void)
{
  g_autofree char *probe = g_build_filename (doubles_dir, "not-there", NULL);
  g_autoptr(GhVirglProbeResult) result = NULL;
  gint64 elapsed;

  result = run_timed (probe, NULL, &elapsed);
  g_assert_false (result->usable);
  g_assert_nonnull (strstr (result->reason, "could not run"));
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (G_USEC_PER_SEC / 5);
  g_cancellable_cancel (data);
  return NULL;
}

/* Greenhouse quitting while the probe hangs must not wait for the timeout. */
static void
test_cancel (void)
{
  g_autofree char *probe = write_double ("hangs-until-cancelled", "sleep 60");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GhVirglProbeResult) result = NULL;
  GThread *thread = g_thread_new ("cancel", cancel_soon, cancellable);
  gint64 start = g_get_monotonic_time ();

  result = gh_virgl_probe_run (probe, NULL, GH_VIRGL_PROBE_TIMEOUT_MS, cancellable);
  g_thread_join (thread);
  g_assert_false (result->usable);
  g_assert_nonnull (strstr (result->reason, "cancelled"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_software_renderers (void)
{
  g_assert_true (gh_virgl_probe_is_software_renderer ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (gh_virgl_probe_is_software_renderer ("LLVMPIPE (LLVM 15.0.6, 256 bits)"));
  g_assert_true (gh_virgl_probe_is_software_renderer ("softpipe"));
  g_assert_true (gh_virgl_probe_is_software_renderer ("Software Rasterizer"));
  g_assert_false (gh_virgl_probe_is_software_renderer ("Mesa Intel(R) UHD Graphics 630 (CFL GT2)"));
  g_assert_false (gh_virgl_probe_is_software_renderer ("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
  g_assert_false (gh_virgl_probe_is_software_renderer (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gh_test_init (&argc, &argv);

  doubles_dir = g_dir_make_tmp ("greenhouse-probe-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/core/virgl-probe/unreapable", test_unreapable);
  g_test_add_func ("/core/virgl-probe/path", test_path);
  g_test_add_func ("/core/virgl-probe/software-renderers", test_software_renderers);
  g_test_add_func ("/core/virgl-probe/real/no-render-node", test_real_no_render_node);
  g_test_add_func ("/core/virgl-probe/real/bad-device", test_real_bad_device);
  g_test_add_func ("/core/virgl-probe/real/any-device", test_real_any_device);
  for (guint i = 0; i < G_N_ELEMENTS (double_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/virgl-probe/double/%s",
                                               double_cases[i].name);

      g_test_add_data_func (path, &double_cases[i], test_double);
    }
  g_test_add_func ("/core/virgl-probe/double/hang-kills-group", test_hang_kills_group);
  g_test_add_func ("/core/virgl-probe/double/missing", test_missing_binary);
  g_test_add_func ("/core/virgl-probe/cancel", test_cancel);

  ret = g_test_run ();

  remove_doubles ();

  return ret;
}

/* gh-virgl-probe.c: runs greenhouse-virgl-probe as a child with a timeout
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "gh-util-private.h"
#include "gh-virgl-probe.h"

#define PROBE_NAME "greenhouse-virgl-probe"

char *
gh_virgl_probe_dup_path (void)
{
  const char *env = g_getenv ("GREENHOUSE_VIRGL_PROBE");
  g_autofree char *self = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  /* Run from the build tree (build-aux/dev run, the tests), use the probe built beside
   * us rather than an older installed one. */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL && g_str_has_prefix (self, BUILD_ROOT "/"))
    return g_build_filename (BUILD_ROOT, "src", "helpers", PROBE_NAME, NULL);

  return g_build_filename (LIBEXECDIR, PROBE_NAME, NULL);
}

GStrv
gh_virgl_probe_dup_render_nodes (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  GPtrArray *nodes = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      g_ptr_array_add (nodes, g_build_filename ("/dev/dri", name, NULL));

  g_ptr_array_sort (nodes, _gh_compare_strings);
  g_ptr_array_add (nodes, NULL);
  return (GStrv) g_ptr_array_free (nodes, FALSE);
}

gboolean
gh_virgl_probe_is_software_renderer (const char *renderer)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "swrast", "software" };
  g_autofree char *folded = NULL;

  if (renderer == NULL)
    return FALSE;

  folded = g_ascii_strdown (renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (folded, software[i]) != NULL)
      return TRUE;

  return FALSE;
}

void
gh_virgl_probe_result_free (GhVirglProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->device);
  g_free (result->renderer);
  g_free (result->gl_version);
  g_free (result->reason);
  g_free (result);
}

GhVirglProbeResult *
gh_virgl_probe_result_copy (const GhVirglProbeResult *result)
{
  GhVirglProbeResult *copy;

  if (result == NULL)
    return NULL;

  copy = g_new0 (GhVirglProbeResult, 1);
  copy->usable = result->usable;
  copy->device = g_strdup (result->device);
  copy->renderer = g_strdup (result->renderer);
  copy->gl_version = g_strdup (result->gl_version);
  copy->reason = g_strdup (result->reason);
  return copy;
}

/* ---- Running the child ---------------------------------------------------------- */

/* How long the pipes may stay open once the probe's process group is killed: only a
 * grandchild that left the group can hold them longer. */
#define PIPES_GRACE_MS 1000
/* How long a killed probe may take to be reaped. A process stuck in the kernel (a GPU
 * driver in uninterruptible sleep) dies only when the kernel lets it, maybe never: then
 * the worker gives up on it, and GSubprocess reaps it whenever it ends. */
#define REAP_GRACE_MS 2000

typedef struct
{
  GMainContext *context;
  GSubprocess  *process;
  GCancellable *cancellable;    /* cancels communicate(), as a last resort */
  GCancellable *wait_cancellable; /* gives up waiting for a child that does not end */
  GSource      *grace;          /* then cancels it, once the child is stopped */
  GSource      *reap_grace;     /* then gives up on the child */
  GBytes       *out;
  GBytes       *err;
  GError       *error;          /* from communicate() */
  gint          cancel_requested; /* atomic: the caller's cancellable fired */
  gboolean      communicated;
  gboolean      waited;
  gboolean      timed_out;
  gboolean      stopped;
  gboolean      unreapable;
} Run;

static void
child_setup (gpointer user_data)
{
  /* A group of its own, so that a hung probe goes together with whatever it started. */
  setpgid (0, 0);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                   &run->error);
  run->communicated = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  /* It only fails when cancelled: the child did not end after it was killed. */
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run->waited = TRUE;
}

static gboolean
grace_cb (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
reap_grace_cb (gpointer user_data)
{
  Run *run = user_data;

  run->unreapable = TRUE;
  g_cancellable_cancel (run->cancellable);
  g_cancellable_cancel (run->wait_cancellable);
  return G_SOURCE_REMOVE;
}

/* Kills the probe and everything it started. Its pipes then reach their end by
 * themselves; only if a grandchild that left the group still holds them after a grace
 * period is reading them cancelled. (Cancelling at once raced in GLib 2.74: under load a
 * GCancellableSource of the cancelled reads was now and then leaked.) */
static void
stop_child (Run *run)
{
  const char *identifier = g_subprocess_get_identifier (run->process);

  run->stopped = TRUE;
  /* The identifier is NULL once the child has been reaped. */
  if (identifier != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (identifier, NULL, 10);

      if (pid > 1)
        kill (-pid, SIGKILL);
      g_subprocess_force_exit (run->process);
    }

  run->grace = g_timeout_source_new (PIPES_GRACE_MS);
  g_source_set_callback (run->grace, grace_cb, run, NULL);
  g_source_attach (run->grace, run->context);
  run->reap_grace = g_timeout_source_new (REAP_GRACE_MS);
  g_source_set_callback (run->reap_grace, reap_grace_cb, run, NULL);
  g_source_attach (run->reap_grace, run->context);
}

static void
source_destroy_and_unref (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  stop_child (run);

  return G_SOURCE_REMOVE;
}

/* Any thread: wakes the loop in gh_virgl_probe_run(), which stops the child. */
static void
cancelled_cb (GCancellable *cancellable,
              Run          *run)
{
  g_atomic_int_set (&run->cancel_requested, TRUE);
  g_main_context_wakeup (run->context);
}

static GhVirglProbeResult *
result_not_usable (char *reason)
{
  GhVirglProbeResult *result = g_new0 (GhVirglProbeResult, 1);

  result->reason = reason;
  return result;
}

static const char *
member_string (JsonObject *object,
               const char *name,
               gboolean   *valid)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *valid = FALSE;
      return NULL;
    }

  return json_node_get_string (node);
}

/* What the probe printed, or NULL with @detail set to why it makes no sense. */
static GhVirglProbeResult *
parse_output (GBytes  *out,
              int      exit_status,
              char   **detail)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GhVirglProbeResult) result = g_new0 (GhVirglProbeResult, 1);
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *ok;
  const char *failure;
  gboolean valid = TRUE;
  gsize size = 0;
  const char *data = out != NULL ? g_bytes_get_data (out, &size) : NULL;

  if (data == NULL || size == 0)
    {
      *detail = g_strdup (_("it printed nothing"));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, size, &error))
    {
      *detail = g_strdup (error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  ok = object != NULL ? json_object_get_member (object, "ok") : NULL;
  if (ok == NULL || !JSON_NODE_HOLDS_VALUE (ok)
      || json_node_get_value_type (ok) != G_TYPE_BOOLEAN)
    {
      *detail = g_strdup (_("it printed no “ok” answer"));
      return NULL;
    }

  result->usable = json_node_get_boolean (ok);
  result->device = g_strdup (member_string (object, "device", &valid));
  result->renderer = g_strdup (member_string (object, "renderer", &valid));
  result->gl_version = g_strdup (member_string (object, "gl-version", &valid));
  failure = member_string (object, "error", &valid);
  if (!valid || (!result->usable && failure == NULL))
    {
      *detail = g_strdup (_("its answer has a field of the wrong type or lacks the error"));
      return NULL;
    }

  /* The answer and the exit status must tell the same story. */
  if (result->usable != (exit_status == 0))
    {
      *detail = g_strdup_printf (_("it answered “ok: %s” but exited with status %d"),
                                 result->usable ? "true" : "false", exit_status);
      return NULL;
    }

  if (!result->usable)
    {
      /* Translators: %s is the probe's own (English) explanation */
      result->reason = g_strdup_printf (_("virgl cannot start: %s"), failure);
    }
  else if (gh_virgl_probe_is_software_renderer (result->renderer))
    {
      result->usable = FALSE;
      /* Translators: %s is an OpenGL renderer such as “llvmpipe (LLVM 15.0.6)” */
      result->reason = g_strdup_printf (_("virgl runs only on a software renderer (%s), "
                                          "not on a GPU"), result->renderer);
    }

  return g_steal_pointer (&result);
}

GhVirglProbeResult *
gh_virgl_probe_run (const char         *probe_path,
                    const char * const *args,
                    guint               timeout_ms,
                    GCancellable       *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  GhVirglProbeResult *result;
  Run run = { 0 };
  gulong cancel_id = 0;
  int status;

  path = probe_path != NULL ? g_strdup (probe_path) : gh_virgl_probe_dup_path ();
  g_ptr_array_add (argv, path);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Our own context: this runs in a worker thread, which has no main loop. */
  g_main_context_push_thread_default (context);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  run.process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                              &error);
  if (run.process == NULL)
    {
      g_main_context_pop_thread_default (context);
      /* Translators: the first %s is a file name, the second why it could not run */
      return result_not_usable (g_strdup_printf (_("The virgl probe %s could not run: %s"),
                                                 path, error->message));
    }

  run.context = context;
  run.cancellable = g_cancellable_new ();
  run.wait_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), &run, NULL);

  g_subprocess_communicate_async (run.process, NULL, run.cancellable, communicate_cb, &run);
  g_subprocess_wait_async (run.process, run.wait_cancellable, wait_cb, &run);

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, timeout_cb, &run, NULL);
  g_source_attach (timeout, context);

  while (!run.communicated || !run.waited)
    {
      g_main_context_iteration (context, TRUE);
      if (!run.stopped && g_atomic_int_get (&run.cancel_requested))
        stop_child (&run);
    }

  g_source_destroy (timeout);
  g_clear_pointer (&run.grace, source_destroy_and_unref);
  g_clear_pointer (&run.reap_grace, source_destroy_and_unref);
  g_cancellable_disconnect (cancellable, cancel_id);
  g_main_context_pop_thread_default (context);

  if (run.timed_out && run.unreapable)
    {
      result = result_not_usable (g_strdup_printf (_("The virgl probe did not answer within "
                                                      "%u seconds and could not be stopped: "
                                                      "it is stuck in the kernel, probably in "
                                                      "the GPU's driver"),
                                                   (timeout_ms + 999) / 1000));
    }
  else if (run.timed_out)
    {
      result = result_not_usable (g_strdup_printf (_("The virgl probe did not answer within "
                                                      "%u seconds and was stopped"),
                                                   (timeout_ms + 999) / 1000));
    }
  else if (g_atomic_int_get (&run.cancel_requested))
    {
      result = result_not_usable (g_strdup (_("The virgl probe was cancelled")));
    }
  else if (g_subprocess_get_if_signaled (run.process))
    {
      int sig = g_subprocess_get_term_sig (run.process);

      /* Translators: %d is a signal number and %s its description (“Segmentation fault”) */
      result = result_not_usable (g_strdup_printf (_("The virgl probe crashed (signal %d, %s)"),
                                                   sig, g_strsignal (sig)));
    }
  else if ((status = g_subprocess_get_exit_status (run.process)) != 0 && status != 1)
    {
      result = result_not_usable (g_strdup_printf (_("The virgl probe failed with exit "
                                                     "status %d"), status));
    }
  else if (run.error != NULL)
    {
      result = result_not_usable (g_strdup_printf (_("Could not read the virgl probe's "
                                                     "answer: %s"), run.error->message));
    }
  else if ((result = parse_output (run.out, status, &detail)) == NULL)
    {
      result = result_not_usable (g_strdup_printf (_("The virgl probe gave an answer that "
                                                     "makes no sense: %s"), detail));
    }

  if (!result->usable && run.err != NULL && g_bytes_get_size (run.err) > 0)
    g_debug ("%s said on stderr: %.*s", path, (int) MIN (g_bytes_get_size (run.err), 4096),
             (const char *) g_bytes_get_data (run.err, NULL));

  g_clear_error (&run.error);
  g_clear_pointer (&run.out, g_bytes_unref);
  g_clear_pointer (&run.err, g_bytes_unref);
  g_clear_object (&run.cancellable);
  g_clear_object (&run.wait_cancellable);
  g_clear_object (&run.process);

  return result;
}

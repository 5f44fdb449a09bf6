/* gh-connection-cleanup.c: taking back what unfinished work left, after each (re)connection
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-cleanup-journal.h"
#include "gh-connection-private.h"

typedef struct
{
  GWeakRef       self;
  virConnectPtr  conn;
  guint          generation;
  guint          n_done;
} CleanupData;

static void
cleanup_data_free (CleanupData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_pointer (&data->conn, virConnectClose);
  g_free (data);
}

static void
cleanup_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CleanupData *data = task_data;
  g_autoptr(GhCleanupJournal) journal = _gh_cleanup_journal_dup_for_conn (data->conn);
  GError *error = NULL;

  _gh_cleanup_journal_run (journal, data->conn, &data->n_done, &error);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleanup_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CleanupData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhConnection) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL || data->generation != self->generation)
    return;

  self->n_cleanups++;

  /* A run with nothing to do keeps what the last one said, for the UI to show. */
  if (error == NULL && data->n_done == 0)
    return;
  if (error != NULL)
    g_message ("%s", error->message);
  _gh_connection_set_cleanup_error (self, error);
}

/* Main thread, connected. */
void
_gh_connection_start_cleanup (GhConnection *self)
{
  g_autoptr(GTask) task = NULL;
  CleanupData *data;

  data = g_new0 (CleanupData, 1);
  g_weak_ref_init (&data->self, self);
  data->generation = self->generation;
  data->conn = _gh_connection_dup_virconnect (self, NULL);

  task = g_task_new (NULL, NULL, cleanup_cb, NULL);
  g_task_set_source_tag (task, _gh_connection_start_cleanup);
  g_task_set_task_data (task, data, (GDestroyNotify) cleanup_data_free);
  if (data->conn != NULL)
    g_task_run_in_thread (task, cleanup_thread);
}

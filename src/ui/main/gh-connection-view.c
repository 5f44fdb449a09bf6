/* gh-connection-view.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gh-connection-view.h"
#include "gh-ui-util.h"

struct _GhConnectionView
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkWidget     *box;  /* the only child */
  GtkBox        *header_box;
  GtkLabel      *title_label;
  GtkLabel      *uri_label;
  GtkRevealer   *banner_revealer;
  GtkLabel      *banner_title_label;
  GtkLabel      *banner_reason_label;
  GtkButton     *retry_button;
  GtkBox        *connecting_box;
  GtkSpinner    *spinner;
  GtkWidget     *empty_page;
  GtkButton     *new_machine_button;

  /* Owned references */
  GhConnection  *connection;

  /* The grid view's width when it last asked for the view's height for no width, -1 when
   * that is not the question answered last. See gh_connection_view_measure (). */
  int            measured_grid_width;

  /* Set when opening failed or the connection was lost, cleared once connected: while it
   * is set, a new attempt keeps the banner up instead of making it flicker. */
  guint          had_problem : 1;
  guint          show_header : 1;
  guint          has_content : 1;
  /* An open started by Retry is in flight: a LOST connection stays LOST while it runs, so
   * its state alone does not say so. */
  guint          retrying : 1;
  guint          retrying_lost : 1;
};

G_DEFINE_FINAL_TYPE (GhConnectionView, gh_connection_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_SHOW_HEADER,
  PROP_HAS_CONTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The view heads its connection's rows in the window's list, so it also keeps the space
 * around them (style.css): between what it shows and the card of rows below it, none when
 * it shows nothing; and when no rows follow, the space below the connection's part. */
static void
gh_connection_view_update_spacing (GhConnectionView *self)
{
  GListModel *machines;
  gboolean shows_something;
  gboolean had_content;

  /* The revealer's notifications may come before the connection does. */
  if (self->connection == NULL)
    return;

  machines = G_LIST_MODEL (gh_connection_get_machines (self->connection));

  /* A banner that is sliding away still takes room until it is gone. */
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer),
                          gtk_revealer_get_reveal_child (self->banner_revealer) ||
                          gtk_revealer_get_child_revealed (self->banner_revealer));

  shows_something = self->show_header ||
                    gtk_widget_get_visible (GTK_WIDGET (self->banner_revealer)) ||
                    gtk_widget_get_visible (GTK_WIDGET (self->connecting_box)) ||
                    gtk_widget_get_visible (GTK_WIDGET (self->empty_page));

  if (g_list_model_get_n_items (machines) == 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "no-machines");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "above-machines");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "no-machines");
      if (shows_something)
        gtk_widget_add_css_class (GTK_WIDGET (self), "above-machines");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "above-machines");
    }

  had_content = self->has_content;
  self->has_content = shows_something;
  if (had_content != self->has_content)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CONTENT]);
}

static void
gh_connection_view_update (GhConnectionView *self)
{
  GhConnectionState state = gh_connection_get_state (self->connection);
  const GError *error = gh_connection_get_error (self->connection);
  GListModel *machines = G_LIST_MODEL (gh_connection_get_machines (self->connection));
  guint n_machines = g_list_model_get_n_items (machines);
  g_autofree char *name = gh_connection_dup_display_name (self->connection);
  g_autofree char *banner_title = NULL;
  gboolean connecting = state == GH_CONNECTION_STATE_CONNECTING;

  if (state == GH_CONNECTION_STATE_FAILED || state == GH_CONNECTION_STATE_LOST)
    self->had_problem = TRUE;
  else if (state == GH_CONNECTION_STATE_CONNECTED)
    self->had_problem = FALSE;

  switch (state)
    {
    case GH_CONNECTION_STATE_FAILED:
      /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
      banner_title = g_strdup_printf (_("Could not connect to %s"), name);
      break;

    case GH_CONNECTION_STATE_LOST:
      /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
      banner_title = g_strdup_printf (_("Connection to %s lost"), name);
      break;

    case GH_CONNECTION_STATE_CONNECTING:
      /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
      banner_title = g_strdup_printf (_("Connecting to %s…"), name);
      break;

    case GH_CONNECTION_STATE_DISCONNECTED:
    case GH_CONNECTION_STATE_CONNECTED:
    default:
      break;
    }

  if (banner_title != NULL)
    gtk_label_set_label (self->banner_title_label, banner_title);
  if (error != NULL && state != GH_CONNECTION_STATE_CONNECTING)
    /* The title says what failed; the second line says why. */
    gtk_label_set_label (self->banner_reason_label,
                         gh_error_get_detail (error));
  gtk_widget_set_visible (GTK_WIDGET (self->banner_reason_label),
                          error != NULL && error->message[0] != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), !connecting && !self->retrying);
  /* Shown before it is revealed, so that it can slide in. */
  if (self->had_problem && state != GH_CONNECTION_STATE_CONNECTED)
    gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->banner_revealer,
                                 self->had_problem && state != GH_CONNECTION_STATE_CONNECTED);

  /* A retry shows its progress in the banner; a first attempt below the header. */
  gtk_widget_set_visible (GTK_WIDGET (self->connecting_box), connecting && !self->had_problem);
  gtk_spinner_set_spinning (self->spinner, connecting && !self->had_problem);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page),
                          n_machines == 0 && state == GH_CONNECTION_STATE_CONNECTED);

  gh_connection_view_update_spacing (self);
}

static void
on_open_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhConnectionView) self = user_data;
  GhConnection *connection = GH_CONNECTION (object);
  g_autoptr(GError) error = NULL;
  gboolean was_lost = self->retrying_lost;

  self->retrying = FALSE;
  self->retrying_lost = FALSE;
  /* Gone with its window, or closed on purpose since. */
  if (self->connection == NULL)
    return;
  gh_connection_view_update (self);

  if (gh_connection_open_finish (connection, result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A connection that fails again goes from CONNECTING to FAILED, and the window says so
   * for every such change; a lost one stays LOST, so nothing would tell that the retry
   * failed. */
  if (was_lost)
    {
      g_autofree char *name = gh_connection_dup_display_name (connection);
      g_autofree char *what = NULL;

      /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
      what = g_strdup_printf (_("Could not connect to %s"), name);
      if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.report-error", "(ss)", what,
                                       gh_error_get_detail (error)))
        g_debug ("Retry failed: %s", error->message);
    }
  else
    g_debug ("Retry failed: %s", error->message);
}

static void
on_retry_clicked (GhConnectionView *self,
                  GtkButton        *button)
{
  /* One attempt at a time: a second click would start over and drop the first. */
  if (self->retrying)
    return;

  self->retrying = TRUE;
  self->retrying_lost = gh_connection_get_state (self->connection) == GH_CONNECTION_STATE_LOST;
  gh_connection_open_async (self->connection, NULL, on_open_cb, g_object_ref (self));
  gh_connection_view_update (self);
}

/* The grid view gives an item its minimum height: the view asks for the room its content
 * would like. GTK 4.8's grid view also asks for that height for no width in particular
 * (-1), which wrapped text answers with its height on a wide window: it then overlaps what
 * follows on a narrow one. The view is as wide as the grid view, so it answers for that
 * width; and since GTK keeps the answer for -1 until the view asks to be measured again,
 * it asks when the grid view's width has changed (gh_connection_view_size_allocate ()). */
static void
gh_connection_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GhConnectionView *self = GH_CONNECTION_VIEW (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0)
    {
      GtkWidget *grid_view = gtk_widget_get_ancestor (widget, GTK_TYPE_GRID_VIEW);

      if (grid_view != NULL)
        {
          self->measured_grid_width = gtk_widget_get_width (grid_view);
          if (self->measured_grid_width > 0)
            for_size = self->measured_grid_width;
        }
    }

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural;
}

static void
gh_connection_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  GhConnectionView *self = GH_CONNECTION_VIEW (widget);
  GtkWidget *grid_view = gtk_widget_get_ancestor (widget, GTK_TYPE_GRID_VIEW);

  /* Measured before the grid view had its width, or for another one: the height is
   * wrong, and the next layout gets it right. */
  if (grid_view != NULL && self->measured_grid_width >= 0 &&
      self->measured_grid_width != gtk_widget_get_width (grid_view))
    {
      self->measured_grid_width = -1;
      gtk_widget_queue_resize (widget);
    }

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
gh_connection_view_constructed (GObject *object)
{
  GhConnectionView *self = (GhConnectionView *)object;
  g_autofree char *name = NULL;
  GhMachineList *machines;

  G_OBJECT_CLASS (gh_connection_view_parent_class)->constructed (object);

  g_assert (GH_IS_CONNECTION (self->connection));

  name = gh_connection_dup_display_name (self->connection);
  gtk_label_set_label (self->title_label, name);
  gtk_label_set_label (self->uri_label, gh_connection_get_uri (self->connection));
  gtk_widget_set_visible (GTK_WIDGET (self->uri_label),
                          g_strcmp0 (name, gh_connection_get_uri (self->connection)) != 0);

  machines = gh_connection_get_machines (self->connection);

  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (gh_connection_view_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::error",
                           G_CALLBACK (gh_connection_view_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machines, "items-changed",
                           G_CALLBACK (gh_connection_view_update), self,
                           G_CONNECT_SWAPPED);

  gh_connection_view_update (self);
}

static void
gh_connection_view_dispose (GObject *object)
{
  GhConnectionView *self = (GhConnectionView *)object;

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_signal_handlers_disconnect_by_data (gh_connection_get_machines (self->connection), self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CONNECTION_VIEW);

  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_connection_view_parent_class)->dispose (object);
}

static void
gh_connection_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GhConnectionView *self = GH_CONNECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_SHOW_HEADER:
      g_value_set_boolean (value, self->show_header);
      break;

    case PROP_HAS_CONTENT:
      g_value_set_boolean (value, self->has_content);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_connection_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GhConnectionView *self = GH_CONNECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      /* The empty state's button makes the machine on this connection. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->new_machine_button), "s",
                                        gh_connection_get_uri (self->connection));
      break;

    case PROP_SHOW_HEADER:
      gh_connection_view_set_show_header (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_connection_view_class_init (GhConnectionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gh_connection_view_constructed;
  object_class->dispose = gh_connection_view_dispose;
  object_class->get_property = gh_connection_view_get_property;
  object_class->set_property = gh_connection_view_set_property;

  widget_class->measure = gh_connection_view_measure;
  widget_class->size_allocate = gh_connection_view_size_allocate;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         GH_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_HEADER] =
    g_param_spec_boolean ("show-header", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the view shows anything at all: a header, a banner, the progress of a first
   * attempt, or that there are no machines. One that shows nothing has no place in the
   * window's list: an item there that takes no focus would stop the keyboard at it. */
  properties[PROP_HAS_CONTENT] =
    g_param_spec_boolean ("has-content", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/gh-connection-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, box);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, header_box);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, title_label);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, uri_label);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, banner_title_label);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, banner_reason_label);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, connecting_box);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, spinner);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GhConnectionView, new_machine_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, gh_connection_view_update_spacing);

  gtk_widget_class_set_css_name (widget_class, "connectionview");
}

static void
gh_connection_view_init (GhConnectionView *self)
{
  self->measured_grid_width = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gh_connection_view_new (GhConnection *connection)
{
  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);

  return g_object_new (GH_TYPE_CONNECTION_VIEW,
                       "connection", connection,
                       NULL);
}

GhConnection *
gh_connection_view_get_connection (GhConnectionView *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION_VIEW (self), NULL);

  return self->connection;
}

gboolean
gh_connection_view_get_has_content (GhConnectionView *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION_VIEW (self), FALSE);

  return self->has_content;
}

gboolean
gh_connection_view_get_show_header (GhConnectionView *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION_VIEW (self), FALSE);

  return self->show_header;
}

void
gh_connection_view_set_show_header (GhConnectionView *self,
                                    gboolean          show_header)
{
  g_return_if_fail (GH_IS_CONNECTION_VIEW (self));

  show_header = !!show_header;
  if (self->show_header == show_header)
    return;

  self->show_header = show_header;
  gtk_widget_set_visible (GTK_WIDGET (self->header_box), show_header);

  /* Several connections share the window: a full-size status page each would not fit. */
  if (show_header)
    gtk_widget_add_css_class (GTK_WIDGET (self->empty_page), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->empty_page), "compact");

  gh_connection_view_update_spacing (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HEADER]);
}

/* gh-create-wizard-source.c: the "source" page (install media, a disk image or an OS from
 * the list, chosen or dropped on the window) and the "identify" page that reads the media
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-create-wizard-private.h"

static void
identify_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GhMediaInfo) media = NULL;
  g_autoptr(GError) error = NULL;

  media = gh_os_db_identify_media_finish (GH_OS_DB (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->identify_spinner);
  if (media == NULL)
    {
      _gh_create_wizard_set_error (self, self->source_error_label, error->message);
      self->source = SOURCE_NONE;
      g_clear_pointer (&self->source_path, g_free);
      _gh_create_wizard_notify (self, PROP_SOURCE_PATH);
      _gh_create_wizard_show_page (self, "source");
      return;
    }

  g_clear_pointer (&self->media, gh_media_info_free);
  self->media = g_steal_pointer (&media);
  self->express_offered = FALSE;
  _gh_create_wizard_set_os (self, self->media->os_id != NULL
                                  ? gh_os_db_lookup_os (self->os_db, self->media->os_id)
                                  : NULL);
  /* New media with the same OS as before: _gh_create_wizard_set_os () had nothing to
   * change. */
  _gh_create_wizard_update_media_row (self);
  _gh_create_wizard_enter_os (self);
}

static void
use_source (GhCreateWizard *self,
            GhCreateSource  source,
            const char     *path)
{
  _gh_create_wizard_set_error (self, self->source_error_label, NULL);
  _gh_create_wizard_set_error (self, self->review_error_label, NULL);
  self->source = source;
  g_free (self->source_path);
  self->source_path = g_strdup (path);
  g_clear_pointer (&self->media, gh_media_info_free);
  _gh_create_wizard_notify (self, PROP_SOURCE_PATH);

  if (source == SOURCE_MEDIA)
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* The status page's description is markup: the name is escaped for it.
       * Translators: a file name */
      g_autofree char *description = g_markup_printf_escaped (_("Reading “%s”"), basename);

      adw_status_page_set_description (self->identify_page, description);
      gtk_spinner_start (self->identify_spinner);
      _gh_create_wizard_show_page (self, "identify");
      gh_os_db_identify_media_async (self->os_db, path, self->cancellable, identify_cb,
                                     g_object_ref (self));
      return;
    }

  _gh_create_wizard_set_os (self, NULL);
  _gh_create_wizard_enter_os (self);
}

static gboolean
looks_like_disk_image (const char *path)
{
  return g_str_has_suffix (path, ".qcow2") || g_str_has_suffix (path, ".img") ||
         g_str_has_suffix (path, ".raw");
}

static void
use_media_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  use_source (GH_CREATE_WIZARD (widget), SOURCE_MEDIA, g_variant_get_string (parameter, NULL));
}

static void
use_image_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* Translators: a file name */
      g_autofree char *message = g_strdup_printf (_("Cannot read “%s”: it is not a file."),
                                                  basename);

      _gh_create_wizard_set_error (self, self->source_error_label, message);
      return;
    }
  use_source (self, SOURCE_IMAGE, path);
}

static void
choose_os_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  use_source (self, SOURCE_BLANK, NULL);
}

static void
file_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          GhCreateWizard  *self)
{
  gboolean image = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "gh-image"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self),
                                    image ? "wizard.use-image" : "wizard.use-media",
                                    "s", path);
    }
  g_object_unref (dialog);
}

static void
choose_file (GhCreateWizard *self,
             gboolean        image)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (image
                                        ? _("Choose a Disk Image")
                                        : _("Choose Install Media"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  if (image)
    {
      gtk_file_filter_set_name (filter, _("Disk images"));
      gtk_file_filter_add_suffix (filter, "qcow2");
      gtk_file_filter_add_suffix (filter, "img");
      gtk_file_filter_add_suffix (filter, "raw");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("ISO images"));
      gtk_file_filter_add_mime_type (filter, "application/x-cd-image");
      gtk_file_filter_add_suffix (filter, "iso");
    }
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_object_unref (filter);
  g_object_unref (all);

  g_object_set_data (G_OBJECT (dialog), "gh-image", GINT_TO_POINTER (image));
  g_signal_connect_object (dialog, "response", G_CALLBACK (file_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
choose_media_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (GH_CREATE_WIZARD (widget), FALSE);
}

static void
choose_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (GH_CREATE_WIZARD (widget), TRUE);
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         GhCreateWizard *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL || self->creating || _gh_create_wizard_page_is (self, "progress"))
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self),
                              looks_like_disk_image (path)
                              ? "wizard.use-image" : "wizard.use-media",
                              "s", path);
  return TRUE;
}

void
_gh_create_wizard_source_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.choose-media", NULL,
                                   choose_media_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-image", NULL,
                                   choose_image_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-os", NULL, choose_os_action);
  gtk_widget_class_install_action (widget_class, "wizard.use-media", "s", use_media_action);
  gtk_widget_class_install_action (widget_class, "wizard.use-image", "s", use_image_action);
}

void
_gh_create_wizard_source_init (GhCreateWizard *self)
{
  GtkDropTarget *drop;

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

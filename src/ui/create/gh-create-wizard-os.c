/* gh-create-wizard-os.c: the "os" page, the system the machine is made for
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "gh-create-wizard-private.h"

const char *
_gh_create_wizard_os_name (OsinfoOs *os)
{
  const char *name = os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL;

  return name != NULL ? name : _("Unknown operating system");
}

static gboolean
os_filter_func (gpointer item,
                gpointer user_data)
{
  GhCreateWizard *self = user_data;
  OsinfoOs *os = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->os_search));

  if (search[0] != '\0')
    return gh_os_db_os_matches (os, search);
  /* End-of-life systems are there for those who search for them, and for the media. */
  if (self->os != NULL && g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (os)),
                                     osinfo_entity_get_id (OSINFO_ENTITY (self->os))) == 0)
    return TRUE;
  return !gh_os_db_os_is_eol (os);
}

static gboolean
scroll_to_selected_os (gpointer data)
{
  g_autoptr(GhCreateWizard) self = data;
  guint selected = gtk_single_selection_get_selected (self->os_selection);

  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->os_view), "list.scroll-to-item", "u", selected);
  return G_SOURCE_REMOVE;
}

void
_gh_create_wizard_select_os_in_list (GhCreateWizard *self)
{
  GListModel *model = G_LIST_MODEL (self->os_selection);
  guint n = g_list_model_get_n_items (model);
  const char *id = self->os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (self->os)) : NULL;

  for (guint i = 0; i < n && id != NULL; i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (model, i);

      if (g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (os)), id) == 0)
        {
          gtk_single_selection_set_selected (self->os_selection, i);
          /* Once the page that was just put in sight has its size: GTK 4.8's list view
           * scrolls to nowhere before. */
          g_idle_add_full (G_PRIORITY_LOW, scroll_to_selected_os, g_object_ref (self), NULL);
          return;
        }
    }
  gtk_single_selection_set_selected (self->os_selection, GTK_INVALID_LIST_POSITION);
}

/* What the media row says of the OS: found on the media, picked instead, or unknown. */
void
_gh_create_wizard_update_media_row (GhCreateWizard *self)
{
  g_autofree char *subtitle = NULL;

  if (self->media == NULL)
    return;

  if (self->os == NULL)
    subtitle = g_strdup (_("Unknown operating system: pick it below, or go on with a generic "
                           "machine"));
  else if (g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (self->os)), self->media->os_id) != 0)
    /* Translators: an OS name the user picked */
    subtitle = g_strdup_printf (_("%s, as chosen below"),
                                _gh_create_wizard_os_name (self->os));
  else if (self->media->live)
    /* Translators: an OS name, found on the install media */
    subtitle = g_strdup_printf (_("%s (live system)"), _gh_create_wizard_os_name (self->os));
  else
    subtitle = g_strdup (_gh_create_wizard_os_name (self->os));
  adw_action_row_set_subtitle (self->media_row, subtitle);
}

void
_gh_create_wizard_set_os (GhCreateWizard *self,
                          OsinfoOs       *os)
{
  if (self->os == os)
    return;

  g_set_object (&self->os, os);
  gh_os_requirements_for_os (os, &self->requirements);
  g_clear_object (&self->plan);
  _gh_create_wizard_update_media_row (self);

  _gh_create_wizard_notify (self, PROP_OS_ID);
}

static void
os_selection_changed_cb (GtkSingleSelection *selection,
                         GParamSpec         *pspec,
                         GhCreateWizard     *self)
{
  OsinfoOs *os = gtk_single_selection_get_selected_item (selection);

  if (os != NULL)
    _gh_create_wizard_set_os (self, os);
}

static void
os_search_changed_cb (GtkSearchEntry *entry,
                      GhCreateWizard *self)
{
  gtk_filter_changed (GTK_FILTER (self->os_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
os_item_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (item, box);
}

static void
os_item_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  OsinfoOs *os = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *details = gtk_widget_get_next_sibling (name);
  const char *vendor = osinfo_product_get_vendor (OSINFO_PRODUCT (os));
  const char *released = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os));
  g_autoptr(GString) text = g_string_new (vendor != NULL ? vendor : "");

  if (released != NULL && strlen (released) >= 4)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* The year only. */
      g_string_append_len (text, released, 4);
    }
  if (gh_os_db_os_is_eol (os))
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, _("no longer supported"));
    }

  gtk_label_set_text (GTK_LABEL (name), _gh_create_wizard_os_name (os));
  gtk_label_set_text (GTK_LABEL (details), text->str);
}

void
_gh_create_wizard_enter_os (GhCreateWizard *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->media_list), self->source == SOURCE_MEDIA);

  switch (self->source)
    {
    case SOURCE_MEDIA:
      {
        g_autofree char *basename = g_path_get_basename (self->source_path);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->media_row), basename);
        gtk_label_set_text (self->os_hint_label,
                            self->media->os_id != NULL
                            ? _("This is what the media holds. Pick another system below if "
                                "it is wrong.")
                            : _("Greenhouse cannot tell which system this media holds. Pick "
                                "it below, so that the machine gets what it needs."));
      }
      break;

    case SOURCE_IMAGE:
      gtk_label_set_text (self->os_hint_label,
                          _("Which operating system is on this disk image? The machine is "
                            "made for it."));
      break;

    case SOURCE_BLANK:
    case SOURCE_NONE:
    default:
      gtk_label_set_text (self->os_hint_label,
                          _("The machine is made for the system you pick: its resources, "
                            "firmware and devices."));
      break;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->os_search), "");
  gtk_filter_changed (GTK_FILTER (self->os_filter), GTK_FILTER_CHANGE_DIFFERENT);
  _gh_create_wizard_select_os_in_list (self);
  _gh_create_wizard_show_page (self, "os");
  gtk_widget_grab_focus (GTK_WIDGET (self->os_search));
}

void
_gh_create_wizard_os_init (GhCreateWizard *self)
{
  GtkSignalListItemFactory *factory;
  GtkFilterListModel *filtered;

  /* The OS list: every OS, newest first; end-of-life ones only when searched for. */
  self->os_filter = gtk_custom_filter_new (os_filter_func, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (gh_os_db_get_oses (self->os_db)),
                                        g_object_ref (GTK_FILTER (self->os_filter)));
  self->os_selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->os_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->os_selection, TRUE);
  gtk_single_selection_set_selected (self->os_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->os_selection, "notify::selected",
                    G_CALLBACK (os_selection_changed_cb), self);
  factory = GTK_SIGNAL_LIST_ITEM_FACTORY (gtk_signal_list_item_factory_new ());
  g_signal_connect (factory, "setup", G_CALLBACK (os_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (os_item_bind_cb), NULL);
  gtk_list_view_set_factory (self->os_view, GTK_LIST_ITEM_FACTORY (factory));
  gtk_list_view_set_model (self->os_view,
                           GTK_SELECTION_MODEL (g_object_ref (self->os_selection)));
  g_object_unref (factory);
  g_signal_connect (self->os_search, "search-changed", G_CALLBACK (os_search_changed_cb), self);
}

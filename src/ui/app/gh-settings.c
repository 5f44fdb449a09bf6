/* gh-settings.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-settings.h"

struct _GhSettings
{
  GObject    parent_instance;

  /* Owned references */
  GSettings *settings;         /* NULL when the schema is not installed */
  char     **connections;      /* only used when settings is NULL */
  int        width;
  int        height;
  gboolean   maximized;
};

G_DEFINE_FINAL_TYPE (GhSettings, gh_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_connections_changed (GhSettings *self,
                        const char *key,
                        GSettings  *settings)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
}

static void
gh_settings_finalize (GObject *object)
{
  GhSettings *self = (GhSettings *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->connections, g_strfreev);

  G_OBJECT_CLASS (gh_settings_parent_class)->finalize (object);
}

static void
gh_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GhSettings *self = GH_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      g_value_take_boxed (value, gh_settings_dup_connections (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GhSettings *self = GH_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      gh_settings_set_connections (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_settings_class_init (GhSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_settings_finalize;
  object_class->get_property = gh_settings_get_property;
  object_class->set_property = gh_settings_set_property;

  properties[PROP_CONNECTIONS] =
    g_param_spec_boxed ("connections", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_settings_init (GhSettings *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GH_SETTINGS_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      static const char * const defaults[] = { "qemu:///session", NULL };

      g_warning ("GSettings schema %s is not installed; settings will not be saved "
                 "(set GSETTINGS_SCHEMA_DIR to the build's data folder)",
                 GH_SETTINGS_SCHEMA_ID);
      self->connections = g_strdupv ((char **)defaults);
      self->width = 800;
      self->height = 600;
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_signal_connect_object (self->settings,
                           "changed::" GH_SETTINGS_KEY_CONNECTIONS,
                           G_CALLBACK (on_connections_changed),
                           self,
                           G_CONNECT_SWAPPED);
}

GhSettings *
gh_settings_new (void)
{
  return g_object_new (GH_TYPE_SETTINGS, NULL);
}

char **
gh_settings_dup_connections (GhSettings *self)
{
  g_return_val_if_fail (GH_IS_SETTINGS (self), NULL);

  if (self->settings == NULL)
    return g_strdupv (self->connections);

  return g_settings_get_strv (self->settings, GH_SETTINGS_KEY_CONNECTIONS);
}

void
gh_settings_set_connections (GhSettings         *self,
                             const char * const *uris)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (GH_IS_SETTINGS (self));

  if (uris == NULL)
    uris = empty;

  if (self->settings == NULL)
    {
      if (g_strv_equal ((const char * const *)self->connections, uris))
        return;
      g_strfreev (self->connections);
      self->connections = g_strdupv ((char **)uris);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
      return;
    }

  /* GSettings emits changed::connections, which notifies. */
  g_settings_set_strv (self->settings, GH_SETTINGS_KEY_CONNECTIONS, uris);
}

void
gh_settings_remember_connection (GhSettings *self,
                                 const char *uri)
{
  g_auto(GStrv) uris = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_if_fail (GH_IS_SETTINGS (self));
  g_return_if_fail (uri != NULL);

  uris = gh_settings_dup_connections (self);
  if (g_strv_contains ((const char * const *)uris, uri))
    return;

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)uris);
  g_strv_builder_add (builder, uri);
  updated = g_strv_builder_end (builder);

  gh_settings_set_connections (self, (const char * const *)updated);
}

void
gh_settings_forget_connection (GhSettings *self,
                               const char *uri)
{
  g_auto(GStrv) uris = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_if_fail (GH_IS_SETTINGS (self));
  g_return_if_fail (uri != NULL);

  uris = gh_settings_dup_connections (self);
  if (!g_strv_contains ((const char * const *)uris, uri))
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; uris[i] != NULL; i++)
    {
      if (g_strcmp0 (uris[i], uri) != 0)
        g_strv_builder_add (builder, uris[i]);
    }
  updated = g_strv_builder_end (builder);

  gh_settings_set_connections (self, (const char * const *)updated);
}

void
gh_settings_get_window_size (GhSettings *self,
                             int        *width,
                             int        *height,
                             gboolean   *maximized)
{
  g_return_if_fail (GH_IS_SETTINGS (self));

  if (self->settings == NULL)
    {
      *width = self->width;
      *height = self->height;
      *maximized = self->maximized;
      return;
    }

  *width = g_settings_get_int (self->settings, GH_SETTINGS_KEY_WINDOW_WIDTH);
  *height = g_settings_get_int (self->settings, GH_SETTINGS_KEY_WINDOW_HEIGHT);
  *maximized = g_settings_get_boolean (self->settings, GH_SETTINGS_KEY_WINDOW_MAXIMIZED);
}

void
gh_settings_set_window_size (GhSettings *self,
                             int         width,
                             int         height,
                             gboolean    maximized)
{
  g_return_if_fail (GH_IS_SETTINGS (self));

  if (self->settings == NULL)
    {
      self->width = width;
      self->height = height;
      self->maximized = maximized;
      return;
    }

  g_settings_set_int (self->settings, GH_SETTINGS_KEY_WINDOW_WIDTH, width);
  g_settings_set_int (self->settings, GH_SETTINGS_KEY_WINDOW_HEIGHT, height);
  g_settings_set_boolean (self->settings, GH_SETTINGS_KEY_WINDOW_MAXIMIZED, maximized);
}

/* gh-spice-display-clipboard.c: copy and paste between the host and the guest
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <spice/vd_agent.h>

#include "gh-spice-display-private.h"

/* The guest's agent and the host each announce what they hold; the data moves only when
 * the other side asks. Only the CLIPBOARD selection is shared, with text and PNG images:
 * the two formats every agent knows. What the guest offers is fetched as soon as it is
 * announced, because GTK wants the content when we claim the host's clipboard. */

struct _GhSpiceClipboard
{
  /* Borrowed references */
  GdkClipboard *clipboard;

  /* Owned references */
  SpiceMainChannel *main_channel;
  GCancellable *cancellable;
};

static gboolean
agent_can_share (GhSpiceClipboard *self)
{
  gboolean agent = FALSE;

  g_object_get (self->main_channel, "agent-connected", &agent, NULL);
  return agent &&
         spice_main_channel_agent_test_capability (self->main_channel,
                                                   VD_AGENT_CAP_CLIPBOARD_BY_DEMAND);
}

/* Guest to host */

static gboolean
guest_grab_cb (SpiceMainChannel *main_channel,
               guint             selection,
               guint32          *types,
               guint             n_types,
               GhSpiceClipboard *self)
{
  guint32 wanted = 0;

  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return TRUE;

  for (guint i = 0; i < n_types; i++)
    {
      if (types[i] == VD_AGENT_CLIPBOARD_UTF8_TEXT)
        {
          wanted = types[i];
          break;
        }
      if (types[i] == VD_AGENT_CLIPBOARD_IMAGE_PNG)
        wanted = types[i];
    }

  if (wanted != 0)
    spice_main_channel_clipboard_selection_request (main_channel, selection, wanted);

  return TRUE;
}

static void
guest_data_cb (SpiceMainChannel *main_channel,
               guint             selection,
               guint             type,
               const guint8     *data,
               guint             size,
               GhSpiceClipboard *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD || data == NULL)
    return;

  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    {
      g_autofree char *text = g_strndup ((const char *) data, size);
      g_auto(GStrv) lines = NULL;
      g_autofree char *joined = NULL;

      if (!g_utf8_validate (text, -1, NULL))
        return;

      /* Windows guests end lines with CR LF. */
      lines = g_strsplit (text, "\r\n", -1);
      joined = g_strjoinv ("\n", lines);
      gdk_clipboard_set_text (self->clipboard, joined);
    }
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, size);
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;

      texture = gdk_texture_new_from_bytes (bytes, &error);
      if (texture == NULL)
        g_debug ("The guest's clipboard image is unreadable: %s", error->message);
      else
        gdk_clipboard_set_texture (self->clipboard, texture);
    }
}

/* Host to guest */

static void
host_changed_cb (GdkClipboard     *clipboard,
                 GhSpiceClipboard *self)
{
  GdkContentFormats *formats;
  guint32 types[2];
  guint n_types = 0;

  /* What we set ourselves came from the guest. */
  if (gdk_clipboard_is_local (clipboard) || !agent_can_share (self))
    return;

  formats = gdk_clipboard_get_formats (clipboard);
  if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) ||
      gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"))
    types[n_types++] = VD_AGENT_CLIPBOARD_UTF8_TEXT;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) ||
      gdk_content_formats_contain_mime_type (formats, "image/png"))
    types[n_types++] = VD_AGENT_CLIPBOARD_IMAGE_PNG;

  if (n_types > 0)
    spice_main_channel_clipboard_selection_grab (self->main_channel,
                                                 VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 types, n_types);
  else
    spice_main_channel_clipboard_selection_release (self->main_channel,
                                                    VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD);
}

typedef struct
{
  SpiceMainChannel *main_channel;
  guint selection;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->main_channel);
  g_free (request);
}

static Request *
request_new (SpiceMainChannel *main_channel,
             guint             selection)
{
  Request *request = g_new0 (Request, 1);

  request->main_channel = g_object_ref (main_channel);
  request->selection = selection;
  return request;
}

static void
send_to_guest (Request      *request,
               guint32       type,
               const guint8 *data,
               gsize         size)
{
  spice_main_channel_clipboard_selection_notify (request->main_channel, request->selection,
                                                 type, data, size);
  request_free (request);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      request_free (user_data);
      return;
    }

  /* An empty answer tells the agent there is nothing, rather than leave it waiting. */
  send_to_guest (user_data, VD_AGENT_CLIPBOARD_UTF8_TEXT, (const guint8 *) text,
                 text != NULL ? strlen (text) : 0);
}

static void
read_texture_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      request_free (user_data);
      return;
    }
  if (texture != NULL)
    png = gdk_texture_save_to_png_bytes (texture);

  send_to_guest (user_data, VD_AGENT_CLIPBOARD_IMAGE_PNG,
                 png != NULL ? g_bytes_get_data (png, NULL) : NULL,
                 png != NULL ? g_bytes_get_size (png) : 0);
}

static gboolean
guest_request_cb (SpiceMainChannel *main_channel,
                  guint             selection,
                  guint             type,
                  GhSpiceClipboard *self)
{
  Request *request;

  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;

  request = request_new (main_channel, selection);
  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    gdk_clipboard_read_text_async (self->clipboard, self->cancellable, read_text_cb, request);
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    gdk_clipboard_read_texture_async (self->clipboard, self->cancellable,
                                      read_texture_cb, request);
  else
    {
      request_free (request);
      return FALSE;
    }

  return TRUE;
}

static void
agent_connected_cb (SpiceMainChannel *main_channel,
                    GParamSpec       *pspec,
                    GhSpiceClipboard *self)
{
  /* What the host copied before the agent started. */
  host_changed_cb (self->clipboard, self);
}

GhSpiceClipboard *
_gh_spice_clipboard_new (GtkWidget        *widget,
                         SpiceMainChannel *main_channel)
{
  GhSpiceClipboard *self = g_new0 (GhSpiceClipboard, 1);

  self->clipboard = gtk_widget_get_clipboard (widget);
  self->main_channel = g_object_ref (main_channel);
  self->cancellable = g_cancellable_new ();

  g_signal_connect (main_channel, "main-clipboard-selection-grab",
                    G_CALLBACK (guest_grab_cb), self);
  g_signal_connect (main_channel, "main-clipboard-selection", G_CALLBACK (guest_data_cb), self);
  g_signal_connect (main_channel, "main-clipboard-selection-request",
                    G_CALLBACK (guest_request_cb), self);
  g_signal_connect (main_channel, "notify::agent-connected", G_CALLBACK (agent_connected_cb), self);
  g_signal_connect (self->clipboard, "changed", G_CALLBACK (host_changed_cb), self);

  return self;
}

void
_gh_spice_clipboard_free (GhSpiceClipboard *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_handlers_disconnect_by_data (self->main_channel, self);
  g_signal_handlers_disconnect_by_data (self->clipboard, self);
  g_clear_object (&self->main_channel);
  g_free (self);
}

/* gh-domain-editor-display.c: video, graphics and displays open to the network
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"

/* ---- Display ----------------------------------------------------------------------- */

/**
 * gh_domain_editor_dup_video_model:
 * @gl: (out) (optional): whether the model has 3D acceleration (<acceleration accel3d>,
 *   or a SPICE display with <gl enable='yes'>)
 *
 * Returns: (transfer full) (nullable): the first <video>'s model ("virtio", "qxl", "vga",
 *   "none"), or NULL when the domain has no <video>
 */
char *
gh_domain_editor_dup_video_model (GhDomainEditor *self,
                                  gboolean       *gl)
{
  xmlNode *devices;
  xmlNode *video;
  xmlNode *model;
  gboolean accel = FALSE;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  if (gl != NULL)
    *gl = FALSE;
  devices = _gh_xml_first_child (self->root, "devices");
  video = devices != NULL ? _gh_xml_first_child (devices, "video") : NULL;
  model = video != NULL ? _gh_xml_first_child (video, "model") : NULL;
  if (model == NULL)
    return NULL;

  accel = _gh_xml_first_child (model, "acceleration") != NULL
          && _gh_xml_prop_equals (_gh_xml_first_child (model, "acceleration"), "accel3d", "yes");
  for (xmlNode *graphics = _gh_xml_first_child (devices, "graphics");
       graphics != NULL && !accel;
       graphics = _gh_xml_next_element (graphics->next, "graphics"))
    accel = _gh_xml_first_child (graphics, "gl") != NULL
            && _gh_xml_prop_equals (_gh_xml_first_child (graphics, "gl"), "enable", "yes");

  if (gl != NULL)
    *gl = accel;
  return _gh_xml_dup_prop (model, "type");
}

gboolean
gh_domain_editor_get_has_graphics (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  return _gh_xml_first_child (_gh_xml_first_child (self->root, "devices"), "graphics") != NULL;
}

/* What makes two companion devices the same: a second tablet or agent channel helps no
 * one, but two USB redirection channels are two. */
static char *
dup_companion_key (xmlNode *node)
{
  g_autofree char *type = _gh_xml_dup_prop (node, "type");
  g_autofree char *bus = _gh_xml_dup_prop (node, "bus");
  g_autofree char *target = _gh_xml_dup_prop (_gh_xml_first_child (node, "target"), "name");

  return g_strdup_printf ("%s|%s|%s|%s", (const char *) node->name,
                          type != NULL ? type : "", bus != NULL ? bus : "",
                          target != NULL ? target : "");
}

static void
free_nodes (GPtrArray *nodes)
{
  for (guint i = 0; i < nodes->len; i++)
    xmlFreeNode (g_ptr_array_index (nodes, i));
  g_ptr_array_unref (nodes);
}

static gboolean graphics_is_open (xmlNode *graphics);

/* What the user chose about the display that a new display path keeps: whether the
 * guest may share the clipboard and receive files (SPICE's <clipboard copypaste='no'/>,
 * <filetransfer enable='no'/>) and how many monitors it has (the video's heads). The
 * password does not stay: a path's display listens on no port or on a socket only this
 * user reaches, and Greenhouse's console opens it with no password. */
typedef struct
{
  xmlNode *clipboard;      /* copies, owned */
  xmlNode *filetransfer;
  char    *heads;
} KeptDisplayChoices;

static KeptDisplayChoices *
kept_display_choices_new (xmlNode *devices)
{
  KeptDisplayChoices *keep = g_new0 (KeptDisplayChoices, 1);
  xmlNode *video_model = _gh_xml_first_child (_gh_xml_first_child (devices, "video"), "model");

  for (xmlNode *node = _gh_xml_first_child (devices, "graphics"); node != NULL;
       node = _gh_xml_next_element (node->next, "graphics"))
    if (_gh_xml_prop_equals (node, "type", "spice"))
      {
        xmlNode *clipboard = _gh_xml_first_child (node, "clipboard");
        xmlNode *filetransfer = _gh_xml_first_child (node, "filetransfer");

        keep->clipboard = clipboard != NULL ? xmlCopyNode (clipboard, 1) : NULL;
        keep->filetransfer = filetransfer != NULL ? xmlCopyNode (filetransfer, 1) : NULL;
        break;
      }
  keep->heads = _gh_xml_dup_prop (video_model, "heads");
  return keep;
}

static void
kept_display_choices_free (KeptDisplayChoices *keep)
{
  g_clear_pointer (&keep->clipboard, xmlFreeNode);
  g_clear_pointer (&keep->filetransfer, xmlFreeNode);
  g_free (keep->heads);
  g_free (keep);
}

/* Gives the new graphics or video @node what @keep holds: the clipboard and file
 * transfer choices where the path has none, and the machine's number of monitors. */
static void
keep_display_choices (KeptDisplayChoices *keep,
                      xmlNode            *node)
{
  if (node == NULL)
    return;

  if (xmlStrEqual (node->name, (const xmlChar *) "graphics")
      && _gh_xml_prop_equals (node, "type", "spice"))
    {
      if (keep->clipboard != NULL && _gh_xml_first_child (node, "clipboard") == NULL)
        _gh_xml_insert_child (node, xmlCopyNode (keep->clipboard, 1), NULL);
      if (keep->filetransfer != NULL && _gh_xml_first_child (node, "filetransfer") == NULL)
        _gh_xml_insert_child (node, xmlCopyNode (keep->filetransfer, 1), NULL);
    }
  else if (xmlStrEqual (node->name, (const xmlChar *) "video") && keep->heads != NULL)
    {
      xmlNode *model = _gh_xml_first_child (node, "model");

      /* Only virtio-gpu and QXL have more than one monitor. */
      if (model != NULL
          && (_gh_xml_prop_equals (model, "type", "virtio")
              || _gh_xml_prop_equals (model, "type", "qxl")))
        _gh_xml_set_prop (model, "heads", keep->heads);
    }
}

gboolean
gh_domain_editor_set_display (GhDomainEditor  *self,
                              const char      *video_xml,
                              const char      *graphics_xml,
                              const char      *hostdev_xml,
                              const char      *companions_xml,
                              GError         **error)
{
  static const char * const graphics_after[] = { "graphics", "input", "channel", "console",
                                                 "serial", "interface", "controller",
                                                 "disk", NULL };
  static const char * const video_after[] = { "video", "audio", "sound", "graphics", NULL };
  static const char * const companion_after[] = { NULL };
  const char *fragments[] = { video_xml, graphics_xml, hostdev_xml, companions_xml };
  GPtrArray *parsed[G_N_ELEMENTS (fragments)] = { NULL, };
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  xmlNode *devices;
  KeptDisplayChoices *keep;
  gboolean has_usb;
  gboolean ok = TRUE;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fragments) && ok; i++)
    ok = (parsed[i] = _gh_domain_editor_parse_fragment (self, fragments[i], error)) != NULL;
  /* Whatever made the fragments, the machine never gets a port anyone can open. */
  for (guint i = 0; ok && i < parsed[1]->len; i++)
    if (graphics_is_open (g_ptr_array_index (parsed[1], i)))
      {
        _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, NULL,
                       _("A display on a network port without a password would let anyone "
                         "who reaches it control the machine"));
        ok = FALSE;
      }
  if (!ok)
    {
      for (guint i = 0; i < G_N_ELEMENTS (parsed); i++)
        g_clear_pointer (&parsed[i], free_nodes);
      g_prefix_error (error, "%s: ", _("Could not change the display"));
      return FALSE;
    }

  devices = _gh_domain_editor_ensure_devices (self);
  keep = kept_display_choices_new (devices);
  for (const char *kind = "video"; kind != NULL;
       kind = strcmp (kind, "video") == 0 ? "graphics" : NULL)
    {
      xmlNode *node;

      while ((node = _gh_xml_first_child (devices, kind)) != NULL)
        _gh_xml_remove_node (node);
    }

  /* Graphics first, so that video can sit after it where the domain has no sound. */
  for (guint i = 0; i < parsed[1]->len; i++)
    {
      _gh_domain_editor_insert_device (self, g_ptr_array_index (parsed[1], i), graphics_after);
      keep_display_choices (keep, g_ptr_array_index (parsed[1], i));
    }
  for (guint i = 0; i < parsed[0]->len; i++)
    {
      _gh_domain_editor_insert_device (self, g_ptr_array_index (parsed[0], i), video_after);
      keep_display_choices (keep, g_ptr_array_index (parsed[0], i));
    }
  kept_display_choices_free (keep);

  for (guint i = 0; i < parsed[2]->len; i++)
    {
      g_autoptr(xmlNode) node = g_ptr_array_index (parsed[2], i);

      if (!_gh_domain_editor_has_hostdev (self, node))
        _gh_domain_editor_insert_hostdev (self, g_steal_pointer (&node));
    }

  for (xmlNode *node = _gh_xml_first_child (devices, NULL); node != NULL;
       node = _gh_xml_next_element (node->next, NULL))
    {
      char *key = dup_companion_key (node);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (existing, key));

      g_hash_table_insert (existing, key, GUINT_TO_POINTER (count + 1));
    }

  has_usb = gh_domain_editor_get_has_usb (self);
  for (guint i = 0; i < parsed[3]->len; i++)
    {
      g_autoptr(xmlNode) node = g_ptr_array_index (parsed[3], i);
      g_autofree char *key = dup_companion_key (node);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (existing, key));
      const char *kind = (const char *) node->name;
      const char * const after[] = { kind, NULL };

      if (count > 0)
        {
          g_hash_table_insert (existing, g_steal_pointer (&key), GUINT_TO_POINTER (count - 1));
          continue;
        }
      /* Without USB the pointer goes through the PS/2 mouse and nothing is redirected:
       * libvirt would refuse the whole display for a USB tablet. */
      if (!has_usb && _gh_xml_prop_equals (node, "bus", "usb"))
        continue;
      _gh_domain_editor_insert_device (self, g_steal_pointer (&node),
                                       _gh_xml_first_child (devices, kind) != NULL
                                         ? after : companion_after);
    }

  for (guint i = 0; i < G_N_ELEMENTS (parsed); i++)
    g_ptr_array_unref (parsed[i]);

  return TRUE;
}

/* ---- Display ports ----------------------------------------------------------------- */

void
gh_domain_open_display_free (GhDomainOpenDisplay *display)
{
  if (display == NULL)
    return;

  g_free (display->type);
  g_free (display->address);
  g_free (display);
}

/* A display server on a TCP port: a <listen> of type address or network, or no <listen>
 * at all, where libvirt listens on qemu.conf's address (its own listen, port and
 * autoport attributes say the same). Listen none and socket take no TCP connection. */
static gboolean
graphics_listens_on_tcp (xmlNode *graphics)
{
  gboolean any = FALSE;

  if (!_gh_xml_prop_equals (graphics, "type", "spice")
      && !_gh_xml_prop_equals (graphics, "type", "vnc")
      && !_gh_xml_prop_equals (graphics, "type", "rdp"))
    return FALSE;

  for (xmlNode *listen = _gh_xml_first_child (graphics, "listen"); listen != NULL;
       listen = _gh_xml_next_element (listen->next, "listen"))
    {
      any = TRUE;
      if (_gh_xml_prop_equals (listen, "type", "address")
          || _gh_xml_prop_equals (listen, "type", "network"))
        return TRUE;
    }

  return !any;
}

static gboolean
graphics_is_open (xmlNode *graphics)
{
  g_autofree char *passwd = _gh_xml_dup_prop (graphics, "passwd");

  return graphics_listens_on_tcp (graphics) && (passwd == NULL || passwd[0] == '\0');
}

GPtrArray *
gh_domain_editor_dup_open_displays (GhDomainEditor *self)
{
  GPtrArray *displays =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_open_display_free);
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), displays);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "graphics"); node != NULL;
       node = _gh_xml_next_element (node->next, "graphics"))
    {
      GhDomainOpenDisplay *display;
      xmlNode *listen;
      guint64 port = 0;

      if (!graphics_is_open (node))
        continue;

      display = g_new0 (GhDomainOpenDisplay, 1);
      display->type = _gh_xml_dup_prop (node, "type");
      for (listen = _gh_xml_first_child (node, "listen");
           listen != NULL && display->address == NULL;
           listen = _gh_xml_next_element (listen->next, "listen"))
        display->address = _gh_xml_dup_prop (listen, "address");
      if (display->address == NULL)
        display->address = _gh_xml_dup_prop (node, "listen");
      /* -1 (autoport) in a definition; the port itself once QEMU has one. */
      if (_gh_xml_prop_uint (node, "port", &port) && port > 0 && port <= G_MAXUINT16)
        display->port = (int) port;
      g_ptr_array_add (displays, display);
    }

  return displays;
}

guint
gh_domain_editor_close_open_displays (GhDomainEditor *self)
{
  static const char * const tcp_props[] = { "listen", "port", "tlsPort", "autoport",
                                             "websocket", NULL };
  xmlNode *devices;
  guint n_closed = 0;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), 0);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "graphics"); node != NULL;
       node = _gh_xml_next_element (node->next, "graphics"))
    {
      xmlNode *listen;

      if (!graphics_is_open (node) || _gh_xml_prop_equals (node, "type", "rdp"))
        continue;

      while ((listen = _gh_xml_first_child (node, "listen")) != NULL)
        _gh_xml_remove_node (listen);
      for (guint i = 0; tcp_props[i] != NULL; i++)
        xmlUnsetProp (node, (const xmlChar *) tcp_props[i]);

      listen = _gh_domain_editor_new_element (self, "listen");
      _gh_xml_set_prop (listen, "type", "socket");
      _gh_xml_insert_child (node, listen, _gh_xml_next_element_any (node->children));
      n_closed++;
    }

  return n_closed;
}

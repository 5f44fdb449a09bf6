/* gh-domain-editor.c: edits of a domain's own XML that keep what Greenhouse does not know
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-core-private.h"
#include "gh-domain-editor.h"
#include "gh-xml-private.h"

/* libxml2 on the document libvirt gave us, not libvirt-gconfig: the editor only ever
 * changes the nodes an edit is about, and new nodes are indented like their neighbours,
 * so that the XML a person reads in `virsh edit` afterwards still looks like theirs. */
struct _GhDomainEditor
{
  GObject parent_instance;

  /* Owned references */
  xmlDoc *doc;

  /* Borrowed references */
  xmlNode *root;
};

G_DEFINE_FINAL_TYPE (GhDomainEditor, gh_domain_editor, G_TYPE_OBJECT)

static void
gh_domain_editor_finalize (GObject *object)
{
  GhDomainEditor *self = (GhDomainEditor *)object;

  g_clear_pointer (&self->doc, xmlFreeDoc);

  G_OBJECT_CLASS (gh_domain_editor_parent_class)->finalize (object);
}

static void
gh_domain_editor_class_init (GhDomainEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_domain_editor_finalize;
}

static void
gh_domain_editor_init (GhDomainEditor *self)
{
}

void
gh_domain_editor_disk_free (GhDomainEditorDisk *disk)
{
  if (disk == NULL)
    return;

  g_free (disk->device);
  g_free (disk->target);
  g_free (disk->bus);
  g_free (disk->path);
  g_free (disk->pool);
  g_free (disk->volume);
  g_free (disk->format);
  g_free (disk);
}

void
gh_domain_hostdev_free (GhDomainHostdev *hostdev)
{
  if (hostdev == NULL)
    return;

  g_free (hostdev->address);
  g_free (hostdev->uuid);
  g_free (hostdev->model);
  g_free (hostdev);
}

void
gh_domain_interface_free (GhDomainInterface *iface)
{
  if (iface == NULL)
    return;

  g_free (iface->type);
  g_free (iface->mac);
  g_free (iface->source);
  g_free (iface->model);
  g_free (iface);
}

/* ---- Making nodes ----------------------------------------------------------------- */

static xmlNode *
new_element (GhDomainEditor *self,
             const char     *name)
{
  return xmlNewDocNode (self->doc, NULL, (const xmlChar *) name, NULL);
}

/* @xml's elements, made nodes of our document (not yet in the tree). */
static GPtrArray *
parse_fragment (GhDomainEditor  *self,
                const char      *xml,
                GError         **error)
{
  g_autofree char *wrapped = g_strconcat ("<devices>", xml != NULL ? xml : "", "</devices>", NULL);
  GPtrArray *nodes;
  xmlNode *root;
  xmlDoc *doc;

  doc = _gh_xml_parse (wrapped);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("Greenhouse made device XML that is not valid"));
      xmlFreeDoc (doc);
      return NULL;
    }

  nodes = g_ptr_array_new ();
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      g_ptr_array_add (nodes, xmlDocCopyNode (child, self->doc, 1));

  xmlFreeDoc (doc);
  return nodes;
}

/* Parses one element we wrote ourselves: it is always well-formed. */
static xmlNode *
parse_element (GhDomainEditor *self,
               const char     *xml)
{
  g_autoptr(GPtrArray) nodes = parse_fragment (self, xml, NULL);

  g_assert (nodes != NULL && nodes->len == 1);
  return g_ptr_array_index (nodes, 0);
}

static xmlNode *
ensure_devices (GhDomainEditor *self)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  if (devices == NULL)
    devices = _gh_xml_insert_child (self->root, new_element (self, "devices"), NULL);

  return devices;
}

/* Adds a device after the last of the first kind in @after that the domain has, so
 * that new devices sit where libvirt itself would write them. */
static void
insert_device (GhDomainEditor     *self,
               xmlNode            *device,
               const char * const *after)
{
  _gh_xml_insert_after_last (ensure_devices (self), device, after);
}

/* ---- The document ------------------------------------------------------------------ */

GhDomainEditor *
gh_domain_editor_new (const char  *xml,
                      GError     **error)
{
  g_autoptr(GhDomainEditor) self = NULL;
  xmlDoc *doc;
  xmlNode *root;

  g_return_val_if_fail (xml != NULL, NULL);

  /* Whitespace, CDATA sections and entities stay as they are: nothing but the edits
   * should show in a diff. */
  doc = _gh_xml_parse (xml);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("The machine’s description is not valid XML"));
      xmlFreeDoc (doc);
      return NULL;
    }
  if (!_gh_xml_is_element (root, "domain"))
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("The machine’s description is not a libvirt domain"));
      xmlFreeDoc (doc);
      return NULL;
    }

  self = g_object_new (GH_TYPE_DOMAIN_EDITOR, NULL);
  self->doc = doc;
  self->root = root;

  return g_steal_pointer (&self);
}

/* The elements @xpath selects, in document order. */
static GPtrArray *
select_nodes (GhDomainEditor *self,
              const char     *xpath)
{
  GPtrArray *nodes = g_ptr_array_new ();
  xmlXPathContext *context = xmlXPathNewContext (self->doc);
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) xpath, context);

  g_warn_if_fail (result != NULL);
  if (result != NULL && result->nodesetval != NULL)
    for (int i = 0; i < result->nodesetval->nodeNr; i++)
      if (result->nodesetval->nodeTab[i]->type == XML_ELEMENT_NODE)
        g_ptr_array_add (nodes, result->nodesetval->nodeTab[i]);

  g_clear_pointer (&result, xmlXPathFreeObject);
  xmlXPathFreeContext (context);
  return nodes;
}

char *
gh_domain_editor_dup_part (GhDomainEditor *self,
                           const char     *xpath)
{
  g_autoptr(GPtrArray) nodes = NULL;
  xmlBuffer *buffer;
  char *ret;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);
  g_return_val_if_fail (xpath != NULL, NULL);

  nodes = select_nodes (self, xpath);
  buffer = xmlBufferCreate ();
  for (guint i = 0; i < nodes->len; i++)
    {
      xmlNodeDump (buffer, self->doc, g_ptr_array_index (nodes, i), 0, 0);
      xmlBufferCCat (buffer, "\n");
    }
  ret = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return ret;
}

/* ---- What libvirt kept of an edit ------------------------------------------------- */

/* How a person finds @node in `virsh edit`: "<driver> of <interface>". */
static char *
dup_node_label (xmlNode *node)
{
  if (node->parent != NULL && node->parent->type == XML_ELEMENT_NODE
      && !xmlStrEqual (node->parent->name, (const xmlChar *) "domain")
      && !xmlStrEqual (node->parent->name, (const xmlChar *) "devices"))
    /* Translators: two XML elements of a machine's definition, "<driver> of <interface>" */
    return g_strdup_printf (_("<%s> of <%s>"), (const char *) node->name,
                            (const char *) node->parent->name);
  return g_strdup_printf ("<%s>", (const char *) node->name);
}

static gboolean
same_name (xmlNode *a,
           xmlNode *b)
{
  const xmlChar *a_ns = a->ns != NULL ? a->ns->href : NULL;
  const xmlChar *b_ns = b->ns != NULL ? b->ns->href : NULL;

  return xmlStrEqual (a->name, b->name) && xmlStrEqual (a_ns, b_ns);
}

/* An element whose only content is text: a number, a name, a path. */
static gboolean
has_element_children (xmlNode *node)
{
  return _gh_xml_next_element_any (node->children) != NULL;
}

static char *dup_lost_children (xmlNode **asked, guint n_asked, xmlNode **stored,
                                guint n_stored);

/* NULL when @stored has every attribute, text and child element of @asked (libvirt may
 * add defaults and addresses, which no one asked to be otherwise); else what it lacks. */
static char *
dup_lost_node (xmlNode *asked,
               xmlNode *stored)
{
  g_autoptr(GPtrArray) asked_children = g_ptr_array_new ();
  g_autoptr(GPtrArray) stored_children = g_ptr_array_new ();
  g_autofree char *label = dup_node_label (asked);

  for (xmlAttr *attr = asked->properties; attr != NULL; attr = attr->next)
    {
      const xmlChar *href = attr->ns != NULL ? attr->ns->href : NULL;
      xmlChar *want = xmlNodeListGetString (asked->doc, attr->children, 1);
      xmlChar *have = xmlGetNsProp (stored, attr->name, href);
      char *lost = NULL;

      if (have == NULL)
        /* Translators: an XML attribute's name, then its element, "queues of <driver>" */
        lost = g_strdup_printf (_("%s of %s is gone"), (const char *) attr->name, label);
      else if (!xmlStrEqual (want, have))
        /* Translators: an XML attribute, its element, its new and its asked-for value */
        lost = g_strdup_printf (_("%s of %s is %s, not %s"), (const char *) attr->name, label,
                                (const char *) have, (const char *) want);
      xmlFree (want);
      xmlFree (have);
      if (lost != NULL)
        return lost;
    }

  if (!has_element_children (asked))
    {
      g_autofree char *want = _gh_xml_dup_content (asked);
      g_autofree char *have = has_element_children (stored) ? NULL : _gh_xml_dup_content (stored);

      g_strstrip (want);
      if (have != NULL)
        g_strstrip (have);
      if (want[0] != '\0' && g_strcmp0 (want, have) != 0)
        /* Translators: an XML element, what it holds now and what was asked */
        return g_strdup_printf (_("%s holds %s, not %s"), label,
                                have != NULL ? have : "", want);
      return NULL;
    }

  for (xmlNode *child = _gh_xml_next_element_any (asked->children); child != NULL;
       child = _gh_xml_next_element_any (child->next))
    g_ptr_array_add (asked_children, child);
  for (xmlNode *child = _gh_xml_next_element_any (stored->children); child != NULL;
       child = _gh_xml_next_element_any (child->next))
    g_ptr_array_add (stored_children, child);

  return dup_lost_children ((xmlNode **) asked_children->pdata, asked_children->len,
                            (xmlNode **) stored_children->pdata, stored_children->len);
}

/* Each of @asked needs an element of @stored of its own that keeps it. The one in the same
 * place among those of its name is tried first: libvirt keeps the order of devices, and
 * two alike (two USB redirections) must not both take the first. */
static char *
dup_lost_children (xmlNode **asked,
                   guint     n_asked,
                   xmlNode **stored,
                   guint     n_stored)
{
  g_autofree gboolean *taken = g_new0 (gboolean, n_stored + 1);

  for (guint i = 0; i < n_asked; i++)
    {
      g_autofree char *first_lost = NULL;
      guint place = 0;
      guint same_place = G_MAXUINT;
      gboolean kept = FALSE;

      for (guint j = 0; j < i; j++)
        place += same_name (asked[j], asked[i]);
      for (guint j = 0, seen = 0; j < n_stored && same_place == G_MAXUINT; j++)
        if (same_name (stored[j], asked[i]) && seen++ == place)
          same_place = j;

      for (guint k = 0; k <= n_stored && !kept; k++)
        {
          /* k == 0 is the same place; then every other, in order. */
          guint j = k == 0 ? same_place : k - 1;
          g_autofree char *lost = NULL;

          if (j >= n_stored || taken[j] || (k > 0 && j == same_place)
              || !same_name (stored[j], asked[i]))
            continue;
          lost = dup_lost_node (asked[i], stored[j]);
          if (lost == NULL)
            kept = taken[j] = TRUE;
          else if (first_lost == NULL)
            first_lost = g_steal_pointer (&lost);
        }

      if (kept)
        continue;
      if (first_lost != NULL)
        return g_steal_pointer (&first_lost);
      {
        g_autofree char *label = dup_node_label (asked[i]);

        /* Translators: an XML element of a machine's definition, "<vcpupin>" */
        return g_strdup_printf (_("%s is gone"), label);
      }
    }

  return NULL;
}

char *
gh_domain_editor_dup_lost (GhDomainEditor *asked,
                           GhDomainEditor *stored,
                           const char     *xpath)
{
  g_autoptr(GPtrArray) asked_nodes = NULL;
  g_autoptr(GPtrArray) stored_nodes = NULL;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (asked), NULL);
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (stored), NULL);
  g_return_val_if_fail (xpath != NULL, NULL);

  asked_nodes = select_nodes (asked, xpath);
  stored_nodes = select_nodes (stored, xpath);
  return dup_lost_children ((xmlNode **) asked_nodes->pdata, asked_nodes->len,
                            (xmlNode **) stored_nodes->pdata, stored_nodes->len);
}

/**
 * gh_domain_editor_to_xml:
 *
 * Returns: (transfer full): the document with every edit, in UTF-8, without an XML
 *   declaration (libvirt writes none either); comments and processing instructions
 *   around the domain stay.
 */
char *
gh_domain_editor_to_xml (GhDomainEditor *self)
{
  xmlBuffer *buffer;
  char *ret;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  buffer = xmlBufferCreate ();
  for (xmlNode *node = self->doc->children; node != NULL; node = node->next)
    {
      if (node->type == XML_DTD_NODE)
        continue;
      xmlNodeDump (buffer, self->doc, node, 0, 0);
      xmlBufferCCat (buffer, "\n");
    }

  ret = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return ret;
}

/* ---- Name, title, description ------------------------------------------------------ */

const char *
gh_domain_editor_get_name (GhDomainEditor *self)
{
  xmlNode *name;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  name = _gh_xml_first_child (self->root, "name");
  if (name == NULL || name->children == NULL || name->children->type != XML_TEXT_NODE)
    return NULL;

  return (const char *) name->children->content;
}

char *
gh_domain_editor_dup_title (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return _gh_xml_dup_content (_gh_xml_first_child (self->root, "title"));
}

char *
gh_domain_editor_dup_description (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return _gh_xml_dup_content (_gh_xml_first_child (self->root, "description"));
}

/* Sets a text element of <domain>, after the first of @after it has, or removes it. */
static void
set_domain_text (GhDomainEditor     *self,
                 const char         *name,
                 const char         *text,
                 const char * const *after)
{
  xmlNode *node = _gh_xml_first_child (self->root, name);

  if (text == NULL || text[0] == '\0')
    {
      if (node != NULL)
        _gh_xml_remove_node (node);
      return;
    }

  if (node == NULL)
    {
      xmlNode *ref = NULL;

      for (guint i = 0; after[i] != NULL && ref == NULL; i++)
        ref = _gh_xml_first_child (self->root, after[i]);
      node = _gh_xml_insert_after (self->root, new_element (self, name), ref);
    }

  _gh_xml_set_text (node, text);
}

gboolean
gh_domain_editor_set_title (GhDomainEditor  *self,
                            const char      *title,
                            GError         **error)
{
  static const char * const after[] = { "uuid", "name", NULL };

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  /* One line (libvirt refuses a line break), and never changed behind the user's back. */
  if (title != NULL
      && !gh_text_check (title, GH_TEXT_LINE, _("Could not change the title"), error))
    return FALSE;

  set_domain_text (self, "title", title, after);
  return TRUE;
}

gboolean
gh_domain_editor_set_description (GhDomainEditor  *self,
                                  const char      *description,
                                  GError         **error)
{
  static const char * const after[] = { "title", "uuid", "name", NULL };

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (description != NULL
      && !gh_text_check (description, GH_TEXT_LINES, _("Could not change the description"),
                         error))
    return FALSE;

  set_domain_text (self, "description", description, after);
  return TRUE;
}

/* ---- Memory and processors ---------------------------------------------------------- */

/* libvirt's scaled integers: <memory unit='GiB'>4</memory>; KiB when it says no unit. */
static guint64
get_scaled (xmlNode *node)
{
  g_autofree char *text = _gh_xml_dup_content (node);
  g_autofree char *unit = _gh_xml_dup_prop (node, "unit");
  guint64 bytes;

  if (!_gh_xml_scale_to_bytes (text, unit, 1024, &bytes) && text != NULL)
    /* A unit libvirt would refuse: it cannot be in a definition libvirt wrote. Read as
     * its default, KiB, as before. */
    _gh_xml_scale_to_bytes (text, NULL, 1024, &bytes);
  return bytes;
}

static void
set_scaled_kib (xmlNode *node,
                guint64  bytes)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, (bytes + 1023) / 1024);

  _gh_xml_set_prop (node, "unit", "KiB");
  _gh_xml_set_text (node, text);
}

guint64
gh_domain_editor_get_memory (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), 0);

  return get_scaled (_gh_xml_first_child (self->root, "memory"));
}

guint64
gh_domain_editor_get_current_memory (GhDomainEditor *self)
{
  xmlNode *current;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), 0);

  current = _gh_xml_first_child (self->root, "currentMemory");
  if (current == NULL)
    return gh_domain_editor_get_memory (self);

  return get_scaled (current);
}

/* The highest vCPU number in a libvirt CPU list ("0-3,6,^2"), or -1 when it names none. */
static gint64
cpu_list_max (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list != NULL ? list : "", ",", -1);
  gint64 max = -1;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      const char *dash;

      if (part[0] == '\0' || part[0] == '^')
        continue;
      dash = strchr (part, '-');
      max = MAX (max, g_ascii_strtoll (dash != NULL ? dash + 1 : part, NULL, 10));
    }
  return max;
}

/* The first NUMA node of <cpu><numa>, or NULL. */
static xmlNode *
first_numa_cell (GhDomainEditor *self)
{
  xmlNode *cpu = _gh_xml_first_child (self->root, "cpu");

  return _gh_xml_first_child (_gh_xml_first_child (cpu, "numa"), "cell");
}

static guint
count_numa_cells (GhDomainEditor *self)
{
  guint n = 0;

  for (xmlNode *cell = first_numa_cell (self); cell != NULL;
       cell = _gh_xml_next_element (cell->next, "cell"))
    n++;
  return n;
}

gboolean
gh_domain_editor_set_memory (GhDomainEditor  *self,
                             guint64          bytes,
                             GError         **error)
{
  static const char * const after[] = { "description", "title", "uuid", "name", NULL };
  xmlNode *memory;
  xmlNode *current;
  guint n_cells;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (bytes < 1024 * 1024)
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not change the memory"),
                     _("A machine needs at least one mebibyte of memory"));
      return FALSE;
    }

  /* libvirt makes a NUMA machine's memory the sum of its nodes', whatever <memory> says:
   * one node follows the new size; several are the user's own split. */
  n_cells = count_numa_cells (self);
  if (n_cells > 1)
    {
      g_autofree char *detail = NULL;

      /* Translators: %u is a number of NUMA nodes, at least 2 */
      detail = g_strdup_printf (_("its memory is split over %u NUMA nodes, which libvirt adds "
                                  "up instead; change the nodes' memory with virsh edit"),
                                n_cells);
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the memory"), detail);
      return FALSE;
    }
  if (n_cells == 1)
    {
      xmlNode *cell = first_numa_cell (self);
      g_autofree char *kib = g_strdup_printf ("%" G_GUINT64_FORMAT, (bytes + 1023) / 1024);

      _gh_xml_set_prop (cell, "memory", kib);
      _gh_xml_set_prop (cell, "unit", "KiB");
    }

  memory = _gh_xml_first_child (self->root, "memory");
  if (memory == NULL)
    {
      xmlNode *ref = NULL;

      for (guint i = 0; after[i] != NULL && ref == NULL; i++)
        ref = _gh_xml_first_child (self->root, after[i]);
      memory = _gh_xml_insert_after (self->root, new_element (self, "memory"), ref);
    }
  set_scaled_kib (memory, bytes);

  current = _gh_xml_first_child (self->root, "currentMemory");
  if (current != NULL)
    set_scaled_kib (current, bytes);

  return TRUE;
}

guint
gh_domain_editor_get_vcpus (GhDomainEditor *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), 0);

  text = _gh_xml_dup_content (_gh_xml_first_child (self->root, "vcpu"));
  if (text == NULL)
    return 1;

  return (guint) g_ascii_strtoull (g_strstrip (text), NULL, 10);
}

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

/* libvirt wants sockets × dies × cores × threads to be the vCPU count: keep the cores
 * and threads a socket has when they still divide it, else give one socket all of them
 * (guests such as Windows count sockets against their licence, never cores). */
static void
fit_topology (xmlNode *topology,
              guint    vcpus)
{
  guint64 dies = 1, cores = 1, threads = 1;
  guint64 per_socket;

  _gh_xml_prop_uint (topology, "dies", &dies);
  _gh_xml_prop_uint (topology, "cores", &cores);
  _gh_xml_prop_uint (topology, "threads", &threads);
  per_socket = MAX (dies * cores * threads, 1);

  if (vcpus % per_socket == 0)
    {
      _gh_xml_set_prop_uint (topology, "sockets", vcpus / per_socket);
      return;
    }

  _gh_xml_set_prop_uint (topology, "sockets", 1);
  if (xmlHasProp (topology, (const xmlChar *) "dies"))
    _gh_xml_set_prop_uint (topology, "dies", 1);
  _gh_xml_set_prop_uint (topology, "cores", vcpus);
  _gh_xml_set_prop_uint (topology, "threads", 1);
}

gboolean
gh_domain_editor_set_vcpus (GhDomainEditor  *self,
                            guint            vcpus,
                            GError         **error)
{
  static const char * const after[] = { "currentMemory", "memory", "uuid", "name", NULL };
  g_autofree char *text = NULL;
  xmlNode *vcpu;
  xmlNode *topology;
  guint n_cells;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (vcpus == 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not change the processors"),
                     _("A machine needs at least one processor"));
      return FALSE;
    }

  /* Per-vCPU settings (hotplug order, which are on) describe each vCPU by number. */
  if (_gh_xml_first_child (self->root, "vcpus") != NULL
      && vcpus != gh_domain_editor_get_vcpus (self))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the processors"),
                     _("The machine describes each of its processors on its own; change "
                       "them with virsh edit"));
      return FALSE;
    }

  /* NUMA nodes name their vCPUs by number: one node follows the new count, several are
   * the user's own split, which libvirt refuses to leave naming vCPUs that are gone. */
  n_cells = count_numa_cells (self);
  if (n_cells > 1 && vcpus != gh_domain_editor_get_vcpus (self))
    {
      g_autofree char *detail = NULL;

      /* Translators: %u is a number of NUMA nodes, at least 2 */
      detail = g_strdup_printf (_("its processors are split over %u NUMA nodes; change the "
                                  "nodes' processors with virsh edit"), n_cells);
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the processors"), detail);
      return FALSE;
    }
  /* Pinning of vCPUs that are gone goes with them, as libvirt would drop it; scheduling
   * settings name ranges of them, which libvirt refuses to keep naming vCPUs that are
   * gone: checked before anything changes. */
  {
    xmlNode *cputune = _gh_xml_first_child (self->root, "cputune");
    xmlNode *next;

    for (xmlNode *sched = _gh_xml_first_child (cputune, "vcpusched"); sched != NULL;
         sched = _gh_xml_next_element (sched->next, "vcpusched"))
      {
        g_autofree char *list = _gh_xml_dup_prop (sched, "vcpus");

        if (cpu_list_max (list) >= (gint64) vcpus)
          {
            _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the processors"),
                           _("its scheduling settings name processors it would no longer "
                             "have; change them with virsh edit first"));
            return FALSE;
          }
      }
    for (xmlNode *pin = _gh_xml_first_child (cputune, "vcpupin"); pin != NULL; pin = next)
      {
        g_autofree char *number = _gh_xml_dup_prop (pin, "vcpu");

        next = _gh_xml_next_element (pin->next, "vcpupin");
        if (number != NULL && g_ascii_strtoull (number, NULL, 10) >= vcpus)
          _gh_xml_remove_node (pin);
      }
  }

  if (n_cells == 1)
    {
      xmlNode *cell = first_numa_cell (self);
      g_autofree char *cpus = vcpus > 1 ? g_strdup_printf ("0-%u", vcpus - 1) : g_strdup ("0");

      _gh_xml_set_prop (cell, "cpus", cpus);
    }

  vcpu = _gh_xml_first_child (self->root, "vcpu");
  if (vcpu == NULL)
    {
      xmlNode *ref = NULL;

      for (guint i = 0; after[i] != NULL && ref == NULL; i++)
        ref = _gh_xml_first_child (self->root, after[i]);
      vcpu = _gh_xml_insert_after (self->root, new_element (self, "vcpu"), ref);
    }

  text = g_strdup_printf ("%u", vcpus);
  _gh_xml_set_text (vcpu, text);
  if (xmlHasProp (vcpu, (const xmlChar *) "current"))
    _gh_xml_set_prop (vcpu, "current", text);

  topology = _gh_xml_first_child (_gh_xml_first_child (self->root, "cpu"), "topology");
  if (topology != NULL)
    fit_topology (topology, vcpus);

  return TRUE;
}

/* ---- Boot order -------------------------------------------------------------------- */

static gboolean
device_boots (xmlNode *device)
{
  return _gh_xml_first_child (device, "boot") != NULL;
}

gboolean
gh_domain_editor_get_boot_per_device (GhDomainEditor *self)
{
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    if (device_boots (device))
      return TRUE;

  return FALSE;
}

/* How a boot order names @device: see gh_domain_editor_dup_boot_order(). */
static char *
dup_device_key (xmlNode *device)
{
  const char *kind = (const char *) device->name;
  guint index = 0;

  if (_gh_xml_is_element (device, "disk"))
    {
      g_autofree char *target = _gh_xml_dup_prop (_gh_xml_first_child (device, "target"), "dev");

      if (target != NULL)
        return g_strconcat ("disk:", target, NULL);
    }
  else if (_gh_xml_is_element (device, "interface"))
    {
      g_autofree char *mac = _gh_xml_dup_prop (_gh_xml_first_child (device, "mac"), "address");

      if (mac != NULL)
        return g_strconcat ("interface:", mac, NULL);
    }

  for (xmlNode *other = _gh_xml_first_child (device->parent, kind); other != device;
       other = _gh_xml_next_element (other->next, kind))
    index++;

  return g_strdup_printf ("%s:%u", kind, index);
}

typedef struct
{
  guint64  order;
  char    *key;
} BootEntry;

static int
compare_boot_entries (gconstpointer a,
                      gconstpointer b)
{
  const BootEntry *ea = a, *eb = b;

  return ea->order < eb->order ? -1 : ea->order > eb->order;
}

/**
 * gh_domain_editor_dup_boot_order:
 *
 * Returns: (transfer full): the boot devices, first first; empty when the domain says
 *   nothing (libvirt then boots from the first disk).
 */
GStrv
gh_domain_editor_dup_boot_order (GhDomainEditor *self)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  if (gh_domain_editor_get_boot_per_device (self))
    {
      g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (BootEntry));
      xmlNode *devices = _gh_xml_first_child (self->root, "devices");

      for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
           device = _gh_xml_next_element (device->next, NULL))
        {
          BootEntry entry = { 0, NULL };

          if (!device_boots (device))
            continue;
          _gh_xml_prop_uint (_gh_xml_first_child (device, "boot"), "order", &entry.order);
          entry.key = dup_device_key (device);
          g_array_append_val (entries, entry);
        }

      g_array_sort (entries, compare_boot_entries);
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (order, g_array_index (entries, BootEntry, i).key);
    }
  else
    {
      xmlNode *os = _gh_xml_first_child (self->root, "os");

      for (xmlNode *boot = _gh_xml_first_child (os, "boot"); boot != NULL;
           boot = _gh_xml_next_element (boot->next, "boot"))
        {
          char *dev = _gh_xml_dup_prop (boot, "dev");

          if (dev != NULL)
            g_ptr_array_add (order, dev);
        }
    }

  g_ptr_array_add (order, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&order), FALSE);
}

static xmlNode *
find_device_by_key (GhDomainEditor *self,
                    const char     *key)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    {
      g_autofree char *device_key = dup_device_key (device);

      if (g_strcmp0 (device_key, key) == 0)
        return device;
    }

  return NULL;
}

static gboolean
set_boot_per_device (GhDomainEditor      *self,
                     const char * const  *order,
                     GError             **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  /* Every name is checked before anything changes. */
  for (guint i = 0; order[i] != NULL; i++)
    {
      xmlNode *device = find_device_by_key (self, order[i]);

      if (device == NULL || g_ptr_array_find (targets, device, NULL))
        {
          g_autofree char *detail = NULL;

          /* Translators: %s names a device, such as disk:vda */
          detail = g_strdup_printf (device == NULL ? _("The machine has no device “%s”")
                                                   : _("“%s” is in the list twice"),
                                    order[i]);
          _gh_error_set (error, GH_ERROR_NOT_FOUND, _("Could not change the boot order"),
                         detail);
          return FALSE;
        }
      g_ptr_array_add (targets, device);
    }

  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    {
      xmlNode *boot;

      while ((boot = _gh_xml_first_child (device, "boot")) != NULL)
        _gh_xml_remove_node (boot);
    }

  for (guint i = 0; i < targets->len; i++)
    {
      xmlNode *boot = new_element (self, "boot");

      _gh_xml_set_prop_uint (boot, "order", i + 1);
      _gh_xml_insert_child (g_ptr_array_index (targets, i), boot, NULL);
    }

  return TRUE;
}

static gboolean
set_boot_os (GhDomainEditor      *self,
             const char * const  *order,
             GError             **error)
{
  static const char * const known[] = { "hd", "cdrom", "network", "fd", NULL };
  xmlNode *os = _gh_xml_first_child (self->root, "os");
  xmlNode *before = NULL;
  xmlNode *boot;

  for (guint i = 0; order[i] != NULL; i++)
    {
      if (!g_strv_contains (known, order[i]))
        {
          g_autofree char *detail = NULL;

          /* Translators: %s is what was asked for, such as “disk:vda” */
          detail = g_strdup_printf (_("“%s” is not a kind of boot device"), order[i]);
          _gh_error_set (error, GH_ERROR_FAILED, _("Could not change the boot order"),
                         detail);
          return FALSE;
        }
    }

  if (os == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the boot order"),
                     _("The machine’s description has no operating system section"));
      return FALSE;
    }

  /* The new list goes where the old one was. */
  boot = _gh_xml_last_child (os, "boot");
  if (boot != NULL)
    before = _gh_xml_next_element (boot->next, NULL);
  while ((boot = _gh_xml_first_child (os, "boot")) != NULL)
    _gh_xml_remove_node (boot);

  for (guint i = 0; order[i] != NULL; i++)
    {
      boot = new_element (self, "boot");
      _gh_xml_set_prop (boot, "dev", order[i]);
      _gh_xml_insert_child (os, boot, before);
    }

  return TRUE;
}

gboolean
gh_domain_editor_set_boot_order (GhDomainEditor      *self,
                                 const char * const  *order,
                                 GError             **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (gh_domain_editor_get_boot_per_device (self))
    return set_boot_per_device (self, order, error);

  return set_boot_os (self, order, error);
}

/* ---- Disks ------------------------------------------------------------------------- */

static GhDomainEditorDisk *
disk_new (xmlNode *node)
{
  GhDomainEditorDisk *disk = g_new0 (GhDomainEditorDisk, 1);
  xmlNode *target = _gh_xml_first_child (node, "target");
  xmlNode *source = _gh_xml_first_child (node, "source");

  disk->device = _gh_xml_dup_prop (node, "device");
  if (disk->device == NULL)
    disk->device = g_strdup ("disk");
  disk->target = _gh_xml_dup_prop (target, "dev");
  disk->bus = _gh_xml_dup_prop (target, "bus");
  disk->path = _gh_xml_dup_prop (source, "file");
  if (disk->path == NULL)
    disk->path = _gh_xml_dup_prop (source, "dev");
  disk->pool = _gh_xml_dup_prop (source, "pool");
  disk->volume = _gh_xml_dup_prop (source, "volume");
  disk->format = _gh_xml_dup_prop (_gh_xml_first_child (node, "driver"), "type");
  disk->readonly = _gh_xml_first_child (node, "readonly") != NULL;

  return disk;
}

static GPtrArray *
dup_disks (GhDomainEditor *self,
           const char     *device)
{
  GPtrArray *disks = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_editor_disk_free);
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "disk"); node != NULL;
       node = _gh_xml_next_element (node->next, "disk"))
    {
      GhDomainEditorDisk *disk = disk_new (node);

      if (device == NULL || g_strcmp0 (disk->device, device) == 0)
        g_ptr_array_add (disks, disk);
      else
        gh_domain_editor_disk_free (disk);
    }

  return disks;
}

GPtrArray *
gh_domain_editor_dup_disks (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return dup_disks (self, NULL);
}

GPtrArray *
gh_domain_editor_dup_cdroms (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return dup_disks (self, "cdrom");
}

static xmlNode *
find_disk (GhDomainEditor  *self,
           const char      *target,
           const char      *device,
           const char      *what,
           GError         **error)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");
  g_autofree char *detail = NULL;

  for (xmlNode *node = _gh_xml_first_child (devices, "disk"); node != NULL;
       node = _gh_xml_next_element (node->next, "disk"))
    {
      if (!_gh_xml_prop_equals (_gh_xml_first_child (node, "target"), "dev", target))
        continue;
      if (device == NULL || _gh_xml_prop_equals (node, "device", device))
        return node;
    }

  if (g_strcmp0 (device, "cdrom") == 0)
    /* Translators: %s is a drive's name in the machine, such as sda */
    detail = g_strdup_printf (_("The machine has no CD-ROM drive “%s”"), target);
  else
    /* Translators: %s is a disk's name in the machine, such as vda */
    detail = g_strdup_printf (_("The machine has no disk “%s”"), target);
  _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
  return NULL;
}

gboolean
gh_domain_editor_insert_cdrom (GhDomainEditor  *self,
                               const char      *target,
                               const char      *path,
                               GError         **error)
{
  g_autofree char *policy = NULL;
  xmlNode *disk;
  xmlNode *source;
  xmlNode *old;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (path != NULL && path[0] != '\0', FALSE);

  if (!gh_text_check (path, GH_TEXT_PATH, _("Could not insert the disc"), error))
    return FALSE;

  disk = find_disk (self, target, "cdrom", _("Could not insert the disc"), error);
  if (disk == NULL)
    return FALSE;

  /* A fresh <source>: whatever the old one named (a pool's volume, a host drive) goes,
   * but whether a missing image may stop the machine from starting stays. */
  old = _gh_xml_first_child (disk, "source");
  policy = _gh_xml_dup_prop (old, "startupPolicy");
  source = new_element (self, "source");
  _gh_xml_set_prop (source, "file", path);
  if (policy != NULL)
    _gh_xml_set_prop (source, "startupPolicy", policy);

  _gh_xml_set_prop (disk, "type", "file");
  if (old != NULL)
    {
      xmlReplaceNode (old, source);
      xmlFreeNode (old);
    }
  else
    {
      xmlNode *driver = _gh_xml_first_child (disk, "driver");

      _gh_xml_insert_child (disk, source,
                            driver != NULL ? _gh_xml_next_element (driver->next, NULL)
                                           : _gh_xml_first_child (disk, NULL));
    }

  return TRUE;
}

gboolean
gh_domain_editor_eject_cdrom (GhDomainEditor  *self,
                              const char      *target,
                              GError         **error)
{
  xmlNode *disk;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  disk = find_disk (self, target, "cdrom", _("Could not eject the disc"), error);
  if (disk == NULL)
    return FALSE;

  while ((node = _gh_xml_first_child (disk, "source")) != NULL)
    _gh_xml_remove_node (node);
  while ((node = _gh_xml_first_child (disk, "backingStore")) != NULL)
    _gh_xml_remove_node (node);

  return TRUE;
}

char *
gh_domain_editor_add_disk (GhDomainEditor  *self,
                           const char      *path,
                           const char      *format,
                           gboolean         virtio,
                           GError         **error)
{
  static const char * const after[] = { "disk", "emulator", NULL };
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *target = NULL;
  g_autofree char *escaped_path = NULL;
  g_autofree char *escaped_format = NULL;
  g_autofree char *xml = NULL;
  const char *prefix = virtio ? "vd" : "sd";

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  if (format == NULL)
    format = g_str_has_suffix (path, ".qcow2") ? "qcow2" : "raw";

  disks = dup_disks (self, NULL);
  for (guint i = 0; i < disks->len; i++)
    {
      GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);

      if (disk->target != NULL)
        g_hash_table_add (used, g_strdup (disk->target));
    }

  for (char letter = 'a'; letter <= 'z' && target == NULL; letter++)
    {
      g_autofree char *name = g_strdup_printf ("%s%c", prefix, letter);

      if (!g_hash_table_contains (used, name))
        target = g_steal_pointer (&name);
    }

  if (target == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not add the disk"),
                     _("The machine has no free place for another disk on that bus"));
      return NULL;
    }

  escaped_path = g_markup_escape_text (path, -1);
  escaped_format = g_markup_escape_text (format, -1);
  xml = g_strdup_printf ("<disk type='file' device='disk'>"
                         "<driver name='qemu' type='%s'/>"
                         "<source file='%s'/>"
                         "<target dev='%s' bus='%s'/>"
                         "</disk>",
                         escaped_format, escaped_path, target, virtio ? "virtio" : "sata");
  insert_device (self, parse_element (self, xml), after);

  return g_steal_pointer (&target);
}

gboolean
gh_domain_editor_remove_disk (GhDomainEditor  *self,
                              const char      *target,
                              GError         **error)
{
  xmlNode *disk;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  disk = find_disk (self, target, NULL, _("Could not remove the disk"), error);
  if (disk == NULL)
    return FALSE;

  _gh_xml_remove_node (disk);
  return TRUE;
}

/* ---- Host devices ------------------------------------------------------------------ */

typedef struct
{
  guint domain, bus, slot, function;
} PciAddress;

static gboolean
parse_pci_address (const char *text,
                   PciAddress *address)
{
  int end = -1;

  if (text == NULL)
    return FALSE;

  address->domain = 0;
  if (sscanf (text, "%x:%x:%x.%x%n", &address->domain, &address->bus, &address->slot,
              &address->function, &end) == 4 && end == (int) strlen (text))
    ;
  else if (end = -1, address->domain = 0,
           sscanf (text, "%x:%x.%x%n", &address->bus, &address->slot,
                   &address->function, &end) == 3 && end == (int) strlen (text))
    ;
  else
    return FALSE;

  return address->domain <= 0xffff && address->bus <= 0xff && address->slot <= 0x1f
         && address->function <= 7;
}

static char *
pci_address_to_string (const PciAddress *address)
{
  return g_strdup_printf ("%04x:%02x:%02x.%x", address->domain, address->bus,
                          address->slot, address->function);
}

static gboolean
read_pci_address (xmlNode    *node,
                  PciAddress *address)
{
  guint64 domain = 0, bus, slot, function;

  if (node == NULL)
    return FALSE;

  /* libvirt defaults the domain to 0; the rest it needs. */
  _gh_xml_prop_uint (node, "domain", &domain);
  if (!_gh_xml_prop_uint (node, "bus", &bus) || !_gh_xml_prop_uint (node, "slot", &slot)
      || !_gh_xml_prop_uint (node, "function", &function))
    return FALSE;

  address->domain = domain;
  address->bus = bus;
  address->slot = slot;
  address->function = function;
  return TRUE;
}

/* The <source><address> of a <hostdev>, or NULL. */
static xmlNode *
source_address (xmlNode *hostdev)
{
  return _gh_xml_first_child (_gh_xml_first_child (hostdev, "source"), "address");
}

static gboolean
is_hostdev (xmlNode    *node,
            const char *type)
{
  return _gh_xml_is_element (node, "hostdev") && _gh_xml_prop_equals (node, "mode", "subsystem")
         && _gh_xml_prop_equals (node, "type", type);
}

static GhDomainHostdev *
hostdev_new (xmlNode *node)
{
  GhDomainHostdev *hostdev = g_new0 (GhDomainHostdev, 1);
  xmlNode *source = _gh_xml_first_child (node, "source");
  g_autofree char *managed = _gh_xml_dup_prop (node, "managed");

  hostdev->managed = g_strcmp0 (managed, "yes") == 0;

  if (is_hostdev (node, "pci"))
    {
      PciAddress address;

      hostdev->kind = GH_DOMAIN_HOSTDEV_PCI;
      if (read_pci_address (_gh_xml_first_child (source, "address"), &address))
        hostdev->address = pci_address_to_string (&address);
    }
  else if (is_hostdev (node, "usb"))
    {
      xmlNode *address = _gh_xml_first_child (source, "address");
      guint64 value, bus, device;

      hostdev->kind = GH_DOMAIN_HOSTDEV_USB;
      if (_gh_xml_prop_uint (_gh_xml_first_child (source, "vendor"), "id", &value))
        hostdev->vendor_id = value;
      if (_gh_xml_prop_uint (_gh_xml_first_child (source, "product"), "id", &value))
        hostdev->product_id = value;
      if (_gh_xml_prop_uint (address, "bus", &bus)
          && _gh_xml_prop_uint (address, "device", &device))
        hostdev->address = g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT,
                                            bus, device);
    }
  else if (is_hostdev (node, "mdev"))
    {
      g_autofree char *display = _gh_xml_dup_prop (node, "display");

      hostdev->kind = GH_DOMAIN_HOSTDEV_MDEV;
      hostdev->uuid = _gh_xml_dup_prop (_gh_xml_first_child (source, "address"), "uuid");
      hostdev->model = _gh_xml_dup_prop (node, "model");
      hostdev->display = g_strcmp0 (display, "on") == 0;
    }
  else
    {
      hostdev->kind = GH_DOMAIN_HOSTDEV_OTHER;
    }

  return hostdev;
}

GPtrArray *
gh_domain_editor_dup_hostdevs (GhDomainEditor *self)
{
  GPtrArray *hostdevs = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_hostdev_free);
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), hostdevs);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    g_ptr_array_add (hostdevs, hostdev_new (node));

  return hostdevs;
}

static xmlNode *
find_pci_hostdev (GhDomainEditor   *self,
                  const PciAddress *wanted)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      PciAddress address;

      if (is_hostdev (node, "pci")
          && read_pci_address (source_address (node), &address)
          && memcmp (&address, wanted, sizeof address) == 0)
        return node;
    }

  return NULL;
}

static const char * const hostdev_after[] = { "hostdev", "video", "graphics", "input", NULL };

static void
set_invalid_address (GError     **error,
                     const char  *what,
                     const char  *address)
{
  g_autofree char *detail = NULL;

  /* Translators: %s is what was given as a PCI address */
  detail = g_strdup_printf (_("“%s” is not a PCI address such as 0000:01:00.0"), address);
  _gh_error_set (error, GH_ERROR_FAILED, what, detail);
}

gboolean
gh_domain_editor_attach_pci_hostdevs (GhDomainEditor      *self,
                                      const char * const  *addresses,
                                      GError             **error)
{
  g_autoptr(GArray) parsed = g_array_new (FALSE, FALSE, sizeof (PciAddress));

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (addresses != NULL, FALSE);

  /* All or nothing: a GPU without its audio function is worse than no GPU. */
  for (guint i = 0; addresses[i] != NULL; i++)
    {
      PciAddress address;

      if (!parse_pci_address (addresses[i], &address))
        {
          set_invalid_address (error, _("Could not give the device to the machine"),
                               addresses[i]);
          return FALSE;
        }
      g_array_append_val (parsed, address);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      const PciAddress *address = &g_array_index (parsed, PciAddress, i);
      g_autofree char *xml = NULL;

      if (find_pci_hostdev (self, address) != NULL)
        continue;

      xml = g_strdup_printf ("<hostdev mode='subsystem' type='pci' managed='yes'>"
                             "<driver name='vfio'/>"
                             "<source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                             "function='0x%x'/></source>"
                             "</hostdev>",
                             address->domain, address->bus, address->slot, address->function);
      insert_device (self, parse_element (self, xml), hostdev_after);
    }

  return TRUE;
}

gboolean
gh_domain_editor_detach_pci_hostdev (GhDomainEditor  *self,
                                     const char      *address,
                                     GError         **error)
{
  const char *what = _("Could not take the device away from the machine");
  PciAddress parsed;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (!parse_pci_address (address, &parsed))
    {
      set_invalid_address (error, what, address);
      return FALSE;
    }

  node = find_pci_hostdev (self, &parsed);
  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a PCI address */
      detail = g_strdup_printf (_("The machine has no host device %s"), address);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  return TRUE;
}

/* libvirt refuses every USB device, the tablet and USB redirection included, of a
 * machine whose definition turns USB off: <controller type='usb' model='none'/>. */
gboolean
gh_domain_editor_get_has_usb (GhDomainEditor *self)
{
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "controller"); node != NULL;
       node = _gh_xml_next_element (node->next, "controller"))
    if (_gh_xml_prop_equals (node, "type", "usb") && _gh_xml_prop_equals (node, "model", "none"))
      return FALSE;

  return TRUE;
}

gboolean
gh_domain_editor_get_has_graphics (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  return _gh_xml_first_child (_gh_xml_first_child (self->root, "devices"), "graphics") != NULL;
}

static xmlNode *
find_mdev (GhDomainEditor *self,
           const char     *uuid)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      g_autofree char *node_uuid = NULL;

      if (!is_hostdev (node, "mdev"))
        continue;
      node_uuid = _gh_xml_dup_prop (source_address (node), "uuid");
      if (node_uuid != NULL && g_ascii_strcasecmp (node_uuid, uuid) == 0)
        return node;
    }

  return NULL;
}

gboolean
gh_domain_editor_attach_mdev (GhDomainEditor  *self,
                              const char      *uuid,
                              const char      *model,
                              gboolean         display,
                              GError         **error)
{
  g_autofree char *escaped_model = NULL;
  g_autofree char *xml = NULL;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is what was given as a mediated device's UUID */
      detail = g_strdup_printf (_("“%s” is not the UUID of a mediated device"),
                                uuid != NULL ? uuid : "");
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not give the virtual GPU to the machine"),
                     detail);
      return FALSE;
    }

  /* libvirt shows a virtual GPU's screen through the machine's display, and refuses
   * display='on' where there is none. */
  if (display && !gh_domain_editor_get_has_graphics (self))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED,
                     _("Could not give the virtual GPU to the machine"),
                     _("The machine has no display to show the virtual GPU’s screen on: give "
                       "it a display first, or attach the GPU with its screen off"));
      return FALSE;
    }

  escaped_model = g_markup_escape_text (model != NULL ? model : "vfio-pci", -1);
  node = find_mdev (self, uuid);
  if (node != NULL)
    {
      /* Already there: only its display may change. */
      _gh_xml_set_prop (node, "display", display ? "on" : "off");
      return TRUE;
    }

  xml = g_strdup_printf ("<hostdev mode='subsystem' type='mdev' model='%s' display='%s'>"
                         "<source><address uuid='%s'/></source>"
                         "</hostdev>",
                         escaped_model, display ? "on" : "off", uuid);
  insert_device (self, parse_element (self, xml), hostdev_after);

  return TRUE;
}

/* ---- Greenhouse's own metadata ------------------------------------------------------ */

/* The child of @parent named @name in Greenhouse's metadata namespace, whatever prefix
 * libvirt or another tool gave it. */
static xmlNode *
find_own_child (xmlNode    *parent,
                const char *name)
{
  for (xmlNode *child = parent != NULL ? parent->children : NULL; child != NULL;
       child = child->next)
    if (child->type == XML_ELEMENT_NODE && child->ns != NULL
        && g_strcmp0 ((const char *) child->ns->href, GH_DOMAIN_METADATA_NS) == 0
        && strcmp ((const char *) child->name, name) == 0)
      return child;

  return NULL;
}

static xmlNode *
find_made_mdev (GhDomainEditor *self,
                const char     *uuid)
{
  xmlNode *own = find_own_child (_gh_xml_first_child (self->root, "metadata"), "greenhouse");

  for (xmlNode *child = own != NULL ? own->children : NULL; child != NULL; child = child->next)
    {
      g_autofree char *made_uuid = NULL;

      if (child->type != XML_ELEMENT_NODE || child->ns == NULL
          || g_strcmp0 ((const char *) child->ns->href, GH_DOMAIN_METADATA_NS) != 0
          || strcmp ((const char *) child->name, "made-mdev") != 0)
        continue;
      made_uuid = _gh_xml_dup_prop (child, "uuid");
      if (made_uuid != NULL && g_ascii_strcasecmp (made_uuid, uuid) == 0)
        return child;
    }

  return NULL;
}

/**
 * gh_domain_editor_mark_mdev_made:
 * @uuid: the mediated device's UUID
 * @node_device: its node device name on the host ("mdev_<uuid>_<parent>")
 *
 * Records in the domain's own metadata that Greenhouse made the mediated device @uuid
 * for this machine, so that taking it away can remove it from the host again. A device
 * the user made elsewhere is never marked, and so never removed.
 */
void
gh_domain_editor_mark_mdev_made (GhDomainEditor *self,
                                 const char     *uuid,
                                 const char     *node_device)
{
  static const char * const after[] = { "description", "title", "uuid", "name", NULL };
  g_autofree char *escaped_uuid = NULL;
  g_autofree char *escaped_device = NULL;
  g_autofree char *xml = NULL;
  xmlNode *metadata;
  xmlNode *own;

  g_return_if_fail (GH_IS_DOMAIN_EDITOR (self));
  g_return_if_fail (uuid != NULL && node_device != NULL);

  if (find_made_mdev (self, uuid) != NULL)
    return;

  metadata = _gh_xml_first_child (self->root, "metadata");
  if (metadata == NULL)
    {
      xmlNode *ref = NULL;

      for (guint i = 0; after[i] != NULL && ref == NULL; i++)
        ref = _gh_xml_first_child (self->root, after[i]);
      metadata = _gh_xml_insert_after (self->root, new_element (self, "metadata"), ref);
    }

  own = find_own_child (metadata, "greenhouse");
  if (own == NULL)
    {
      xml = g_strdup_printf ("<greenhouse:greenhouse xmlns:greenhouse='%s'/>",
                             GH_DOMAIN_METADATA_NS);
      own = _gh_xml_insert_child (metadata, parse_element (self, xml), NULL);
      g_clear_pointer (&xml, g_free);
    }

  escaped_uuid = g_markup_escape_text (uuid, -1);
  escaped_device = g_markup_escape_text (node_device, -1);
  /* The fragment parser gives the element its own copy of the namespace: point it at
   * the one its parent declares, so the document declares it once. */
  xml = g_strdup_printf ("<greenhouse:made-mdev xmlns:greenhouse='%s' uuid='%s' device='%s'/>",
                         GH_DOMAIN_METADATA_NS, escaped_uuid, escaped_device);
  {
    xmlNode *made = parse_element (self, xml);

    xmlSetNs (made, own->ns);
    if (made->nsDef != NULL)
      {
        xmlFreeNsList (made->nsDef);
        made->nsDef = NULL;
      }
    _gh_xml_insert_child (own, made, NULL);
  }
}

/**
 * gh_domain_editor_dup_mdev_made:
 *
 * Returns: (nullable): the node device name of the mediated device @uuid when
 *   Greenhouse made it for this machine, else %NULL
 */
char *
gh_domain_editor_dup_mdev_made (GhDomainEditor *self,
                                const char     *uuid)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return _gh_xml_dup_prop (find_made_mdev (self, uuid), "device");
}

/* Forgets that Greenhouse made @uuid, and the elements that held only that. */
static void
unmark_mdev_made (GhDomainEditor *self,
                  const char     *uuid)
{
  xmlNode *made = find_made_mdev (self, uuid);
  xmlNode *own;
  xmlNode *metadata;

  if (made == NULL)
    return;

  own = made->parent;
  metadata = own->parent;
  _gh_xml_remove_node (made);
  if (_gh_xml_next_element_any (own->children) == NULL)
    _gh_xml_remove_node (own);
  if (_gh_xml_next_element_any (metadata->children) == NULL)
    _gh_xml_remove_node (metadata);
}

gboolean
gh_domain_editor_detach_mdev (GhDomainEditor  *self,
                              const char      *uuid,
                              GError         **error)
{
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  node = find_mdev (self, uuid);
  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a UUID */
      detail = g_strdup_printf (_("The machine has no virtual GPU %s"), uuid);
      _gh_error_set (error, GH_ERROR_NOT_FOUND,
                     _("Could not take the virtual GPU away from the machine"), detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  unmark_mdev_made (self, uuid);
  return TRUE;
}

/* ---- An express install's install phase -------------------------------------------- */

static xmlNode *
find_express_install (GhDomainEditor *self)
{
  xmlNode *own = find_own_child (_gh_xml_first_child (self->root, "metadata"), "greenhouse");

  return find_own_child (own, "express-install");
}

/**
 * gh_domain_editor_get_express_install:
 * @kernel: (out) (optional): the install phase's kernel
 * @initrd: (out) (optional): its initrd, which holds the installer's answers
 *
 * Returns: whether the domain is in the install phase of an express install
 */
gboolean
gh_domain_editor_get_express_install (GhDomainEditor  *self,
                                      char           **kernel,
                                      char           **initrd)
{
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  node = find_express_install (self);
  if (kernel != NULL)
    *kernel = _gh_xml_dup_prop (node, "kernel");
  if (initrd != NULL)
    *initrd = _gh_xml_dup_prop (node, "initrd");
  return node != NULL;
}

/* The boot entries of the disks (not CD-ROMs) first, the others after them. */
static GStrv
dup_boot_order_disks_first (GhDomainEditor *self)
{
  g_auto(GStrv) order = gh_domain_editor_dup_boot_order (self);
  g_autoptr(GPtrArray) disks = g_ptr_array_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  GPtrArray *result;

  if (gh_domain_editor_get_boot_per_device (self))
    {
      for (guint i = 0; order[i] != NULL; i++)
        {
          xmlNode *device = find_device_by_key (self, order[i]);

          if (device != NULL && _gh_xml_is_element (device, "disk")
              && (_gh_xml_prop_equals (device, "device", "disk")
                  || xmlHasProp (device, (const xmlChar *) "device") == NULL))
            g_ptr_array_add (disks, order[i]);
          else
            g_ptr_array_add (others, order[i]);
        }
    }
  else
    {
      for (guint i = 0; order[i] != NULL; i++)
        g_ptr_array_add (g_str_equal (order[i], "hd") ? disks : others, order[i]);
    }

  result = g_ptr_array_new ();
  for (guint i = 0; i < disks->len; i++)
    g_ptr_array_add (result, g_strdup (g_ptr_array_index (disks, i)));
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (result, g_strdup (g_ptr_array_index (others, i)));
  g_ptr_array_add (result, NULL);
  return (GStrv) g_ptr_array_free (result, FALSE);
}

/**
 * gh_domain_editor_end_express_install:
 *
 * Turns the install phase of an express install into the installed machine: no
 * installer kernel, initrd or command line, a reboot restarts it again, the install
 * media is ejected and the disks boot first. Greenhouse's note of the install goes; the
 * two files it names are the caller's to delete.
 */
gboolean
gh_domain_editor_end_express_install (GhDomainEditor  *self,
                                      GError         **error)
{
  static const char * const boot_files[] = { "kernel", "initrd", "cmdline", NULL };
  g_auto(GStrv) order = NULL;
  xmlNode *note;
  xmlNode *os;
  xmlNode *on_reboot;
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  note = find_express_install (self);
  if (note == NULL)
    {
      _gh_error_set (error, GH_ERROR_INVALID_STATE, _("Could not finish the installation"),
                     _("The machine is not being installed"));
      return FALSE;
    }

  /* Checked before anything changes. */
  order = dup_boot_order_disks_first (self);
  if (!gh_domain_editor_set_boot_order (self, (const char * const *) order, error))
    return FALSE;

  os = _gh_xml_first_child (self->root, "os");
  for (guint i = 0; boot_files[i] != NULL; i++)
    {
      xmlNode *node;

      while ((node = _gh_xml_first_child (os, boot_files[i])) != NULL)
        _gh_xml_remove_node (node);
    }

  on_reboot = _gh_xml_first_child (self->root, "on_reboot");
  if (on_reboot != NULL)
    _gh_xml_set_text (on_reboot, "restart");

  /* An installer that boots again from its CD would install again. */
  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *disk = _gh_xml_first_child (devices, "disk"); disk != NULL;
       disk = _gh_xml_next_element (disk->next, "disk"))
    {
      xmlNode *node;

      if (!_gh_xml_prop_equals (disk, "device", "cdrom"))
        continue;
      while ((node = _gh_xml_first_child (disk, "source")) != NULL)
        _gh_xml_remove_node (node);
      while ((node = _gh_xml_first_child (disk, "backingStore")) != NULL)
        _gh_xml_remove_node (node);
    }

  {
    xmlNode *own = note->parent;
    xmlNode *metadata = own->parent;

    _gh_xml_remove_node (note);
    if (_gh_xml_next_element_any (own->children) == NULL)
      _gh_xml_remove_node (own);
    if (_gh_xml_next_element_any (metadata->children) == NULL)
      _gh_xml_remove_node (metadata);
  }

  return TRUE;
}

/* A USB hostdev by vendor and product (@at FALSE) or by bus and device (@at TRUE). */
static xmlNode *
find_usb (GhDomainEditor *self,
          gboolean        at,
          guint           first,
          guint           second)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      xmlNode *source = _gh_xml_first_child (node, "source");
      guint64 a, b;
      gboolean found;

      if (!is_hostdev (node, "usb"))
        continue;

      if (at)
        found = _gh_xml_prop_uint (_gh_xml_first_child (source, "address"), "bus", &a)
                && _gh_xml_prop_uint (_gh_xml_first_child (source, "address"), "device", &b);
      else
        found = _gh_xml_prop_uint (_gh_xml_first_child (source, "vendor"), "id", &a)
                && _gh_xml_prop_uint (_gh_xml_first_child (source, "product"), "id", &b);

      if (found && a == first && b == second)
        return node;
    }

  return NULL;
}

static gboolean
attach_usb (GhDomainEditor  *self,
            gboolean         at,
            guint            first,
            guint            second,
            GError         **error)
{
  g_autofree char *xml = NULL;

  if (!at && (first > 0xffff || second > 0xffff))
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not give the USB device to the machine"),
                     _("USB vendor and product IDs have four hexadecimal digits"));
      return FALSE;
    }

  if (find_usb (self, at, first, second) != NULL)
    return TRUE;

  if (!gh_domain_editor_get_has_usb (self))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED,
                     _("Could not give the USB device to the machine"),
                     _("The machine’s definition turns USB off (a USB controller of model "
                       "“none”); turn USB on with virsh edit first"));
      return FALSE;
    }

  if (at)
    xml = g_strdup_printf ("<hostdev mode='subsystem' type='usb' managed='yes'>"
                           "<source><address bus='%u' device='%u'/></source>"
                           "</hostdev>", first, second);
  else
    xml = g_strdup_printf ("<hostdev mode='subsystem' type='usb' managed='yes'>"
                           "<source><vendor id='0x%04x'/><product id='0x%04x'/></source>"
                           "</hostdev>", first, second);
  insert_device (self, parse_element (self, xml), hostdev_after);

  return TRUE;
}

static gboolean
detach_usb (GhDomainEditor  *self,
            gboolean         at,
            guint            first,
            guint            second,
            GError         **error)
{
  xmlNode *node = find_usb (self, at, first, second);

  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      if (at)
        /* Translators: a USB device's bus and device numbers */
        detail = g_strdup_printf (_("The machine has no USB device %u.%u"), first, second);
      else
        /* Translators: a USB device's vendor and product IDs */
        detail = g_strdup_printf (_("The machine has no USB device %04x:%04x"), first, second);
      _gh_error_set (error, GH_ERROR_NOT_FOUND,
                     _("Could not take the USB device away from the machine"), detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  return TRUE;
}

gboolean
gh_domain_editor_attach_usb (GhDomainEditor  *self,
                             guint            vendor_id,
                             guint            product_id,
                             GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return attach_usb (self, FALSE, vendor_id, product_id, error);
}

gboolean
gh_domain_editor_detach_usb (GhDomainEditor  *self,
                             guint            vendor_id,
                             guint            product_id,
                             GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return detach_usb (self, FALSE, vendor_id, product_id, error);
}

gboolean
gh_domain_editor_attach_usb_at (GhDomainEditor  *self,
                                guint            bus,
                                guint            device,
                                GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return attach_usb (self, TRUE, bus, device, error);
}

gboolean
gh_domain_editor_detach_usb_at (GhDomainEditor  *self,
                                guint            bus,
                                guint            device,
                                GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return detach_usb (self, TRUE, bus, device, error);
}

/* ---- GPUs -------------------------------------------------------------------------- */

static const GhHostPciDevice *
lookup_gpu (GhHost          *host,
            const char       *address,
            const char       *what,
            GError          **error)
{
  const GhHostPciDevice *gpu = gh_host_lookup_pci (host, address);
  PciAddress parsed;

  /* The host's addresses are written in full: "01:00.0" is the same device. */
  if (gpu == NULL && parse_pci_address (address, &parsed))
    {
      g_autofree char *full = pci_address_to_string (&parsed);

      gpu = gh_host_lookup_pci (host, full);
    }

  if (gpu == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a PCI address */
      detail = g_strdup_printf (_("The host has no PCI device %s"), address);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
    }

  return gpu;
}

gboolean
gh_domain_editor_attach_gpu (GhDomainEditor   *self,
                             GhHost           *host,
                             const char       *address,
                             gboolean          confirm,
                             GError          **error)
{
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  const GhHostPciDevice *gpu;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  /* Translators: %s is a PCI address */
  what = g_strdup_printf (_("Could not give GPU %s to the machine"), address);
  gpu = lookup_gpu (host, address, what, error);
  if (gpu == NULL)
    return FALSE;

  if (!gh_host_gpu_is_passable (host, gpu, confirm, &reason))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what, reason);
      return FALSE;
    }

  functions = gh_host_dup_gpu_functions (host, gpu);
  addresses = g_ptr_array_new ();
  g_ptr_array_add (addresses, gpu->address);
  for (guint i = 0; i < functions->len; i++)
    g_ptr_array_add (addresses, ((GhHostPciDevice *) g_ptr_array_index (functions, i))->address);
  g_ptr_array_add (addresses, NULL);

  return gh_domain_editor_attach_pci_hostdevs (self, (const char * const *) addresses->pdata,
                                               error);
}

gboolean
gh_domain_editor_detach_gpu (GhDomainEditor   *self,
                             GhHost           *host,
                             const char       *address,
                             GError          **error)
{
  g_autofree char *what = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  const GhHostPciDevice *gpu;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  /* Translators: %s is a PCI address */
  what = g_strdup_printf (_("Could not take GPU %s away from the machine"), address);
  gpu = lookup_gpu (host, address, what, error);
  if (gpu == NULL)
    return FALSE;

  if (!gh_domain_editor_detach_pci_hostdev (self, gpu->address, error))
    return FALSE;

  /* Its other functions go with it when they are there; one already gone is no error. */
  functions = gh_host_dup_gpu_functions (host, gpu);
  for (guint i = 0; i < functions->len; i++)
    {
      const GhHostPciDevice *function = g_ptr_array_index (functions, i);
      PciAddress parsed;
      xmlNode *node;

      if (parse_pci_address (function->address, &parsed)
          && (node = find_pci_hostdev (self, &parsed)) != NULL)
        _gh_xml_remove_node (node);
    }

  return TRUE;
}

/* ---- Display ----------------------------------------------------------------------- */

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
gh_domain_editor_set_graphics_path (GhDomainEditor        *self,
                                    const GhGraphicsPath  *path,
                                    GError               **error)
{
  static const char * const graphics_after[] = { "graphics", "input", "channel", "console",
                                                 "serial", "interface", "controller",
                                                 "disk", NULL };
  static const char * const video_after[] = { "video", "audio", "sound", "graphics", NULL };
  static const char * const companion_after[] = { NULL };
  const char *fragments[] = { path->video_xml, path->graphics_xml, path->hostdev_xml,
                              path->companions_xml };
  GPtrArray *parsed[G_N_ELEMENTS (fragments)] = { NULL, };
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  xmlNode *devices;
  KeptDisplayChoices *keep;
  gboolean has_usb;
  gboolean ok = TRUE;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fragments) && ok; i++)
    ok = (parsed[i] = parse_fragment (self, fragments[i], error)) != NULL;
  /* Whatever made the path, the machine never gets a port anyone can open. */
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

  devices = ensure_devices (self);
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
      insert_device (self, g_ptr_array_index (parsed[1], i), graphics_after);
      keep_display_choices (keep, g_ptr_array_index (parsed[1], i));
    }
  for (guint i = 0; i < parsed[0]->len; i++)
    {
      insert_device (self, g_ptr_array_index (parsed[0], i), video_after);
      keep_display_choices (keep, g_ptr_array_index (parsed[0], i));
    }
  kept_display_choices_free (keep);

  for (guint i = 0; i < parsed[2]->len; i++)
    {
      g_autoptr(xmlNode) node = g_ptr_array_index (parsed[2], i);
      xmlNode *address_node = source_address (node);
      g_autofree char *uuid = _gh_xml_dup_prop (address_node, "uuid");
      PciAddress address;

      if (is_hostdev (node, "pci") && read_pci_address (address_node, &address)
          && find_pci_hostdev (self, &address) != NULL)
        continue;
      if (is_hostdev (node, "mdev") && uuid != NULL && find_mdev (self, uuid) != NULL)
        continue;
      insert_device (self, g_steal_pointer (&node), hostdev_after);
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
      insert_device (self, g_steal_pointer (&node),
                     _gh_xml_first_child (devices, kind) != NULL ? after : companion_after);
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

      listen = new_element (self, "listen");
      _gh_xml_set_prop (listen, "type", "socket");
      _gh_xml_insert_child (node, listen, _gh_xml_next_element_any (node->children));
      n_closed++;
    }

  return n_closed;
}

/* ---- Network ----------------------------------------------------------------------- */

GPtrArray *
gh_domain_editor_dup_interfaces (GhDomainEditor *self)
{
  GPtrArray *interfaces =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_interface_free);
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), interfaces);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "interface"); node != NULL;
       node = _gh_xml_next_element (node->next, "interface"))
    {
      GhDomainInterface *iface = g_new0 (GhDomainInterface, 1);
      xmlNode *source = _gh_xml_first_child (node, "source");

      iface->type = _gh_xml_dup_prop (node, "type");
      iface->mac = _gh_xml_dup_prop (_gh_xml_first_child (node, "mac"), "address");
      iface->source = _gh_xml_dup_prop (source, "network");
      if (iface->source == NULL)
        iface->source = _gh_xml_dup_prop (source, "bridge");
      if (iface->source == NULL)
        iface->source = _gh_xml_dup_prop (source, "dev");
      iface->model = _gh_xml_dup_prop (_gh_xml_first_child (node, "model"), "type");
      g_ptr_array_add (interfaces, iface);
    }

  return interfaces;
}

gboolean
gh_domain_editor_set_interface_model (GhDomainEditor  *self,
                                      const char      *mac,
                                      const char      *model,
                                      GError         **error)
{
  xmlNode *devices;
  gboolean found = FALSE;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (model != NULL && model[0] != '\0', FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "interface"); node != NULL;
       node = _gh_xml_next_element (node->next, "interface"))
    {
      xmlNode *model_node;

      if (mac != NULL)
        {
          xmlNode *mac_node = _gh_xml_first_child (node, "mac");
          g_autofree char *node_mac = _gh_xml_dup_prop (mac_node, "address");

          if (node_mac == NULL || g_ascii_strcasecmp (node_mac, mac) != 0)
            continue;
        }

      found = TRUE;
      model_node = _gh_xml_first_child (node, "model");
      if (model_node == NULL)
        model_node = _gh_xml_insert_child (node, new_element (self, "model"), NULL);
      _gh_xml_set_prop (model_node, "type", model);

      /* Queues, offloads and the vhost backend are virtio's alone (transitional or not):
       * libvirt would drop them from another model's card. What we define is what the
       * machine keeps. */
      if (!g_str_has_prefix (model, "virtio"))
        {
          xmlNode *driver = _gh_xml_first_child (node, "driver");

          if (driver != NULL)
            _gh_xml_remove_node (driver);
        }
    }

  if (mac != NULL && !found)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a MAC address */
      detail = g_strdup_printf (_("The machine has no network interface %s"), mac);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, _("Could not change the network card"), detail);
      return FALSE;
    }

  return TRUE;
}

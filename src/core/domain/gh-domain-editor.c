/* gh-domain-editor.c: edits of a domain's own XML that keep what Greenhouse does not know
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"
#include "gh-text.h"

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

/* ---- Making nodes: shared by the parts --------------------------------------------- */

xmlNode *
_gh_domain_editor_new_element (GhDomainEditor *self,
                               const char     *name)
{
  return xmlNewDocNode (self->doc, NULL, (const xmlChar *) name, NULL);
}

GPtrArray *
_gh_domain_editor_parse_fragment (GhDomainEditor  *self,
                                  const char      *xml,
                                  GError         **error)
{
  g_autofree char *wrapped = g_strconcat ("<devices>", xml != NULL ? xml : "", "</devices>",
                                          NULL);
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

xmlNode *
_gh_domain_editor_parse_element (GhDomainEditor *self,
                                 const char     *xml)
{
  g_autoptr(GPtrArray) nodes = _gh_domain_editor_parse_fragment (self, xml, NULL);

  g_assert (nodes != NULL && nodes->len == 1);
  return g_ptr_array_index (nodes, 0);
}

xmlNode *
_gh_domain_editor_ensure_element (GhDomainEditor     *self,
                                  const char         *name,
                                  const char * const *after)
{
  xmlNode *node = _gh_xml_first_child (self->root, name);
  xmlNode *ref = NULL;

  if (node != NULL)
    return node;

  for (guint i = 0; after[i] != NULL && ref == NULL; i++)
    ref = _gh_xml_first_child (self->root, after[i]);
  return _gh_xml_insert_after (self->root, _gh_domain_editor_new_element (self, name), ref);
}

xmlNode *
_gh_domain_editor_ensure_devices (GhDomainEditor *self)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  if (devices == NULL)
    devices = _gh_xml_insert_child (self->root, _gh_domain_editor_new_element (self, "devices"),
                                    NULL);

  return devices;
}

void
_gh_domain_editor_insert_device (GhDomainEditor     *self,
                                 xmlNode            *device,
                                 const char * const *after)
{
  _gh_xml_insert_after_last (_gh_domain_editor_ensure_devices (self), device, after);
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

  _gh_xml_set_text (_gh_domain_editor_ensure_element (self, name, after), text);
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

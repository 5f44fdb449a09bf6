/* gh-xml.c: reading and editing libvirt's XML with libxml2
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <libxml/parser.h>

#include "gh-xml-private.h"

/* ---- Parsing ------------------------------------------------------------------------ */

xmlDoc *
_gh_xml_parse (const char *xml)
{
  g_return_val_if_fail (xml != NULL, NULL);

  return xmlReadMemory (xml, strlen (xml), "libvirt.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* ---- Walking ------------------------------------------------------------------------ */

gboolean
_gh_xml_is_element (xmlNode    *node,
                    const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && node->ns == NULL
         && (name == NULL || strcmp ((const char *) node->name, name) == 0);
}

xmlNode *
_gh_xml_next_element (xmlNode    *node,
                      const char *name)
{
  for (; node != NULL; node = node->next)
    if (_gh_xml_is_element (node, name))
      return node;

  return NULL;
}

xmlNode *
_gh_xml_first_child (xmlNode    *node,
                     const char *name)
{
  return node != NULL ? _gh_xml_next_element (node->children, name) : NULL;
}

xmlNode *
_gh_xml_last_child (xmlNode    *node,
                    const char *name)
{
  xmlNode *last = NULL;

  for (xmlNode *child = _gh_xml_first_child (node, name); child != NULL;
       child = _gh_xml_next_element (child->next, name))
    last = child;

  return last;
}

xmlNode *
_gh_xml_next_element_any (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      return node;

  return NULL;
}

gboolean
_gh_xml_is_blank (xmlNode *node)
{
  return node != NULL && node->type == XML_TEXT_NODE && xmlIsBlankNode (node);
}

char *
_gh_xml_dup_prop (xmlNode    *node,
                  const char *name)
{
  xmlChar *value;
  char *ret;

  if (node == NULL)
    return NULL;

  value = xmlGetNoNsProp (node, (const xmlChar *) name);
  ret = value != NULL ? g_strdup ((const char *) value) : NULL;
  xmlFree (value);
  return ret;
}

gboolean
_gh_xml_prop_equals (xmlNode    *node,
                     const char *name,
                     const char *expected)
{
  g_autofree char *value = _gh_xml_dup_prop (node, name);

  return g_strcmp0 (value, expected) == 0;
}

gboolean
_gh_xml_prop_uint (xmlNode    *node,
                   const char *name,
                   guint64    *value)
{
  g_autofree char *text = _gh_xml_dup_prop (node, name);
  char *end = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  *value = g_ascii_strtoull (text, &end, 0);
  return end != NULL && *end == '\0';
}

char *
_gh_xml_dup_content (xmlNode *node)
{
  xmlChar *content;
  char *ret;

  if (node == NULL)
    return NULL;

  content = xmlNodeGetContent (node);
  ret = content != NULL ? g_strdup ((const char *) content) : NULL;
  xmlFree (content);
  return ret;
}

/* ---- Changing ----------------------------------------------------------------------- */

void
_gh_xml_set_prop (xmlNode    *node,
                  const char *name,
                  const char *value)
{
  xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

void
_gh_xml_set_prop_uint (xmlNode    *node,
                       const char *name,
                       guint       value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  _gh_xml_set_prop (node, name, text);
}

void
_gh_xml_set_text (xmlNode    *node,
                  const char *text)
{
  while (node->children != NULL)
    {
      xmlNode *child = node->children;

      xmlUnlinkNode (child);
      xmlFreeNode (child);
    }
  /* A text node is written escaped: no entity in @text is ever interpreted. */
  xmlAddChild (node, xmlNewDocText (node->doc, (const xmlChar *) text));
}

/* The whitespace that goes before each child of @parent: what its children have now,
 * else one step more than @parent itself. NULL for a document written without any. */
static char *
dup_child_indent (xmlNode *parent)
{
  gboolean has_elements = FALSE;
  g_autofree char *own = NULL;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      has_elements = TRUE;
      if (_gh_xml_is_blank (child->prev)
          && strchr ((const char *) child->prev->content, '\n') != NULL)
        return g_strdup (strrchr ((const char *) child->prev->content, '\n') + 1);
    }

  /* Children, none of them on a line of its own: a compact document stays compact. */
  if (has_elements)
    return NULL;

  if (parent->parent == NULL || parent->parent->type != XML_ELEMENT_NODE)
    return g_strdup ("  ");

  own = dup_child_indent (parent->parent);
  return own != NULL ? g_strconcat (own, "  ", NULL) : NULL;
}

/* libxml2 merges text into an adjacent text node: put the text before an element whose
 * previous sibling is not text, or accept that it joins that text (same output). */
static void
add_text_before (xmlNode    *node,
                 const char *text)
{
  xmlAddPrevSibling (node, xmlNewDocText (node->doc, (const xmlChar *) text));
}

/* Lays out a node made here the way its new neighbours are laid out. */
static void
reindent (xmlNode    *node,
          const char *indent)
{
  g_autofree char *inner = g_strconcat (indent, "  ", NULL);
  g_autofree char *line = g_strconcat ("\n", inner, NULL);
  g_autofree char *close = g_strconcat ("\n", indent, NULL);
  gboolean has_elements = FALSE;
  xmlNode *child = node->children;

  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (_gh_xml_is_blank (child))
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          has_elements = TRUE;
        }
      else
        {
          return;  /* mixed content: its whitespace may mean something */
        }
      child = next;
    }

  if (!has_elements)
    return;

  for (child = node->children; child != NULL; child = child->next)
    {
      add_text_before (child, line);
      reindent (child, inner);
    }
  xmlAddChild (node, xmlNewDocText (node->doc, (const xmlChar *) close));
}

xmlNode *
_gh_xml_insert_child (xmlNode *parent,
                      xmlNode *child,
                      xmlNode *before)
{
  g_autofree char *indent = dup_child_indent (parent);
  g_autofree char *line = NULL;

  if (indent == NULL)
    {
      if (before != NULL)
        return xmlAddPrevSibling (before, child);
      return xmlAddChild (parent, child);
    }

  reindent (child, indent);
  line = g_strconcat ("\n", indent, NULL);

  if (before != NULL)
    {
      xmlAddPrevSibling (before, child);
      add_text_before (before, line);
    }
  else if (_gh_xml_is_blank (parent->last))
    {
      /* In this order: libxml2 merges a text node into the text node it is put next to. */
      xmlAddPrevSibling (parent->last, child);
      add_text_before (child, line);
    }
  else
    {
      g_autofree char *own = NULL;

      /* The parent was empty: close it on its own line too. */
      own = parent->parent != NULL && parent->parent->type == XML_ELEMENT_NODE
              ? dup_child_indent (parent->parent) : g_strdup ("");
      xmlAddChild (parent, xmlNewDocText (parent->doc, (const xmlChar *) line));
      xmlAddChild (parent, child);
      g_free (line);
      line = g_strconcat ("\n", own != NULL ? own : "", NULL);
      xmlAddChild (parent, xmlNewDocText (parent->doc, (const xmlChar *) line));
    }

  return child;
}

xmlNode *
_gh_xml_insert_after (xmlNode *parent,
                      xmlNode *child,
                      xmlNode *ref)
{
  return _gh_xml_insert_child (parent, child,
                               ref != NULL ? _gh_xml_next_element (ref->next, NULL) : NULL);
}

xmlNode *
_gh_xml_insert_after_last (xmlNode            *parent,
                           xmlNode            *child,
                           const char * const *after)
{
  for (guint i = 0; after[i] != NULL; i++)
    {
      xmlNode *last = _gh_xml_last_child (parent, after[i]);

      if (last != NULL)
        return _gh_xml_insert_after (parent, child, last);
    }

  return _gh_xml_insert_child (parent, child, NULL);
}

void
_gh_xml_remove_node (xmlNode *node)
{
  xmlNode *blank = _gh_xml_is_blank (node->prev) ? node->prev : NULL;

  if (blank != NULL)
    {
      xmlUnlinkNode (blank);
      xmlFreeNode (blank);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

/* ---- XPath -------------------------------------------------------------------------- */

static xmlXPathObject *
eval (xmlXPathContext *ctx,
      xmlNode         *node,
      const char      *expr)
{
  if (node == NULL)
    return xmlXPathEvalExpression ((const xmlChar *) expr, ctx);

  return xmlXPathNodeEval (node, (const xmlChar *) expr, ctx);
}

char *
_gh_xml_xpath_dup_string (xmlXPathContext *ctx,
                          xmlNode         *node,
                          const char      *expr)
{
  xmlXPathObject *obj = eval (ctx, node, expr);
  char *ret = NULL;

  if (obj != NULL && obj->type == XPATH_STRING && obj->stringval != NULL
      && obj->stringval[0] != '\0')
    ret = g_strdup ((const char *) obj->stringval);

  xmlXPathFreeObject (obj);
  return ret;
}

char *
_gh_xml_xpath_dup_text (xmlXPathContext *ctx,
                        xmlNode         *node,
                        const char      *expr)
{
  g_autofree char *text = _gh_xml_xpath_dup_string (ctx, node, expr);

  if (text == NULL || g_strstrip (text)[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

guint
_gh_xml_xpath_uint (xmlXPathContext *ctx,
                    xmlNode         *node,
                    const char      *expr,
                    guint            fallback)
{
  g_autofree char *text = _gh_xml_xpath_dup_text (ctx, node, expr);
  guint64 value;

  if (text == NULL)
    return fallback;
  if (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X"))
    {
      if (!g_ascii_string_to_unsigned (text + 2, 16, 0, G_MAXUINT, &value, NULL))
        return fallback;
    }
  else if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      return fallback;
    }

  return (guint) value;
}

gboolean
_gh_xml_xpath_boolean (xmlXPathContext *ctx,
                       xmlNode         *node,
                       const char      *expr)
{
  xmlXPathObject *obj = eval (ctx, node, expr);
  gboolean ret = obj != NULL && obj->type == XPATH_BOOLEAN && obj->boolval;

  xmlXPathFreeObject (obj);
  return ret;
}

xmlXPathObject *
_gh_xml_xpath_nodes (xmlXPathContext *ctx,
                     xmlNode         *node,
                     const char      *expr)
{
  return eval (ctx, node, expr);
}

guint
_gh_xml_n_nodes (xmlXPathObject *nodes)
{
  return nodes != NULL && nodes->nodesetval != NULL ? (guint) nodes->nodesetval->nodeNr : 0;
}

xmlNode *
_gh_xml_nth_node (xmlXPathObject *nodes,
                  guint           i)
{
  return nodes->nodesetval->nodeTab[i];
}

char *
_gh_xml_parse_dup_string (const char *xml,
                          const char *expr)
{
  xmlDoc *doc = _gh_xml_parse (xml);
  xmlXPathContext *ctx;
  char *ret;

  if (doc == NULL)
    return NULL;

  ctx = xmlXPathNewContext (doc);
  ret = _gh_xml_xpath_dup_string (ctx, NULL, expr);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return ret;
}

/* ---- libvirt's units ---------------------------------------------------------------- */

gboolean
_gh_xml_scale_to_bytes (const char *value,
                        const char *unit,
                        guint64     default_scale,
                        guint64    *bytes)
{
  static const char letters[] = "kmgtpe";
  g_autofree char *text = NULL;
  const char *letter;
  guint64 base = 1024;
  guint64 scale = 1;
  guint64 n;

  *bytes = 0;
  if (value == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
    return FALSE;

  if (unit == NULL || *unit == '\0')
    {
      scale = default_scale;
    }
  else if (g_ascii_strcasecmp (unit, "b") == 0 || g_ascii_strcasecmp (unit, "byte") == 0
           || g_ascii_strcasecmp (unit, "bytes") == 0)
    {
      scale = 1;
    }
  else
    {
      letter = strchr (letters, g_ascii_tolower (unit[0]));
      if (letter == NULL)
        return FALSE;
      if (unit[1] == '\0' || g_ascii_strcasecmp (unit + 1, "iB") == 0)
        base = 1024;
      else if (g_ascii_tolower (unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
      else
        return FALSE;
      for (const char *l = letters; l <= letter; l++)
        scale *= base;
    }

  *bytes = scale != 0 && n > G_MAXUINT64 / scale ? G_MAXUINT64 : n * scale;
  return TRUE;
}

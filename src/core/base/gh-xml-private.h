/* gh-xml-private.h: reading and editing libvirt's XML with libxml2
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlNode, xmlFreeNode)

/* ---- Parsing ------------------------------------------------------------------------ */

/* @xml as a document, or NULL when it is not well-formed. Nothing is fetched from the
 * network and nothing is printed on stderr; whitespace, CDATA sections and entities stay
 * as they are, so that a document written back differs only where it was edited. */
xmlDoc     *_gh_xml_parse             (const char          *xml);

/* ---- Walking ------------------------------------------------------------------------ */

/* Whether @node is an element named @name (NULL: any name) in no namespace: libvirt's
 * own elements have none, so a <qemu:commandline> or another tool's metadata never is
 * one of them. */
gboolean    _gh_xml_is_element        (xmlNode             *node,
                                       const char          *name);
/* The first of @node and its following siblings that is such an element, or NULL. */
xmlNode    *_gh_xml_next_element      (xmlNode             *node,
                                       const char          *name);
/* The first child element of @node (NULL: none) named @name (NULL: any). */
xmlNode    *_gh_xml_first_child       (xmlNode             *node,
                                       const char          *name);
xmlNode    *_gh_xml_last_child        (xmlNode             *node,
                                       const char          *name);
/* The first element from @node on, in any namespace. */
xmlNode    *_gh_xml_next_element_any  (xmlNode             *node);
/* A text node of whitespace only: the layout between elements. */
gboolean    _gh_xml_is_blank          (xmlNode             *node);

/* The attribute @name (in no namespace) of @node, or NULL; @node may be NULL. */
char       *_gh_xml_dup_prop          (xmlNode             *node,
                                       const char          *name);
gboolean    _gh_xml_prop_equals       (xmlNode             *node,
                                       const char          *name,
                                       const char          *expected);
/* A number as libvirt writes them in attributes: decimal or 0x-prefixed hex. FALSE when
 * @node has no such attribute or it is not a number. */
gboolean    _gh_xml_prop_uint         (xmlNode             *node,
                                       const char          *name,
                                       guint64             *value);
/* All the text in @node, or NULL when @node is NULL. */
char       *_gh_xml_dup_content       (xmlNode             *node);

/* ---- Changing ----------------------------------------------------------------------- */

void        _gh_xml_set_prop          (xmlNode             *node,
                                       const char          *name,
                                       const char          *value);
void        _gh_xml_set_prop_uint     (xmlNode             *node,
                                       const char          *name,
                                       guint                value);
/* Replaces what @node holds with @text, written escaped: no entity in it is interpreted. */
void        _gh_xml_set_text          (xmlNode             *node,
                                       const char          *text);
/* Puts @child, a node of @parent's document not yet in the tree, into @parent before
 * @before (NULL: last), on a line of its own, laid out like its new neighbours: the XML
 * a person reads in `virsh edit` afterwards still looks like theirs. A compact document
 * stays compact. Returns: @child. */
xmlNode    *_gh_xml_insert_child      (xmlNode             *parent,
                                       xmlNode             *child,
                                       xmlNode             *before);
/* …right after @ref (NULL: last). */
xmlNode    *_gh_xml_insert_after      (xmlNode             *parent,
                                       xmlNode             *child,
                                       xmlNode             *ref);
/* …after the last child of the first name in @after that @parent has (else last): where
 * libvirt itself would write it. */
xmlNode    *_gh_xml_insert_after_last (xmlNode             *parent,
                                       xmlNode             *child,
                                       const char * const  *after);
/* Takes @node out of its document, and the whitespace that put it on its own line, and
 * frees it. */
void        _gh_xml_remove_node       (xmlNode             *node);

/* ---- XPath -------------------------------------------------------------------------- */

/* Each evaluates @expr from @node, or from @ctx's own node when @node is NULL. */

/* The string @expr gives ("string(/domain/name)") as it is, or NULL when it is empty. */
char       *_gh_xml_xpath_dup_string  (xmlXPathContext     *ctx,
                                       xmlNode             *node,
                                       const char          *expr);
/* …without the whitespace around it, or NULL when nothing else is left. */
char       *_gh_xml_xpath_dup_text    (xmlXPathContext     *ctx,
                                       xmlNode             *node,
                                       const char          *expr);
/* The number the string @expr gives, decimal or 0x-prefixed hex (libvirt writes both),
 * or @fallback when it is empty or no number that fits a guint. */
guint       _gh_xml_xpath_uint        (xmlXPathContext     *ctx,
                                       xmlNode             *node,
                                       const char          *expr,
                                       guint                fallback);
/* The value of a boolean @expr ("boolean(devices/graphics)"); FALSE for any other kind. */
gboolean    _gh_xml_xpath_boolean     (xmlXPathContext     *ctx,
                                       xmlNode             *node,
                                       const char          *expr);
/* The nodes @expr selects; free with xmlXPathFreeObject(). */
xmlXPathObject *_gh_xml_xpath_nodes   (xmlXPathContext     *ctx,
                                       xmlNode             *node,
                                       const char          *expr);
guint       _gh_xml_n_nodes           (xmlXPathObject      *nodes);
xmlNode    *_gh_xml_nth_node          (xmlXPathObject      *nodes,
                                       guint                i);
/* The string @expr gives in the document @xml, as _gh_xml_xpath_dup_string() reads it;
 * NULL also when @xml is not well-formed. */
char       *_gh_xml_parse_dup_string  (const char          *xml,
                                       const char          *expr);

/* ---- libvirt's units ---------------------------------------------------------------- */

/* One of libvirt's scaled integers (<memory unit='GiB'>4</memory>) in bytes, read by the
 * rule of libvirt's virScaleInteger(): no unit is @default_scale bytes (the element's own
 * default: KiB, 1024, for memory); "b", "byte" or "bytes" is one; a letter of k, m, g, t,
 * p, e alone or followed by "iB" counts in powers of 1024, followed by "B" in powers of
 * 1000; letters in any case. FALSE (and 0) for a value or unit libvirt would refuse; a
 * value too large for 64 bits is G_MAXUINT64. */
gboolean    _gh_xml_scale_to_bytes    (const char          *value,
                                       const char          *unit,
                                       guint64              default_scale,
                                       guint64             *bytes);

G_END_DECLS

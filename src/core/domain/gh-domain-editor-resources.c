/* gh-domain-editor-resources.c: memory, processors and NUMA nodes
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"

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

  memory = _gh_domain_editor_ensure_element (self, "memory", after);
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

  vcpu = _gh_domain_editor_ensure_element (self, "vcpu", after);

  text = g_strdup_printf ("%u", vcpus);
  _gh_xml_set_text (vcpu, text);
  if (xmlHasProp (vcpu, (const xmlChar *) "current"))
    _gh_xml_set_prop (vcpu, "current", text);

  topology = _gh_xml_first_child (_gh_xml_first_child (self->root, "cpu"), "topology");
  if (topology != NULL)
    fit_topology (topology, vcpus);

  return TRUE;
}

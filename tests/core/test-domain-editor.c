/* test-domain-editor.c: GhDomainEditor keeps what it does not edit, and edits what it must
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "gh-test-util.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define GIB (MIB * 1024)

/* ---- Helpers ------------------------------------------------------------------------ */

static GhDomainEditor *
editor_new (const char *xml)
{
  g_autoptr(GError) error = NULL;
  GhDomainEditor *editor = gh_domain_editor_new (xml, &error);

  g_assert_no_error (error);
  g_assert_nonnull (editor);
  return editor;
}

static GhDomainEditor *
editor_from_data (const char *name)
{
  g_autofree char *file = g_strconcat ("editor" G_DIR_SEPARATOR_S, name, NULL);
  g_autofree char *path = gh_test_data_path (file);
  g_autofree char *xml = gh_test_read_file (path);

  return editor_new (xml);
}

/* Saves and reads back, as the dialog's edit does through libvirt. */
static GhDomainEditor *
reread (GhDomainEditor *editor)
{
  g_autofree char *xml = gh_domain_editor_to_xml (editor);

  return editor_new (xml);
}

static void
remove_elements (xmlNode    *parent,
                 const char *name)
{
  xmlNode *child = parent->children;

  while (child != NULL)
    {
      xmlNode *next = child->next;

      if (child->type == XML_ELEMENT_NODE && child->ns == NULL
          && xmlStrEqual (child->name, (const xmlChar *) name))
        {
          /* With the indentation before it: a domain without one gets a new line. */
          if (child->prev != NULL && xmlIsBlankNode (child->prev))
            {
              xmlNode *blank = child->prev;

              xmlUnlinkNode (blank);
              xmlFreeNode (blank);
            }
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      child = next;
    }
}

/* The document in Canonical XML (comments and processing instructions included), with
 * <memory> and <currentMemory> (and the indentation before each) taken out: the only
 * elements a memory change may touch. Other whitespace is compared too: an edit that
 * reflowed the document would show up in the user's diff. */
static char *
dup_canonical_without_memory (const char *xml)
{
  xmlDoc *doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlChar *out = NULL;
  char *ret;
  int len;

  g_assert_nonnull (doc);
  remove_elements (xmlDocGetRootElement (doc), "memory");
  remove_elements (xmlDocGetRootElement (doc), "currentMemory");
  /* A machine with one NUMA node gives it the new size too. */
  for (xmlNode *cpu = xmlDocGetRootElement (doc)->children; cpu != NULL; cpu = cpu->next)
    {
      if (!xmlStrEqual (cpu->name, (const xmlChar *) "cpu"))
        continue;
      for (xmlNode *numa = cpu->children; numa != NULL; numa = numa->next)
        {
          if (!xmlStrEqual (numa->name, (const xmlChar *) "numa"))
            continue;
          for (xmlNode *cell = numa->children; cell != NULL; cell = cell->next)
            if (cell->type == XML_ELEMENT_NODE)
              {
                xmlUnsetProp (cell, (const xmlChar *) "memory");
                xmlUnsetProp (cell, (const xmlChar *) "unit");
              }
        }
    }

  len = xmlC14NDocDumpMemory (doc, NULL, XML_C14N_1_0, NULL, 1, &out);
  g_assert_cmpint (len, >, 0);
  ret = g_strndup ((const char *) out, len);
  xmlFree (out);
  xmlFreeDoc (doc);
  return ret;
}

/* Loads @xml, changes its memory, saves, reads back: the memory changed, and nothing
 * else did. */
static void
assert_round_trip (const char *label,
                   const char *xml)
{
  g_autoptr(GhDomainEditor) editor = editor_new (xml);
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint64 memory = gh_domain_editor_get_memory (editor);
  guint64 wanted = memory + 512 * MIB;

  /* Several NUMA nodes are the user's own split: refused, and the machine left alone. */
  if (!gh_domain_editor_set_memory (editor, wanted, &error))
    {
      g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
      g_assert_nonnull (strstr (error->message, "NUMA nodes"));
      g_test_message ("%s: %s", label, error->message);
      return;
    }
  g_assert_no_error (error);

  edited = gh_domain_editor_to_xml (editor);
  again = editor_new (edited);
  g_assert_cmpuint (gh_domain_editor_get_memory (again), ==, wanted);
  g_assert_cmpuint (gh_domain_editor_get_current_memory (again), ==, wanted);

  before = dup_canonical_without_memory (xml);
  after = dup_canonical_without_memory (edited);
  if (strcmp (before, after) != 0)
    {
      gsize at = 0;

      while (before[at] != '\0' && before[at] == after[at])
        at++;
      at = at > 80 ? at - 80 : 0;
      g_test_message ("%s changed beyond its memory, from:\n%.240s\n---\nto:\n%.240s",
                      label, before + at, after + at);
      g_test_fail ();
    }
}

static gboolean
is_domain_document (const char *xml)
{
  xmlDoc *doc = xmlReadMemory (xml, strlen (xml), "x.xml", NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  gboolean ret = root != NULL && root->ns == NULL
                 && xmlStrEqual (root->name, (const xmlChar *) "domain");

  xmlFreeDoc (doc);
  return ret;
}

/* Every .xml under @dir that is a domain (a directory of outside data may hold others). */
static guint
round_trip_directory (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint count = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, _gh_compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *xml = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          count += round_trip_directory (path);
          continue;
        }
      if (!g_str_has_suffix (path, ".xml"))
        continue;

      xml = gh_test_read_file (path);
      if (!is_domain_document (xml))
        {
          g_test_message ("%s is not a domain: not round-tripped", path);
          continue;
        }
      assert_round_trip (path, xml);
      count++;
    }

  return count;
}

/* The <domain> elements of a test-driver host file, each made a document of its own with
 * the namespaces it uses (the test driver's runstate, libosinfo's metadata) declared. */
static guint
round_trip_testdriver (const char *path)
{
  g_autofree char *text = gh_test_read_file (path);
  xmlDoc *doc = xmlReadMemory (text, strlen (text), path, NULL, XML_PARSE_NONET);
  xmlNode *root = xmlDocGetRootElement (doc);
  guint count = 0;

  g_assert_nonnull (root);
  for (xmlNode *node = root->children; node != NULL; node = node->next)
    {
      xmlDoc *single;
      xmlChar *xml = NULL;
      int len;

      if (node->type != XML_ELEMENT_NODE || !xmlStrEqual (node->name, (const xmlChar *) "domain"))
        continue;

      single = xmlNewDoc ((const xmlChar *) "1.0");
      xmlDocSetRootElement (single, xmlDocCopyNode (node, single, 1));
      xmlReconciliateNs (single, xmlDocGetRootElement (single));
      xmlDocDumpMemory (single, &xml, &len);
      assert_round_trip (path, (const char *) xml);
      xmlFree (xml);
      xmlFreeDoc (single);
      count++;
    }

  xmlFreeDoc (doc);
  return count;
}

/* ---- Round trips -------------------------------------------------------------------- */

static void
test_round_trip_own (void)
{
  g_autofree char *dir = gh_test_data_path ("editor");
  guint count = round_trip_directory (dir);

  g_test_message ("round-tripped %u domains of tests/data/editor", count);
  g_assert_cmpuint (count, >=, 20);
}

static void
test_round_trip_corpus (void)
{
  g_autofree char *testdriver = gh_test_corpus_path ("virt-manager/testdriver/testdriver.xml");
  g_autofree char *phyllome = gh_test_corpus_path ("phyllome");
  guint from_testdriver;
  guint from_phyllome;

  if (testdriver == NULL || phyllome == NULL)
    {
      g_test_skip ("the outside corpus (../shared/corpus) is not there");
      return;
    }

  from_testdriver = round_trip_testdriver (testdriver);
  from_phyllome = round_trip_directory (phyllome);
  g_test_message ("round-tripped %u domains of virt-manager's test driver and %u of "
                  "Phyllome OS", from_testdriver, from_phyllome);
  g_assert_cmpuint (from_testdriver, >, 0);
  g_assert_cmpuint (from_phyllome, >, 0);
}

/* What survives textually, beyond what Canonical XML compares. */
static void
test_round_trip_text (void)
{
  g_autoptr(GhDomainEditor) cdata = editor_from_data ("cdata-description.xml");
  g_autoptr(GhDomainEditor) comments = editor_from_data ("comments-pis.xml");
  g_autoptr(GhDomainEditor) unicode = editor_from_data ("non-ascii-title.xml");
  g_autofree char *cdata_xml = NULL;
  g_autofree char *comments_xml = NULL;
  g_autofree char *unicode_xml = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_assert_true (gh_domain_editor_set_memory (cdata, 3 * GIB, NULL));
  cdata_xml = gh_domain_editor_to_xml (cdata);
  g_assert_nonnull (strstr (cdata_xml, "<![CDATA[Build host for <project> & friends."));

  g_assert_true (gh_domain_editor_set_memory (comments, 3 * GIB, NULL));
  comments_xml = gh_domain_editor_to_xml (comments);
  g_assert_true (g_str_has_prefix (comments_xml,
                                   "<!-- WARNING: this file was written by hand; keep this "
                                   "comment -->\n<?greenhouse-test"));
  g_assert_true (g_str_has_suffix (comments_xml, "</domain>\n<!-- after the root -->\n"));

  /* UTF-8 as it was, not character references. */
  unicode_xml = gh_domain_editor_to_xml (unicode);
  g_assert_nonnull (strstr (unicode_xml, "<title>Ørkén Ünïcødé — 温室 🌱</title>"));
  title = gh_domain_editor_dup_title (unicode);
  g_assert_cmpstr (title, ==, "Ørkén Ünïcødé — 温室 🌱");
  description = gh_domain_editor_dup_description (cdata);
  g_assert_cmpstr (description, ==, "Build host for <project> & friends.\n"
                                    "Keep \"quotes\" and 'apostrophes' and ]]> too.");
}

static void
test_not_a_domain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) editor = NULL;

  editor = gh_domain_editor_new ("<domain><name>x</name>", &error);
  g_assert_null (editor);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  editor = gh_domain_editor_new ("<network><name>default</name></network>", &error);
  g_assert_null (editor);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not a libvirt domain"));
}

/* ---- Focused edits ------------------------------------------------------------------ */

static void
test_title_description (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("qemu-commandline.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *xml = NULL;

  g_assert_null (gh_domain_editor_dup_title (editor));
  g_assert_cmpstr (gh_domain_editor_get_name (editor), ==, "qemu-commandline");

  /* Markup characters are text; a description may have more than one line. */
  g_assert_true (gh_domain_editor_set_title (editor, "Tom & <Jerry> second line", NULL));
  g_assert_true (gh_domain_editor_set_description (editor, "Uses &amp; literally, on\ntwo lines",
                                                   NULL));
  again = reread (editor);
  title = gh_domain_editor_dup_title (again);
  description = gh_domain_editor_dup_description (again);
  g_assert_cmpstr (title, ==, "Tom & <Jerry> second line");
  g_assert_cmpstr (description, ==, "Uses &amp; literally, on\ntwo lines");

  /* Right after <uuid>, on its own line. */
  xml = gh_domain_editor_to_xml (again);
  g_assert_nonnull (strstr (xml, "</uuid>\n  <title>Tom &amp; &lt;Jerry&gt; second line</title>\n"
                                 "  <description>"));

  g_assert_true (gh_domain_editor_set_title (again, NULL, NULL));
  g_assert_true (gh_domain_editor_set_description (again, "", NULL));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (again);
  g_assert_null (strstr (xml, "<title"));
  g_assert_null (strstr (xml, "<description"));
  g_assert_nonnull (strstr (xml, "</uuid>\n  <memory"));
}

/* A title, a description or a disc's file that XML cannot hold as it is, is refused with
 * the reason, and the document stays as it was: never invalid XML, never other text. */
static void
test_refuses_control (void)
{
  static const struct { const char *text; const char *detail; } titles[] = {
    { "bell\a", "it contains an invisible control character (U+0007)" },
    { "two\nlines", "it contains an invisible control character (U+000A)" },
    { "del\x7f", "it contains an invisible control character (U+007F)" },
    { "c1 \xc2\x85 next line", "it contains an invisible control character (U+0085)" },
    { "latin1 \xe9t\xe9", "it is not valid UTF-8 text" },
  };
  g_autoptr(GhDomainEditor) editor = editor_from_data ("qemu-commandline.xml");
  g_autofree char *before = gh_domain_editor_to_xml (editor);
  g_autoptr(GhDomainEditor) disc = editor_from_data ("boot-order-devices.xml");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *message = g_strconcat ("Could not change the title: ", titles[i].detail,
                                              NULL);

      g_assert_false (gh_domain_editor_set_title (editor, titles[i].text, &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
      g_assert_cmpstr (error->message, ==, message);
      g_assert_cmpstr (gh_error_get_detail (error), ==, titles[i].detail);
      g_clear_error (&error);

      /* Line breaks and tabs are a description's own; the rest is refused. */
      if (strchr (titles[i].text, '\n') != NULL)
        continue;
      g_assert_false (gh_domain_editor_set_description (editor, titles[i].text, &error));
      g_assert_cmpstr (gh_error_get_what (error), ==, "Could not change the description");
      g_assert_cmpstr (gh_error_get_detail (error), ==, titles[i].detail);
      g_clear_error (&error);
    }

  after = gh_domain_editor_to_xml (editor);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (gh_domain_editor_set_description (editor, "tab\tand\r\nlines", NULL));

  /* A file name XML cannot hold is named as GLib shows it. */
  g_assert_false (gh_domain_editor_insert_cdrom (disc, "sda", "/tmp/\xe9t\xe9.iso", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not insert the disc: the file name “/tmp/\xef\xbf\xbdt\xef\xbf\xbd.iso” "
                   "is not UTF-8 text, which a machine’s definition cannot hold; rename the file");
  g_clear_error (&error);
  g_assert_false (gh_domain_editor_insert_cdrom (disc, "sda", "/tmp/a\tb.iso", &error));
  g_assert_cmpstr (gh_error_get_detail (error), ==,
                   "the file name “/tmp/a\xef\xbf\xbd" "b.iso” contains an invisible control "
                   "character (U+0009); rename the file");
}

static void
test_memory (void)
{
  g_autoptr(GhDomainEditor) memtune = editor_from_data ("memtune.xml");
  g_autoptr(GhDomainEditor) bytes = editor_from_data ("launch-security-resource.xml");
  g_autoptr(GhDomainEditor) compact = editor_from_data ("compact-no-whitespace.xml");
  g_autoptr(GhDomainEditor) hotplug = editor_from_data ("vcpu-hotplug.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  /* <memory unit='GiB'>2</memory>, <currentMemory unit='MiB'>2048</currentMemory> */
  g_assert_cmpuint (gh_domain_editor_get_memory (memtune), ==, 2 * GIB);
  g_assert_cmpuint (gh_domain_editor_get_current_memory (memtune), ==, 2 * GIB);
  g_assert_cmpuint (gh_domain_editor_get_memory (bytes), ==, 2 * GIB);
  /* No unit: KiB. No <currentMemory>: the same as <memory>. */
  g_assert_cmpuint (gh_domain_editor_get_memory (compact), ==, 512 * MIB);
  g_assert_cmpuint (gh_domain_editor_get_current_memory (compact), ==, 512 * MIB);
  g_assert_cmpuint (gh_domain_editor_get_current_memory (hotplug), ==, 1 * GIB);

  g_assert_true (gh_domain_editor_set_memory (memtune, 6 * GIB, &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (memtune);
  g_assert_nonnull (strstr (xml, "<memory unit=\"KiB\">6291456</memory>"));
  g_assert_nonnull (strstr (xml, "<currentMemory unit=\"KiB\">6291456</currentMemory>"));
  /* Limits are the user's: untouched. */
  g_assert_nonnull (strstr (xml, "<hard_limit unit=\"G\">4</hard_limit>"));

  g_assert_false (gh_domain_editor_set_memory (memtune, 1000, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpuint (gh_domain_editor_get_memory (memtune), ==, 6 * GIB);
}

/* What the settings window shows as the current display. */
static void
test_video_model (void)
{
  g_autoptr(GhDomainEditor) none = editor_new ("<domain><name>a</name><devices/></domain>");
  g_autoptr(GhDomainEditor) qxl =
    editor_new ("<domain><name>b</name><devices><video><model type='qxl'/></video>"
                "</devices></domain>");
  g_autoptr(GhDomainEditor) virgl =
    editor_new ("<domain><name>c</name><devices>"
                "<graphics type='vnc'/><graphics type='spice'><gl enable='yes'/></graphics>"
                "<video><model type='virtio'/></video></devices></domain>");
  g_autofree char *model = NULL;
  gboolean gl = TRUE;

  g_assert_null (gh_domain_editor_dup_video_model (none, &gl));
  g_assert_false (gl);
  model = gh_domain_editor_dup_video_model (qxl, &gl);
  g_assert_cmpstr (model, ==, "qxl");
  g_assert_false (gl);
  g_clear_pointer (&model, g_free);
  model = gh_domain_editor_dup_video_model (virgl, &gl);
  g_assert_cmpstr (model, ==, "virtio");
  g_assert_true (gl);
}

static void
test_vcpus (void)
{
  g_autoptr(GhDomainEditor) numa = editor_from_data ("numatune.xml");
  g_autoptr(GhDomainEditor) hotplug = editor_from_data ("vcpu-hotplug.xml");
  g_autoptr(GhDomainEditor) plain = editor_from_data ("cputune.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  g_assert_cmpuint (gh_domain_editor_get_vcpus (plain), ==, 2);
  g_assert_true (gh_domain_editor_set_vcpus (plain, 8, &error));
  g_assert_no_error (error);
  again = reread (plain);
  g_assert_cmpuint (gh_domain_editor_get_vcpus (again), ==, 8);
  xml = gh_domain_editor_to_xml (again);
  g_assert_nonnull (strstr (xml, "<vcpu placement=\"static\">8</vcpu>"));

  /* sockets × dies × cores × threads must stay the count: one socket of 2 cores → 3
   * sockets of 2 for 6; 5 does not divide, so one socket of 5 cores. */
  g_assert_true (gh_domain_editor_set_vcpus (numa, 6, &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (numa);
  g_assert_nonnull (strstr (xml, "<topology sockets=\"3\" dies=\"1\" cores=\"2\" threads=\"1\"/>"));
  g_assert_true (gh_domain_editor_set_vcpus (numa, 5, &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (numa);
  g_assert_nonnull (strstr (xml, "<topology sockets=\"1\" dies=\"1\" cores=\"5\" threads=\"1\"/>"));

  /* Per-vCPU settings cannot follow a new count; the same count is fine. */
  g_assert_cmpuint (gh_domain_editor_get_vcpus (hotplug), ==, 4);
  g_assert_false (gh_domain_editor_set_vcpus (hotplug, 6, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (gh_domain_editor_set_vcpus (hotplug, 4, &error));
  g_assert_no_error (error);

  g_assert_false (gh_domain_editor_set_vcpus (plain, 0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
}

static char *
join_strv (GStrv strv)
{
  char *ret = g_strjoinv (" ", strv);

  g_strfreev (strv);
  return ret;
}

static void
test_boot_order_os (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("sysinfo.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *order[] = { "network", "hd", "cdrom", NULL };
  const char *bad[] = { "hd", "disk:vda", NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *xml = NULL;

  g_assert_false (gh_domain_editor_get_boot_per_device (editor));
  before = join_strv (gh_domain_editor_dup_boot_order (editor));
  g_assert_cmpstr (before, ==, "cdrom hd");

  g_assert_true (gh_domain_editor_set_boot_order (editor, order, &error));
  g_assert_no_error (error);
  again = reread (editor);
  after = join_strv (gh_domain_editor_dup_boot_order (again));
  g_assert_cmpstr (after, ==, "network hd cdrom");

  /* Where the old list was: before <bootmenu>, after <smbios>. */
  xml = gh_domain_editor_to_xml (again);
  g_assert_nonnull (strstr (xml, "<smbios mode=\"sysinfo\"/>\n    <boot dev=\"network\"/>\n"
                                 "    <boot dev=\"hd\"/>\n    <boot dev=\"cdrom\"/>\n"
                                 "    <bootmenu"));

  g_assert_false (gh_domain_editor_set_boot_order (again, bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_pointer (&after, g_free);
  after = join_strv (gh_domain_editor_dup_boot_order (again));
  g_assert_cmpstr (after, ==, "network hd cdrom");
}

static void
test_boot_order_devices (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("boot-order-devices.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *order[] = { "disk:vda", "interface:52:54:00:aa:bb:cc", NULL };
  const char *missing[] = { "disk:vdz", NULL };
  const char *twice[] = { "disk:vda", "disk:vda", NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *xml = NULL;

  g_assert_true (gh_domain_editor_get_boot_per_device (editor));
  before = join_strv (gh_domain_editor_dup_boot_order (editor));
  g_assert_cmpstr (before, ==, "disk:sda interface:52:54:00:aa:bb:cc");

  /* The CD-ROM is left out: it no longer boots. */
  g_assert_true (gh_domain_editor_set_boot_order (editor, order, &error));
  g_assert_no_error (error);
  again = reread (editor);
  after = join_strv (gh_domain_editor_dup_boot_order (again));
  g_assert_cmpstr (after, ==, "disk:vda interface:52:54:00:aa:bb:cc");
  xml = gh_domain_editor_to_xml (again);
  g_assert_null (strstr (xml, "<os>\n    <boot"));
  g_assert_nonnull (strstr (xml, "<target dev=\"vda\" bus=\"virtio\"/>\n      <boot order=\"1\"/>\n"
                                 "    </disk>"));

  g_assert_false (gh_domain_editor_set_boot_order (again, missing, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gh_domain_editor_set_boot_order (again, twice, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_pointer (&after, g_free);
  after = join_strv (gh_domain_editor_dup_boot_order (again));
  g_assert_cmpstr (after, ==, "disk:vda interface:52:54:00:aa:bb:cc");
}

static const GhDomainEditorDisk *
find_disk (GPtrArray  *disks,
           const char *target)
{
  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);

      if (g_strcmp0 (disk->target, target) == 0)
        return disk;
    }

  return NULL;
}

static void
test_cdrom (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("boot-order-devices.xml");
  g_autoptr(GhDomainEditor) compact = editor_from_data ("compact-no-whitespace.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GPtrArray) cdroms = gh_domain_editor_dup_cdroms (editor);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  const GhDomainEditorDisk *cdrom;

  g_assert_cmpuint (cdroms->len, ==, 1);
  cdrom = g_ptr_array_index (cdroms, 0);
  g_assert_cmpstr (cdrom->target, ==, "sda");
  g_assert_cmpstr (cdrom->bus, ==, "sata");
  g_assert_cmpstr (cdrom->path, ==, "/isos/install.iso");
  g_assert_true (cdrom->readonly);

  g_assert_true (gh_domain_editor_eject_cdrom (editor, "sda", &error));
  g_assert_no_error (error);
  again = reread (editor);
  after = gh_domain_editor_dup_cdroms (again);
  g_assert_null (((GhDomainEditorDisk *) g_ptr_array_index (after, 0))->path);
  /* It still boots first: only the disc went. */
  xml = join_strv (gh_domain_editor_dup_boot_order (again));
  g_assert_cmpstr (xml, ==, "disk:sda interface:52:54:00:aa:bb:cc");

  g_assert_true (gh_domain_editor_insert_cdrom (again, "sda", "/isos/other & more.iso", &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = gh_domain_editor_dup_cdroms (again);
  g_assert_cmpstr (((GhDomainEditorDisk *) g_ptr_array_index (after, 0))->path, ==,
                   "/isos/other & more.iso");

  /* A disk is not a CD-ROM drive. */
  g_assert_false (gh_domain_editor_insert_cdrom (again, "vda", "/isos/x.iso", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gh_domain_editor_eject_cdrom (again, "sdz", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An empty drive gets a source; a compact document stays compact. */
  g_assert_true (gh_domain_editor_insert_cdrom (compact, "hdc", "/isos/a.iso", &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (compact);
  g_assert_nonnull (strstr (xml, "<disk type=\"file\" device=\"cdrom\">"
                                 "<source file=\"/isos/a.iso\"/>"
                                 "<target dev=\"hdc\" bus=\"ide\"/>"));
  g_assert_null (strstr (xml, "\n<"));
}

static void
test_disks (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("iothreads.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (editor);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *sata = NULL;
  const GhDomainEditorDisk *disk;

  g_assert_cmpuint (disks->len, ==, 2);
  disk = find_disk (disks, "vdb");
  g_assert_nonnull (disk);
  g_assert_cmpstr (disk->device, ==, "disk");
  g_assert_cmpstr (disk->path, ==, "/dev/vg0/fast");
  g_assert_cmpstr (disk->format, ==, "raw");
  g_assert_cmpstr (disk->bus, ==, "virtio");

  /* vda and vdb are taken. */
  first = gh_domain_editor_add_disk (editor, "/images/data.qcow2", NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "vdc");
  second = gh_domain_editor_add_disk (editor, "/images/more.img", "raw", TRUE, &error);
  g_assert_cmpstr (second, ==, "vdd");
  sata = gh_domain_editor_add_disk (editor, "/images/legacy.vmdk", "vmdk", FALSE, &error);
  g_assert_cmpstr (sata, ==, "sda");

  again = reread (editor);
  g_clear_pointer (&disks, g_ptr_array_unref);
  disks = gh_domain_editor_dup_disks (again);
  g_assert_cmpuint (disks->len, ==, 5);
  disk = find_disk (disks, "vdc");
  g_assert_cmpstr (disk->path, ==, "/images/data.qcow2");
  g_assert_cmpstr (disk->format, ==, "qcow2");
  g_assert_cmpstr (disk->bus, ==, "virtio");
  disk = find_disk (disks, "sda");
  g_assert_cmpstr (disk->format, ==, "vmdk");
  g_assert_cmpstr (disk->bus, ==, "sata");
  /* The new disks follow the old ones. */
  g_assert_cmpstr (((GhDomainEditorDisk *) g_ptr_array_index (disks, 4))->target, ==, "sda");

  g_assert_true (gh_domain_editor_remove_disk (again, "vdb", &error));
  g_assert_no_error (error);
  g_assert_false (gh_domain_editor_remove_disk (again, "vdb", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_pointer (&disks, g_ptr_array_unref);
  disks = gh_domain_editor_dup_disks (again);
  g_assert_cmpuint (disks->len, ==, 4);
  g_assert_null (find_disk (disks, "vdb"));
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

static void
test_graphics_path (void)
{
  g_autoptr(GhDomainEditor) several = editor_from_data ("several-graphics.xml");
  g_autoptr(GhDomainEditor) channels = editor_from_data ("channels-consoles.xml");
  g_autoptr(GhDomainEditor) videos = editor_from_data ("several-videos.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  GhGraphicsPath virgl = {
    .kind = GH_GRAPHICS_PATH_VIRGL,
    .video_xml = "<video>\n  <model type='virtio' heads='1' primary='yes'>\n"
                 "    <acceleration accel3d='yes'/>\n  </model>\n</video>\n",
    .graphics_xml = "<graphics type='spice'>\n  <listen type='none'/>\n"
                    "  <gl enable='yes'/>\n</graphics>\n",
    .companions_xml = "<input type='tablet' bus='usb'/>\n"
                      "<channel type='spicevmc'>\n"
                      "  <target type='virtio' name='com.redhat.spice.0'/>\n"
                      "</channel>\n"
                      "<redirdev bus='usb' type='spicevmc'/>\n"
                      "<redirdev bus='usb' type='spicevmc'/>\n",
  };
  GhGraphicsPath mdev = virgl;

  mdev.kind = GH_GRAPHICS_PATH_MDEV;
  mdev.hostdev_xml = "<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='off'>\n"
                     "  <source>\n    <address uuid='3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1'/>\n"
                     "  </source>\n</hostdev>\n";

  /* Three displays and one video become the path's one of each, with all companions. */
  g_assert_true (gh_graphics_path_apply (&virgl, several, &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (several);
  g_assert_cmpuint (count (xml, "<graphics"), ==, 1);
  g_assert_cmpuint (count (xml, "<video"), ==, 1);
  g_assert_null (strstr (xml, "s3cret"));
  g_assert_null (strstr (xml, "egl-headless"));
  g_assert_nonnull (strstr (xml, "<gl enable=\"yes\"/>"));
  g_assert_nonnull (strstr (xml, "<acceleration accel3d=\"yes\"/>"));
  g_assert_cmpuint (count (xml, "<input type=\"tablet\""), ==, 1);
  g_assert_cmpuint (count (xml, "com.redhat.spice.0"), ==, 1);
  g_assert_cmpuint (count (xml, "<redirdev"), ==, 2);
  /* Indented like the devices around them. */
  g_assert_nonnull (strstr (xml, "\n    <graphics type=\"spice\">\n      <listen type=\"none\"/>\n"
                                 "      <gl enable=\"yes\"/>\n    </graphics>\n"));

  /* The tablet, the agent channel and one redirection channel are there already: only
   * the second redirection channel is new, and the other inputs and channels stay. */
  g_assert_true (gh_graphics_path_apply (&mdev, channels, &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (channels);
  g_assert_cmpuint (count (xml, "type=\"tablet\""), ==, 1);
  g_assert_cmpuint (count (xml, "com.redhat.spice.0"), ==, 1);
  g_assert_cmpuint (count (xml, "<redirdev"), ==, 2);
  g_assert_nonnull (strstr (xml, "org.qemu.guest_agent.0"));
  g_assert_nonnull (strstr (xml, "<input type=\"evdev\">"));
  g_assert_nonnull (strstr (xml, "<redirfilter>"));
  g_assert_nonnull (strstr (xml, "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1"));

  /* Applying it again changes nothing. */
  {
    g_autofree char *again = NULL;

    g_assert_true (gh_graphics_path_apply (&mdev, channels, &error));
    again = gh_domain_editor_to_xml (channels);
    g_assert_cmpstr (again, ==, xml);
  }

  g_assert_true (gh_graphics_path_apply (&virgl, videos, &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (videos);
  g_assert_cmpuint (count (xml, "<video"), ==, 1);
  g_assert_null (strstr (xml, "qxl"));
}

/* Displays that anyone who reaches a TCP port can take, and the ones that are private. */
static const char open_displays_xml[] =
  "<domain type='kvm'>\n"
  "  <name>open-ports</name>\n"
  "  <devices>\n"
  "    <graphics type='spice' port='5901' autoport='no' listen='0.0.0.0' keymap='de'"
  " defaultMode='any'>\n"
  "      <listen type='address' address='0.0.0.0'/>\n"
  "      <image compression='off'/>\n"
  "      <clipboard copypaste='no'/>\n"
  "    </graphics>\n"
  "    <graphics type='vnc' port='-1' autoport='yes' sharePolicy='force-shared'/>\n"
  "    <graphics type='vnc'>\n"
  "      <listen type='network' network='default'/>\n"
  "    </graphics>\n"
  "    <graphics type='vnc' port='5903' passwd='s3cret'>\n"
  "      <listen type='address' address='0.0.0.0'/>\n"
  "    </graphics>\n"
  "    <graphics type='spice'>\n"
  "      <listen type='none'/>\n"
  "    </graphics>\n"
  "    <graphics type='spice'>\n"
  "      <listen type='socket' socket='/run/user/1000/spice.sock'/>\n"
  "    </graphics>\n"
  "    <graphics type='egl-headless'/>\n"
  "    <video>\n"
  "      <model type='virtio'/>\n"
  "    </video>\n"
  "  </devices>\n"
  "</domain>\n";

static void
test_open_displays (void)
{
  g_autoptr(GhDomainEditor) editor = editor_new (open_displays_xml);
  g_autoptr(GhDomainEditor) closed = NULL;
  g_autoptr(GPtrArray) open = gh_domain_editor_dup_open_displays (editor);
  g_autoptr(GPtrArray) still_open = NULL;
  g_autofree char *xml = NULL;
  const GhDomainOpenDisplay *display;

  /* The one with a password, listen none, the socket and egl-headless are private. */
  g_assert_cmpuint (open->len, ==, 3);
  display = g_ptr_array_index (open, 0);
  g_assert_cmpstr (display->type, ==, "spice");
  g_assert_cmpstr (display->address, ==, "0.0.0.0");
  g_assert_cmpint (display->port, ==, 5901);
  display = g_ptr_array_index (open, 1);
  g_assert_cmpstr (display->type, ==, "vnc");
  g_assert_null (display->address);
  g_assert_cmpint (display->port, ==, 0);
  display = g_ptr_array_index (open, 2);
  g_assert_cmpstr (display->type, ==, "vnc");
  g_assert_cmpint (display->port, ==, 0);

  g_assert_cmpuint (gh_domain_editor_close_open_displays (editor), ==, 3);
  closed = reread (editor);
  still_open = gh_domain_editor_dup_open_displays (closed);
  g_assert_cmpuint (still_open->len, ==, 0);
  g_assert_cmpuint (gh_domain_editor_close_open_displays (closed), ==, 0);

  xml = gh_domain_editor_to_xml (closed);
  g_test_message ("%s", xml);
  /* The SPICE display keeps its keymap, mode and children; only the TCP part went. */
  g_assert_nonnull (strstr (xml, "    <graphics type=\"spice\" keymap=\"de\" defaultMode=\"any\">\n"
                                 "      <listen type=\"socket\"/>\n"
                                 "      <image compression=\"off\"/>\n"
                                 "      <clipboard copypaste=\"no\"/>\n"
                                 "    </graphics>\n"));
  g_assert_nonnull (strstr (xml, "    <graphics type=\"vnc\" sharePolicy=\"force-shared\">\n"
                                 "      <listen type=\"socket\"/>\n"
                                 "    </graphics>\n"));
  g_assert_nonnull (strstr (xml, "    <graphics type=\"vnc\">\n"
                                 "      <listen type=\"socket\"/>\n"
                                 "    </graphics>\n"));
  /* What was private or had a password stays as it was. */
  g_assert_nonnull (strstr (xml, "<graphics type=\"vnc\" port=\"5903\" passwd=\"s3cret\">\n"
                                 "      <listen type=\"address\" address=\"0.0.0.0\"/>"));
  g_assert_nonnull (strstr (xml, "<listen type=\"none\"/>"));
  g_assert_nonnull (strstr (xml, "<listen type=\"socket\" socket=\"/run/user/1000/spice.sock\"/>"));
  g_assert_nonnull (strstr (xml, "<graphics type=\"egl-headless\"/>"));
  g_assert_nonnull (strstr (xml, "<model type=\"virtio\"/>"));
  g_assert_null (strstr (xml, "5901"));
  g_assert_null (strstr (xml, "autoport"));
  g_assert_cmpuint (count (xml, "0.0.0.0"), ==, 1);
}

/* A display path that would open a port is refused, and the machine keeps its display. */
static void
test_graphics_path_refuses_open_port (void)
{
  g_autoptr(GhDomainEditor) editor = editor_new (open_displays_xml);
  g_autofree char *before = gh_domain_editor_to_xml (editor);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  GhGraphicsPath open = {
    .kind = GH_GRAPHICS_PATH_VGA,
    .video_xml = (char *) "<video><model type='vga'/></video>",
    .graphics_xml = (char *) "<graphics type='vnc'><listen type='address' "
                             "address='0.0.0.0'/></graphics>",
  };

  g_assert_false (gh_graphics_path_apply (&open, editor, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  after = gh_domain_editor_to_xml (editor);
  g_assert_cmpstr (after, ==, before);
}

static void
test_interfaces (void)
{
  g_autoptr(GhDomainEditor) editor = editor_from_data ("boot-order-devices.xml");
  g_autoptr(GhDomainEditor) compact = editor_from_data ("compact-no-whitespace.xml");
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GPtrArray) interfaces = gh_domain_editor_dup_interfaces (editor);
  g_autoptr(GError) error = NULL;
  const GhDomainInterface *iface;

  g_assert_cmpuint (interfaces->len, ==, 1);
  iface = g_ptr_array_index (interfaces, 0);
  g_assert_cmpstr (iface->type, ==, "network");
  g_assert_cmpstr (iface->source, ==, "default");
  g_assert_cmpstr (iface->mac, ==, "52:54:00:aa:bb:cc");
  g_assert_cmpstr (iface->model, ==, "e1000e");

  g_assert_true (gh_domain_editor_set_interface_model (editor, "52:54:00:AA:BB:CC", "virtio",
                                                       &error));
  g_assert_no_error (error);
  again = reread (editor);
  g_clear_pointer (&interfaces, g_ptr_array_unref);
  interfaces = gh_domain_editor_dup_interfaces (again);
  g_assert_cmpstr (((GhDomainInterface *) g_ptr_array_index (interfaces, 0))->model, ==, "virtio");

  g_assert_false (gh_domain_editor_set_interface_model (again, "52:54:00:00:00:99", "virtio",
                                                        &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);

  /* An interface without a <model> gets one. */
  g_assert_true (gh_domain_editor_set_interface_model (compact, NULL, "e1000e", NULL));
  g_clear_pointer (&interfaces, g_ptr_array_unref);
  interfaces = gh_domain_editor_dup_interfaces (compact);
  g_assert_cmpstr (((GhDomainInterface *) g_ptr_array_index (interfaces, 0))->model, ==, "e1000e");
}

/* ---- Host devices, defined into the test driver ----------------------------------- */

/* A shut-off domain of the host-gpus.xml test driver, after the edit, as libvirt keeps it. */
static GhDomainEditor *
define_and_read_back (virConnectPtr   conn,
                      GhDomainEditor *editor)
{
  g_autofree char *xml = gh_domain_editor_to_xml (editor);
  virDomainPtr domain = virDomainDefineXMLFlags (conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  GhDomainEditor *read_back;
  char *defined;

  if (domain == NULL)
    {
      g_autofree char *message = gh_test_virt_last_error ();

      g_error ("libvirt refused the edited XML: %s\n%s", message, xml);
    }

  defined = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  g_assert_nonnull (defined);
  read_back = editor_new (defined);
  free (defined);
  virDomainFree (domain);

  return read_back;
}

static GhDomainEditor *
new_test_domain (virConnectPtr  conn,
                 const char    *name)
{
  g_autoptr(GhDomainEditor) empty = NULL;
  g_autofree char *xml = NULL;

  xml = g_strdup_printf ("<domain type='test'>\n"
                         "  <name>%s</name>\n"
                         "  <memory unit='MiB'>512</memory>\n"
                         "  <vcpu>1</vcpu>\n"
                         "  <os>\n    <type arch='x86_64'>hvm</type>\n  </os>\n"
                         "  <devices>\n  </devices>\n"
                         "</domain>\n", name);
  empty = editor_new (xml);
  return define_and_read_back (conn, empty);
}

static const GhDomainHostdev *
find_hostdev (GPtrArray           *hostdevs,
              GhDomainHostdevKind  kind,
              const char          *address_or_uuid)
{
  for (guint i = 0; i < hostdevs->len; i++)
    {
      const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, i);

      if (hostdev->kind == kind
          && (g_strcmp0 (hostdev->address, address_or_uuid) == 0
              || g_strcmp0 (hostdev->uuid, address_or_uuid) == 0))
        return hostdev;
    }

  return NULL;
}

static void
test_pci_hostdevs (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GhDomainEditor) editor = new_test_domain (conn, "pci");
  g_autoptr(GhDomainEditor) attached = NULL;
  g_autoptr(GhDomainEditor) detached = NULL;
  g_autoptr(GPtrArray) hostdevs = NULL;
  g_autoptr(GError) error = NULL;
  const char *addresses[] = { "0000:01:00.0", "01:00.1", "0000:01:00.0", NULL };
  const char *bad[] = { "0000:01:00.0", "0000:01:32.0", NULL };
  const GhDomainHostdev *hostdev;

  /* Twice the same, once shortened: two hostdevs. */
  g_assert_true (gh_domain_editor_attach_pci_hostdevs (editor, addresses, &error));
  g_assert_no_error (error);
  g_assert_true (gh_domain_editor_attach_pci_hostdevs (editor, addresses, &error));
  attached = define_and_read_back (conn, editor);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 2);
  hostdev = find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_PCI, "0000:01:00.0");
  g_assert_nonnull (hostdev);
  g_assert_true (hostdev->managed);
  g_assert_nonnull (find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_PCI, "0000:01:00.1"));

  /* A bad address changes nothing. */
  g_assert_false (gh_domain_editor_attach_pci_hostdevs (attached, bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (gh_domain_editor_detach_pci_hostdev (attached, "0000:01:00.1", &error));
  g_assert_no_error (error);
  g_assert_false (gh_domain_editor_detach_pci_hostdev (attached, "0000:01:00.1", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  detached = define_and_read_back (conn, attached);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (detached);
  g_assert_cmpuint (hostdevs->len, ==, 1);
  g_assert_nonnull (find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_PCI, "0000:01:00.0"));

  virConnectClose (conn);
}

static void
test_mdev (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GhDomainEditor) editor = new_test_domain (conn, "mdev");
  g_autoptr(GhDomainEditor) attached = NULL;
  g_autoptr(GhDomainEditor) detached = NULL;
  g_autoptr(GPtrArray) hostdevs = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid = "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1";
  const GhDomainHostdev *hostdev;

  g_assert_true (gh_domain_editor_attach_mdev (editor, uuid, NULL, FALSE, &error));
  g_assert_no_error (error);
  attached = define_and_read_back (conn, editor);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 1);
  hostdev = find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_MDEV, uuid);
  g_assert_nonnull (hostdev);
  g_assert_cmpstr (hostdev->model, ==, "vfio-pci");
  g_assert_false (hostdev->display);

  /* Its screen needs the machine's display, which this one lacks: libvirt would refuse
   * display='on', so the editor does first, saying what to do. */
  g_assert_false (gh_domain_editor_get_has_graphics (attached));
  g_assert_false (gh_domain_editor_attach_mdev (attached, uuid, NULL, TRUE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "no display"));
  g_clear_error (&error);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_false (((GhDomainHostdev *) g_ptr_array_index (hostdevs, 0))->display);

  /* With a display, attaching it again only changes its display. */
  {
    g_autofree char *text = gh_domain_editor_to_xml (attached);
    g_autoptr(GString) xml = g_string_new (text);
    g_autoptr(GhDomainEditor) shown = NULL;

    g_assert_cmpuint (g_string_replace (xml, "<devices>", "<devices><graphics type='spice'/>", 1),
                      ==, 1);
    shown = editor_new (xml->str);
    g_assert_true (gh_domain_editor_get_has_graphics (shown));
    g_assert_true (gh_domain_editor_attach_mdev (shown, uuid, NULL, TRUE, &error));
    g_assert_no_error (error);
    g_clear_pointer (&hostdevs, g_ptr_array_unref);
    hostdevs = gh_domain_editor_dup_hostdevs (shown);
    g_assert_cmpuint (hostdevs->len, ==, 1);
    g_assert_true (((GhDomainHostdev *) g_ptr_array_index (hostdevs, 0))->display);
  }

  g_assert_false (gh_domain_editor_attach_mdev (attached, "not-a-uuid", NULL, FALSE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (gh_domain_editor_detach_mdev (attached, uuid, &error));
  g_assert_no_error (error);
  detached = define_and_read_back (conn, attached);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (detached);
  g_assert_cmpuint (hostdevs->len, ==, 0);
  g_assert_false (gh_domain_editor_detach_mdev (detached, uuid, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);

  virConnectClose (conn);
}

/* "Create and Attach" marks the device as Greenhouse's in the domain's own metadata,
 * which libvirt keeps; Detach forgets it and leaves other tools' metadata alone. */
static void
test_mdev_made (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GhDomainEditor) editor = new_test_domain (conn, "mdev-made");
  g_autoptr(GhDomainEditor) attached = NULL;
  g_autoptr(GhDomainEditor) detached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  g_autofree char *xml = NULL;
  const char *uuid = "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1";
  const char *other = "5b0a3e8c-1f2d-4c6b-8e7a-9d1c2b3a4f50";
  const char *node = "mdev_3a1f7c52_7e0b_4c4e_9a7e_52d4c1b0e6a1_0000_00_02_0";

  /* One made elsewhere, never marked. */
  g_assert_true (gh_domain_editor_attach_mdev (editor, other, NULL, FALSE, &error));
  g_assert_true (gh_domain_editor_attach_mdev (editor, uuid, NULL, FALSE, &error));
  g_assert_no_error (error);
  gh_domain_editor_mark_mdev_made (editor, uuid, node);
  gh_domain_editor_mark_mdev_made (editor, uuid, node);
  attached = define_and_read_back (conn, editor);

  device = gh_domain_editor_dup_mdev_made (attached, uuid);
  g_assert_cmpstr (device, ==, node);
  g_clear_pointer (&device, g_free);
  g_assert_null (gh_domain_editor_dup_mdev_made (attached, other));
  xml = gh_domain_editor_to_xml (attached);
  g_assert_nonnull (strstr (xml, GH_DOMAIN_METADATA_NS));
  /* Marked once, however often asked. */
  g_assert_null (strstr (strstr (xml, "made-mdev") + 1, "made-mdev uuid"));
  g_clear_pointer (&xml, g_free);

  /* Detaching the one made elsewhere keeps the mark of the other. */
  g_assert_true (gh_domain_editor_detach_mdev (attached, other, &error));
  device = gh_domain_editor_dup_mdev_made (attached, uuid);
  g_assert_cmpstr (device, ==, node);
  g_clear_pointer (&device, g_free);

  g_assert_true (gh_domain_editor_detach_mdev (attached, uuid, &error));
  g_assert_no_error (error);
  detached = define_and_read_back (conn, attached);
  g_assert_null (gh_domain_editor_dup_mdev_made (detached, uuid));
  xml = gh_domain_editor_to_xml (detached);
  g_assert_null (strstr (xml, GH_DOMAIN_METADATA_NS));
  g_assert_null (strstr (xml, "<metadata"));
  g_clear_pointer (&xml, g_free);

  virConnectClose (conn);
}

/* Greenhouse's element joins other tools' metadata and goes without touching it. */
static void
test_mdev_made_keeps_metadata (void)
{
  static const char *xml_in =
    "<domain type=\"test\">\n"
    "  <name>with-metadata</name>\n"
    "  <metadata>\n"
    "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n"
    "      <libosinfo:os id=\"http://fedoraproject.org/fedora/40\"/>\n"
    "    </libosinfo:libosinfo>\n"
    "  </metadata>\n"
    "  <memory unit=\"KiB\">262144</memory>\n"
    "  <os>\n"
    "    <type arch=\"x86_64\">hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "  </devices>\n"
    "</domain>\n";
  const char *uuid = "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1";
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GhDomainEditor) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *device = NULL;

  editor = gh_domain_editor_new (xml_in, &error);
  g_assert_no_error (error);
  g_assert_true (gh_domain_editor_attach_mdev (editor, uuid, NULL, FALSE, &error));
  gh_domain_editor_mark_mdev_made (editor, uuid, "mdev_x");
  xml = gh_domain_editor_to_xml (editor);
  g_test_message ("%s", xml);
  g_assert_nonnull (strstr (xml, "libosinfo:os id="));
  /* The namespace is declared once, on Greenhouse's element. */
  g_assert_null (strstr (strstr (xml, GH_DOMAIN_METADATA_NS) + 1, GH_DOMAIN_METADATA_NS));

  reread = gh_domain_editor_new (xml, &error);
  g_assert_no_error (error);
  device = gh_domain_editor_dup_mdev_made (reread, uuid);
  g_assert_cmpstr (device, ==, "mdev_x");

  g_assert_true (gh_domain_editor_detach_mdev (reread, uuid, &error));
  g_clear_pointer (&xml, g_free);
  xml = gh_domain_editor_to_xml (reread);
  g_assert_cmpstr (xml, ==, xml_in);
}

static void
test_usb (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GhDomainEditor) editor = new_test_domain (conn, "usb");
  g_autoptr(GhDomainEditor) attached = NULL;
  g_autoptr(GPtrArray) hostdevs = NULL;
  g_autoptr(GError) error = NULL;
  const GhDomainHostdev *by_id = NULL;
  const GhDomainHostdev *by_port = NULL;

  g_assert_true (gh_domain_editor_attach_usb (editor, 0x046d, 0xc52b, &error));
  g_assert_true (gh_domain_editor_attach_usb (editor, 0x046d, 0xc52b, &error));
  g_assert_true (gh_domain_editor_attach_usb_at (editor, 3, 7, &error));
  g_assert_no_error (error);
  attached = define_and_read_back (conn, editor);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 2);
  for (guint i = 0; i < hostdevs->len; i++)
    {
      const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, i);

      g_assert_cmpint (hostdev->kind, ==, GH_DOMAIN_HOSTDEV_USB);
      if (hostdev->vendor_id != 0)
        by_id = hostdev;
      else
        by_port = hostdev;
    }
  g_assert_nonnull (by_id);
  g_assert_cmphex (by_id->product_id, ==, 0xc52b);
  g_assert_nonnull (by_port);
  g_assert_cmpstr (by_port->address, ==, "3.7");

  g_assert_true (gh_domain_editor_detach_usb (attached, 0x046d, 0xc52b, &error));
  g_assert_false (gh_domain_editor_detach_usb (attached, 0x046d, 0xc52b, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (gh_domain_editor_detach_usb_at (attached, 3, 7, &error));
  g_assert_no_error (error);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 0);

  /* Other kinds of host devices are listed and left alone. */
  {
    g_autoptr(GhDomainEditor) mixed = editor_from_data ("hostdevs.xml");
    g_autoptr(GPtrArray) all = gh_domain_editor_dup_hostdevs (mixed);

    g_assert_cmpuint (all->len, ==, 4);
    g_assert_cmpint (((GhDomainHostdev *) g_ptr_array_index (all, 3))->kind, ==,
                     GH_DOMAIN_HOSTDEV_OTHER);
    g_assert_true (gh_domain_editor_detach_usb (mixed, 0x046d, 0xc52b, &error));
    g_assert_no_error (error);
  }

  virConnectClose (conn);
}

static GhHostInventory *
load_inventory (GhConnection *connection)
{
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inventory = g_object_ref (gh_connection_get_host_inventory (connection));
  gh_host_inventory_load_async (inventory, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the host inventory to load");
  g_assert_true (gh_host_inventory_load_finish (inventory, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&inventory);
}

/* host-gpus.xml: the NVIDIA card (01:00.0) shares its group with its own audio function
 * and a root port, so it goes with its audio; the AMD card's group holds the USB
 * controller and the PCH's SRAM. */
static void
test_gpu (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  g_autoptr(GhHost) host = gh_host_inventory_dup_host (inventory);
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GhDomainEditor) editor = new_test_domain (conn, "gpu");
  g_autoptr(GhDomainEditor) attached = NULL;
  g_autoptr(GhDomainEditor) detached = NULL;
  g_autoptr(GPtrArray) hostdevs = NULL;
  g_autoptr(GError) error = NULL;

  /* The edit reads its own snapshot of the host, as a worker does: not the inventory. */
  g_clear_object (&inventory);
  g_assert_true (gh_host_attach_gpu (host, editor, "0000:01:00.0", FALSE, &error));
  g_assert_no_error (error);
  attached = define_and_read_back (conn, editor);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 2);
  g_assert_nonnull (find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_PCI, "0000:01:00.0"));
  g_assert_nonnull (find_hostdev (hostdevs, GH_DOMAIN_HOSTDEV_PCI, "0000:01:00.1"));

  /* Refused, with the devices that would have to go too named, and nothing attached. */
  g_assert_false (gh_host_attach_gpu (host, attached, "0000:02:00.0", TRUE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (gh_error_get_what (error), "0000:02:00.0"));
  g_assert_nonnull (strstr (gh_error_get_detail (error), "IOMMU group 13"));
  g_assert_nonnull (strstr (error->message, "0000:00:14.0"));
  g_assert_nonnull (strstr (error->message, "0000:00:14.2"));
  g_clear_error (&error);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (attached);
  g_assert_cmpuint (hostdevs->len, ==, 2);

  g_assert_false (gh_host_attach_gpu (host, attached, "0000:09:00.0", FALSE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Detaching the GPU takes its audio too. */
  g_assert_true (gh_host_detach_gpu (host, attached, "01:00.0", &error));
  g_assert_no_error (error);
  detached = define_and_read_back (conn, attached);
  g_clear_pointer (&hostdevs, g_ptr_array_unref);
  hostdevs = gh_domain_editor_dup_hostdevs (detached);
  g_assert_cmpuint (hostdevs->len, ==, 0);
  g_assert_false (gh_host_detach_gpu (host, detached, "0000:01:00.0", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);

  virConnectClose (conn);
  gh_test_close_connection (connection);
}

/* ---- gh_machine_edit_async ----------------------------------------------------------- */

static gboolean
set_memory_edit (GhDomainEditor  *editor,
                 gpointer         user_data,
                 GError         **error)
{
  return gh_domain_editor_set_memory (editor, *(guint64 *) user_data, error);
}

static gboolean
failing_edit (GhDomainEditor  *editor,
              gpointer         user_data,
              GError         **error)
{
  g_assert_true (gh_domain_editor_set_title (editor, "never defined", NULL));
  return gh_domain_editor_remove_disk (editor, "vdz", error);
}

static gboolean
invalid_edit (GhDomainEditor  *editor,
              gpointer         user_data,
              GError         **error)
{
  const char *order[] = { "hd", NULL };
  g_autofree char *target = NULL;

  /* Well-formed, but a disk format libvirt's schema does not know: validation refuses
   * the whole definition, the boot order with it. */
  if (!gh_domain_editor_set_boot_order (editor, order, error))
    return FALSE;
  target = gh_domain_editor_add_disk (editor, "/x.img", "no such format!", TRUE, error);
  return target != NULL;
}

static gboolean
edit (GhMachine         *machine,
      GhDomainEditFunc   func,
      gpointer           data,
      gboolean          *next_boot,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gh_machine_edit_async (machine, NULL, NULL, func, data, NULL, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the machine to be edited");
  return gh_machine_edit_finish (machine, result, next_boot, error);
}

static GhMachine *
find_machine_in_state (GhMachineList  *list,
                       GhMachineState  state)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (gh_machine_get_state (machine) == state && gh_machine_get_persistent (machine))
        return machine;
    }

  return NULL;
}

static void
test_machine_edit (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GhMachine) off = NULL;
  g_autoptr(GhMachine) running = NULL;
  g_autoptr(GError) error = NULL;
  guint64 memory = 3 * GIB;
  gboolean next_boot = TRUE;

  off = g_object_ref (find_machine_in_state (list, GH_MACHINE_STATE_SHUT_OFF));
  running = g_object_ref (find_machine_in_state (list, GH_MACHINE_STATE_RUNNING));

  /* Applies now; the machine learns of it through libvirt's event. */
  g_assert_true (edit (off, set_memory_edit, &memory, &next_boot, &error));
  g_assert_no_error (error);
  g_assert_false (next_boot);
  gh_test_wait_until (gh_machine_get_memory (off) == memory, "the new memory to arrive");

  /* A running machine gets it at its next boot; its running state stays. */
  memory = 5 * GIB;
  g_assert_true (edit (running, set_memory_edit, &memory, &next_boot, &error));
  g_assert_no_error (error);
  g_assert_true (next_boot);
  g_assert_cmpint (gh_machine_get_state (running), ==, GH_MACHINE_STATE_RUNNING);
  {
    virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
    virDomainPtr domain = virDomainLookupByUUIDString (conn, gh_machine_get_uuid (running));
    char *inactive = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
    g_autoptr(GhDomainEditor) editor = editor_new (inactive);

    g_assert_cmpuint (gh_domain_editor_get_memory (editor), ==, 5 * GIB);
    free (inactive);
    virDomainFree (domain);
    virConnectClose (conn);
  }

  /* A failing edit defines nothing, and says which machine and why. */
  g_assert_false (edit (off, failing_edit, NULL, &next_boot, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, gh_machine_get_display_name (off)));
  g_assert_nonnull (strstr (error->message, "vdz"));
  g_clear_error (&error);

  /* What libvirt refuses is libvirt's reason. */
  g_assert_false (edit (off, invalid_edit, NULL, &next_boot, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("refused by libvirt: %s", error->message);
  g_clear_error (&error);

  gh_test_settle (100);
  g_assert_cmpstr (gh_machine_get_title (off), !=, "never defined");
  g_assert_cmpuint (gh_machine_get_memory (off), ==, 3 * GIB);

  gh_test_close_connection (connection);
}

/* The install phase becomes the installed machine: what another tool wrote stays. */
static const char express_xml[] =
  "<domain type='kvm'>\n"
  "  <name>express</name>\n"
  "  <metadata>\n"
  "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
  "      <libosinfo:os id='http://debian.org/debian/testing'/>\n"
  "    </libosinfo:libosinfo>\n"
  "    <greenhouse:greenhouse xmlns:greenhouse='" GH_DOMAIN_METADATA_NS "'>\n"
  "      <greenhouse:express-install kernel='/p/express-install-kernel' "
  "initrd='/p/express-install-initrd'/>\n"
  "    </greenhouse:greenhouse>\n"
  "  </metadata>\n"
  "  <memory unit='KiB'>1048576</memory>\n"
  "  <os>\n"
  "    <type arch='x86_64' machine='q35'>hvm</type>\n"
  "    <kernel>/p/express-install-kernel</kernel>\n"
  "    <initrd>/p/express-install-initrd</initrd>\n"
  "    <cmdline>debconf/priority=critical</cmdline>\n"
  "  </os>\n"
  "  <on_poweroff>destroy</on_poweroff>\n"
  "  <on_reboot>destroy</on_reboot>\n"
  "  <devices>\n"
  "    <disk type='file' device='cdrom'>\n"
  "      <source file='/media/debian.iso'/>\n"
  "      <target dev='sda' bus='sata'/>\n"
  "      <readonly/>\n"
  "      <boot order='1'/>\n"
  "    </disk>\n"
  "    <disk type='file' device='disk'>\n"
  "      <source file='/p/express.qcow2'/>\n"
  "      <target dev='vda' bus='virtio'/>\n"
  "      <boot order='2'/>\n"
  "    </disk>\n"
  "    <!-- the user's own -->\n"
  "    <watchdog model='itco' action='reset'/>\n"
  "  </devices>\n"
  "</domain>\n";

static void
test_express_install (void)
{
  g_autoptr(GhDomainEditor) editor = editor_new (express_xml);
  g_autoptr(GhDomainEditor) ended = NULL;
  g_autoptr(GPtrArray) cdroms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *xml = NULL;
  g_auto(GStrv) order = NULL;
  const char * const disk_first[] = { "disk:vda", "disk:sda", NULL };

  g_assert_true (gh_domain_editor_get_express_install (editor, &kernel, &initrd));
  g_assert_cmpstr (kernel, ==, "/p/express-install-kernel");
  g_assert_cmpstr (initrd, ==, "/p/express-install-initrd");

  g_assert_true (gh_domain_editor_end_express_install (editor, &error));
  g_assert_no_error (error);
  ended = reread (editor);
  xml = gh_domain_editor_to_xml (ended);

  g_assert_false (gh_domain_editor_get_express_install (ended, NULL, NULL));
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_null (strstr (xml, "<initrd>"));
  g_assert_null (strstr (xml, "<cmdline>"));
  g_assert_null (strstr (xml, "greenhouse"));
  g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));
  g_assert_nonnull (strstr (xml, "<on_poweroff>destroy</on_poweroff>"));
  /* What Greenhouse did not write stays, laid out as it was. */
  g_assert_nonnull (strstr (xml, "    <libosinfo:libosinfo xmlns:libosinfo="));
  g_assert_nonnull (strstr (xml, "    <!-- the user's own -->\n"
                                 "    <watchdog model=\"itco\" action=\"reset\"/>\n"));
  g_assert_nonnull (strstr (xml, "  <os>\n    <type arch=\"x86_64\" machine=\"q35\">hvm</type>\n"
                                 "  </os>\n"));

  /* The installer is ejected, the installed disk boots. */
  cdroms = gh_domain_editor_dup_cdroms (ended);
  g_assert_cmpuint (cdroms->len, ==, 1);
  g_assert_null (((GhDomainEditorDisk *) g_ptr_array_index (cdroms, 0))->path);
  order = gh_domain_editor_dup_boot_order (ended);
  g_assert_cmpstrv (order, disk_first);

  /* Only once. */
  g_assert_false (gh_domain_editor_end_express_install (ended, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_STATE);
}

static void
test_express_install_boot_os (void)
{
  g_autoptr(GString) xml = g_string_new (express_xml);
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) order = NULL;
  const char * const hd_first[] = { "hd", "cdrom", NULL };

  /* An <os><boot dev> list puts hd first, the rest after it. */
  g_string_replace (xml, "      <boot order='1'/>\n", "", 0);
  g_string_replace (xml, "      <boot order='2'/>\n", "", 0);
  g_string_replace (xml, "    <cmdline>", "    <boot dev='cdrom'/>\n    <boot dev='hd'/>\n"
                                          "    <cmdline>", 0);
  editor = editor_new (xml->str);
  g_assert_true (gh_domain_editor_end_express_install (editor, &error));
  g_assert_no_error (error);
  order = gh_domain_editor_dup_boot_order (editor);
  g_assert_cmpstrv (order, hd_first);
}

/* A new display path keeps what the user chose about the display: no clipboard and no
 * file transfer with the guest, and its number of monitors. */
static void
test_graphics_path_keeps_choices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) editor =
    gh_domain_editor_new ("<domain type='kvm'><name>choices</name><memory>524288</memory>"
                          "<os><type>hvm</type></os><devices>"
                          "<graphics type='spice'><listen type='none'/>"
                          "<clipboard copypaste='no'/><filetransfer enable='no'/></graphics>"
                          "<video><model type='qxl' heads='2' primary='yes'/></video>"
                          "</devices></domain>", &error);
  GhGraphicsPath virgl = {
    .kind = GH_GRAPHICS_PATH_VIRGL,
    .video_xml = "<video>\n  <model type='virtio' heads='1' primary='yes'>\n"
                 "    <acceleration accel3d='yes'/>\n  </model>\n</video>\n",
    .graphics_xml = "<graphics type='spice'>\n  <listen type='none'/>\n"
                    "  <gl enable='yes'/>\n</graphics>\n",
  };
  g_autofree char *xml = NULL;
  g_autoptr(GhDomainEditor) again = NULL;

  g_assert_no_error (error);
  g_assert_true (gh_graphics_path_apply (&virgl, editor, &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (editor);
  g_assert_nonnull (strstr (xml, "<clipboard copypaste=\"no\"/>"));
  g_assert_nonnull (strstr (xml, "<filetransfer enable=\"no\"/>"));
  g_assert_nonnull (strstr (xml, "<gl enable=\"yes\"/>"));
  g_assert_nonnull (strstr (xml, "type=\"virtio\" heads=\"2\""));
  g_assert_null (strstr (xml, "qxl"));
  /* Still a document libxml2 reads back. */
  again = gh_domain_editor_new (xml, &error);
  g_assert_no_error (error);
}

#define NUMA_DOMAIN(cells) \
  "<domain type='kvm'><name>numa</name><memory unit='KiB'>1048576</memory>" \
  "<vcpu placement='static'>4</vcpu>" \
  "<cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='3' cpuset='1'/></cputune>" \
  "<os><type>hvm</type></os><cpu>" cells "</cpu><devices>" \
  "<interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/>" \
  "<driver name='vhost' queues='4'/></interface></devices></domain>"

/* What libvirt would change behind an edit's back goes with the edit: one NUMA node
 * follows memory and processors, pinning of vCPUs that are gone goes, and a card that is
 * no longer virtio loses virtio's queues. Several NUMA nodes are the user's own split:
 * refused, with what to do instead. */
static void
test_edits_take_what_goes_with_them (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) one =
    gh_domain_editor_new (NUMA_DOMAIN ("<numa><cell id='0' cpus='0-3' memory='1048576' "
                                       "unit='KiB'/></numa>"), &error);
  g_autoptr(GhDomainEditor) two =
    gh_domain_editor_new (NUMA_DOMAIN ("<numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/>"
                                       "<cell id='1' cpus='2-3' memory='524288' unit='KiB'/>"
                                       "</numa>"), &error);
  g_autofree char *xml = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);

  g_assert_true (gh_domain_editor_set_memory (one, G_GUINT64_CONSTANT (2) << 30, &error));
  g_assert_no_error (error);
  g_assert_true (gh_domain_editor_set_vcpus (one, 2, &error));
  g_assert_no_error (error);
  g_assert_true (gh_domain_editor_set_interface_model (one, NULL, "e1000e", &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (one);
  g_assert_nonnull (strstr (xml, "<cell id=\"0\" cpus=\"0-1\" memory=\"2097152\" unit=\"KiB\"/>"));
  g_assert_nonnull (strstr (xml, "<vcpupin vcpu=\"0\" cpuset=\"0\"/>"));
  g_assert_null (strstr (xml, "vcpu=\"3\""));
  g_assert_null (strstr (xml, "queues"));
  g_assert_nonnull (strstr (xml, "<model type=\"e1000e\"/>"));

  unchanged = gh_domain_editor_to_xml (two);
  g_assert_false (gh_domain_editor_set_memory (two, G_GUINT64_CONSTANT (2) << 30, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "split over 2 NUMA nodes"));
  g_assert_nonnull (strstr (error->message, "virsh edit"));
  g_clear_error (&error);
  g_assert_false (gh_domain_editor_set_vcpus (two, 2, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "virsh edit"));
  g_clear_error (&error);
  after = gh_domain_editor_to_xml (two);
  g_assert_cmpstr (after, ==, unchanged);

  /* A transitional virtio card is virtio too: libvirt keeps its queues, and so do we. */
  g_assert_true (gh_domain_editor_set_interface_model (two, NULL, "virtio-transitional", &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = gh_domain_editor_to_xml (two);
  g_assert_nonnull (strstr (after, "<driver name=\"vhost\" queues=\"4\"/>"));
}

/* What a window compares before its edit lands: the selected elements as text, "" for
 * none, and a change elsewhere in the domain leaves it as it was. */
static void
test_dup_part (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) editor =
    gh_domain_editor_new ("<domain type='kvm'><name>part</name><memory unit='KiB'>524288</memory>"
                          "<currentMemory unit='KiB'>524288</currentMemory><vcpu>1</vcpu>"
                          "<os><type>hvm</type></os></domain>", &error);
  g_autofree char *memory = NULL;
  g_autofree char *memory_after = NULL;
  g_autofree char *memory_changed = NULL;
  g_autofree char *none = NULL;

  g_assert_no_error (error);
  memory = gh_domain_editor_dup_part (editor, "/domain/memory | /domain/currentMemory");
  g_assert_cmpstr (memory, ==, "<memory unit=\"KiB\">524288</memory>\n"
                               "<currentMemory unit=\"KiB\">524288</currentMemory>\n");
  none = gh_domain_editor_dup_part (editor, "/domain/title");
  g_assert_cmpstr (none, ==, "");

  g_assert_true (gh_domain_editor_set_vcpus (editor, 2, &error));
  g_assert_no_error (error);
  memory_after = gh_domain_editor_dup_part (editor, "/domain/memory | /domain/currentMemory");
  g_assert_cmpstr (memory_after, ==, memory);

  g_assert_true (gh_domain_editor_set_memory (editor, G_GUINT64_CONSTANT (1) << 30, &error));
  g_assert_no_error (error);
  memory_changed = gh_domain_editor_dup_part (editor, "/domain/memory | /domain/currentMemory");
  g_assert_cmpstr (memory_changed, !=, memory);
}

/* What the read-back after a define finds: nothing lost where libvirt only added
 * defaults and addresses, or kept two alike in their places; and in words, what it
 * rewrote (a value), dropped (an element, an attribute) or left out. */
static void
test_dup_lost (void)
{
  const char *part = "/domain/memory | /domain/cpu/numa | /domain/cputune"
                     " | /domain/devices/interface | /domain/devices/redirdev";
  g_autoptr(GhDomainEditor) asked =
    editor_new ("<domain type='kvm'><name>lost</name><memory unit='KiB'>1048576</memory>"
                "<cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='1'/></cputune>"
                "<cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa></cpu>"
                "<devices><interface type='user'><model type='virtio'/>"
                "<driver queues='4'/></interface>"
                "<redirdev bus='usb' type='spicevmc'/><redirdev bus='usb' type='spicevmc'/>"
                "</devices></domain>");
  /* What libvirt writes back for it: the same, with its own additions. */
  const char *kept =
    "<domain type='kvm'><name>lost</name><uuid>0e5c1ea1-1e9e-4a4c-9f4e-1c0a0a0a0a0a</uuid>"
    "<memory unit='KiB'>1048576</memory>"
    "<cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='1'/></cputune>"
    "<cpu mode='custom'><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa></cpu>"
    "<devices><interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/>"
    "<driver queues='4'/><address type='pci' bus='0x01' slot='0x00'/></interface>"
    "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='2'/></redirdev>"
    "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='3'/></redirdev>"
    "</devices></domain>";
  const struct { const char *from; const char *to; const char *lost; } rewrites[] = {
    { "<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>1310720</memory>",
      "<memory> holds 1310720, not 1048576" },
    { "cpus='0-1' memory='1048576'", "cpus='0-1' memory='524288'",
      "memory of <cell> of <numa> is 524288, not 1048576" },
    { "<driver queues='4'/>", "", "<driver> of <interface> is gone" },
    { "<driver queues='4'/>", "<driver/>", "queues of <driver> of <interface> is gone" },
    { "<vcpupin vcpu='1' cpuset='1'/>", "", "<vcpupin> of <cputune> is gone" },
    { "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='3'/></redirdev>",
      "", "<redirdev> is gone" },
  };
  g_autoptr(GhDomainEditor) same = editor_new (kept);
  g_autofree char *nothing = gh_domain_editor_dup_lost (asked, same, part);
  g_autofree char *whole = gh_domain_editor_dup_lost (asked, same, "/domain");

  g_assert_null (nothing);
  g_assert_null (whole);

  for (guint i = 0; i < G_N_ELEMENTS (rewrites); i++)
    {
      g_autoptr(GString) xml = g_string_new (kept);
      g_autoptr(GhDomainEditor) stored = NULL;
      g_autofree char *lost = NULL;

      g_assert_cmpuint (g_string_replace (xml, rewrites[i].from, rewrites[i].to, 1), ==, 1);
      stored = editor_new (xml->str);
      lost = gh_domain_editor_dup_lost (asked, stored, part);
      g_assert_cmpstr (lost, ==, rewrites[i].lost);
    }
}

/* A machine whose definition turns USB off: libvirt refuses any USB device, so USB
 * devices are refused with the reason, and a new display path leaves out its USB tablet
 * and redirection but keeps the agent channel. */
static void
test_usb_off (void)
{
  g_autoptr(GhDomainEditor) editor =
    editor_new ("<domain type='kvm'><name>no-usb</name><memory unit='KiB'>524288</memory>"
                "<os><type>hvm</type></os><devices>\n"
                "    <controller type='usb' model='none'/>\n"
                "    <input type='mouse' bus='ps2'/>\n"
                "  </devices></domain>");
  g_autoptr(GhDomainEditor) with_usb =
    editor_new ("<domain type='kvm'><name>usb</name><devices>"
                "<controller type='usb' model='qemu-xhci'/></devices></domain>");
  GhGraphicsPath qxl = {
    .kind = GH_GRAPHICS_PATH_QXL,
    .video_xml = "<video>\n  <model type='qxl' heads='1' primary='yes'/>\n</video>\n",
    .graphics_xml = "<graphics type='spice'>\n  <listen type='none'/>\n</graphics>\n",
    .companions_xml = "<input type='tablet' bus='usb'/>\n"
                      "<channel type='spicevmc'>\n"
                      "  <target type='virtio' name='com.redhat.spice.0'/>\n"
                      "</channel>\n"
                      "<redirdev bus='usb' type='spicevmc'/>\n",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = gh_domain_editor_to_xml (editor);
  g_autofree char *after = NULL;
  g_autofree char *xml = NULL;

  g_assert_false (gh_domain_editor_get_has_usb (editor));
  g_assert_true (gh_domain_editor_get_has_usb (with_usb));

  g_assert_false (gh_domain_editor_attach_usb (editor, 0x046d, 0xc52b, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "turn USB on with virsh edit"));
  g_clear_error (&error);
  g_assert_false (gh_domain_editor_attach_usb_at (editor, 3, 7, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  after = gh_domain_editor_to_xml (editor);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (gh_graphics_path_apply (&qxl, editor, &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (editor);
  g_assert_nonnull (strstr (xml, "<model type=\"qxl\""));
  g_assert_nonnull (strstr (xml, "com.redhat.spice.0"));
  g_assert_null (strstr (xml, "tablet"));
  g_assert_null (strstr (xml, "redirdev"));
  g_assert_nonnull (strstr (xml, "<controller type=\"usb\" model=\"none\"/>"));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/domain-editor/dup-part", test_dup_part);
  g_test_add_func ("/core/domain-editor/dup-lost", test_dup_lost);
  g_test_add_func ("/core/domain-editor/usb-off", test_usb_off);
  g_test_add_func ("/core/domain-editor/edits-take-what-goes-with-them",
                   test_edits_take_what_goes_with_them);
  g_test_add_func ("/core/domain-editor/graphics-path-keeps-choices",
                   test_graphics_path_keeps_choices);
  g_test_add_func ("/core/domain-editor/round-trip/own", test_round_trip_own);
  g_test_add_func ("/core/domain-editor/round-trip/corpus", test_round_trip_corpus);
  g_test_add_func ("/core/domain-editor/round-trip/text", test_round_trip_text);
  g_test_add_func ("/core/domain-editor/not-a-domain", test_not_a_domain);
  g_test_add_func ("/core/domain-editor/title-description", test_title_description);
  g_test_add_func ("/core/domain-editor/refuses-control", test_refuses_control);
  g_test_add_func ("/core/domain-editor/memory", test_memory);
  g_test_add_func ("/core/domain-editor/vcpus", test_vcpus);
  g_test_add_func ("/core/domain-editor/video-model", test_video_model);
  g_test_add_func ("/core/domain-editor/boot-order/os", test_boot_order_os);
  g_test_add_func ("/core/domain-editor/boot-order/devices", test_boot_order_devices);
  g_test_add_func ("/core/domain-editor/cdrom", test_cdrom);
  g_test_add_func ("/core/domain-editor/disks", test_disks);
  g_test_add_func ("/core/domain-editor/graphics-path", test_graphics_path);
  g_test_add_func ("/core/domain-editor/open-displays", test_open_displays);
  g_test_add_func ("/core/domain-editor/graphics-path-refuses-open-port",
                   test_graphics_path_refuses_open_port);
  g_test_add_func ("/core/domain-editor/interfaces", test_interfaces);
  g_test_add_func ("/core/domain-editor/pci-hostdevs", test_pci_hostdevs);
  g_test_add_func ("/core/domain-editor/mdev", test_mdev);
  g_test_add_func ("/core/domain-editor/mdev-made", test_mdev_made);
  g_test_add_func ("/core/domain-editor/mdev-made-keeps-metadata",
                   test_mdev_made_keeps_metadata);
  g_test_add_func ("/core/domain-editor/usb", test_usb);
  g_test_add_func ("/core/domain-editor/gpu", test_gpu);
  g_test_add_func ("/core/domain-editor/machine-edit", test_machine_edit);
  g_test_add_func ("/core/domain-editor/express-install", test_express_install);
  g_test_add_func ("/core/domain-editor/express-install-boot-os", test_express_install_boot_os);

  return g_test_run ();
}

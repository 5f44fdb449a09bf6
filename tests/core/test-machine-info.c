/* test-machine-info.c: what Greenhouse reads from a domain's XML
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-test-util.h"
#include "gh-xml-private.h"

/* Shaped like `virsh dumpxml` of a QEMU guest made by a manager that knows libosinfo. */
static const char full_xml[] =
  "<domain type='kvm' id='3'>\n"
  "  <name>fedora37</name>\n"
  "  <uuid>1b3c0b2c-59f4-4e59-8d0b-5c3f2e0a9a11</uuid>\n"
  "  <title>Fedora Workstation</title>\n"
  "  <description>Line one\n"
  "Line two &amp; more</description>\n"
  "  <metadata>\n"
  "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n"
  "      <libosinfo:os id=\"http://fedoraproject.org/fedora/37\"/>\n"
  "    </libosinfo:libosinfo>\n"
  "  </metadata>\n"
  "  <memory unit='KiB'>4194304</memory>\n"
  "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
  "  <vcpu placement='static' current='2'>4</vcpu>\n"
  "  <os>\n"
  "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
  "  </os>\n"
  "  <devices>\n"
  "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
  "    <graphics type='vnc' port='-1' autoport='yes'/>\n"
  "    <graphics type='spice'>\n"
  "      <listen type='none'/>\n"
  "      <gl enable='yes'/>\n"
  "    </graphics>\n"
  "    <video>\n"
  "      <model type='virtio' heads='1' primary='yes'><acceleration accel3d='yes'/></model>\n"
  "    </video>\n"
  "  </devices>\n"
  "</domain>\n";

static void
test_machine_info_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachineInfo) info = _gh_machine_info_new_from_xml (full_xml, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "fedora37");
  g_assert_cmpstr (info->uuid, ==, "1b3c0b2c-59f4-4e59-8d0b-5c3f2e0a9a11");
  g_assert_cmpstr (info->title, ==, "Fedora Workstation");
  g_assert_cmpstr (info->description, ==, "Line one\nLine two & more");
  g_assert_cmpstr (info->os_id, ==, "http://fedoraproject.org/fedora/37");
  g_assert_true (info->has_spice);
  /* The vCPUs the guest has now, not the most it could be given. */
  g_assert_cmpuint (info->vcpus, ==, 2);
  /* The configured size, not the balloon's current target. */
  g_assert_cmpuint (info->memory, ==, G_GUINT64_CONSTANT (4) << 30);
}

static void
test_machine_info_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachineInfo) info = NULL;

  info = _gh_machine_info_new_from_xml ("<domain type='test'>"
                                        "<name>bare</name>"
                                        "<uuid>3f0e4a8e-3f84-4d43-9f1c-f3a1b2c3d4e5</uuid>"
                                        "<memory>1048576</memory>"
                                        "<vcpu>3</vcpu>"
                                        "<devices><graphics type='vnc'/></devices>"
                                        "</domain>", &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "bare");
  g_assert_null (info->title);
  g_assert_null (info->description);
  g_assert_null (info->os_id);
  g_assert_false (info->has_spice);
  g_assert_cmpuint (info->vcpus, ==, 3);
  /* No unit means KiB. */
  g_assert_cmpuint (info->memory, ==, G_GUINT64_CONSTANT (1) << 30);
}

static void
test_machine_info_units (void)
{
  const struct {
    const char *memory;
    guint64     bytes;
  } cases[] = {
    { "<memory unit='KiB'>524288</memory>", G_GUINT64_CONSTANT (512) << 20 },
    { "<memory unit='MiB'>1536</memory>", G_GUINT64_CONSTANT (1536) << 20 },
    { "<memory unit='GiB'>2</memory>", G_GUINT64_CONSTANT (2) << 30 },
    { "<memory unit='TiB'>1</memory>", G_GUINT64_CONSTANT (1) << 40 },
    /* More than 4 GiB of KiB would overflow 32 bits twice over. */
    { "<memory unit='KiB'>67108864</memory>", G_GUINT64_CONSTANT (64) << 30 },
    { "<memory>8388608</memory>", G_GUINT64_CONSTANT (8) << 30 },
    /* libvirt reads units in any case: a letter alone or with "iB" counts in 1024s,
     * with "B" in 1000s. */
    { "<memory unit='K'>4</memory>", 4096 },
    { "<memory unit='kb'>4</memory>", 4000 },
    { "<memory unit='m'>4</memory>", G_GUINT64_CONSTANT (4) << 20 },
    { "<memory unit='g'>4</memory>", G_GUINT64_CONSTANT (4) << 30 },
    { "<memory unit='mib'>3</memory>", G_GUINT64_CONSTANT (3) << 20 },
    { "<memory unit='GB'>2</memory>", G_GUINT64_CONSTANT (2000000000) },
    { "<memory unit='bytes'>1048576</memory>", G_GUINT64_CONSTANT (1) << 20 },
    { "<memory unit='B'>1048576</memory>", G_GUINT64_CONSTANT (1) << 20 },
    { "<memory unit='P'>1</memory>", G_GUINT64_CONSTANT (1) << 50 },
    { "<memory unit='EiB'>100</memory>", G_MAXUINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GhMachineInfo) info = NULL;
      g_autofree char *xml = g_strdup_printf ("<domain type='test'><name>u</name>"
                                              "<uuid>3f0e4a8e-3f84-4d43-9f1c-f3a1b2c3d4e6</uuid>%s"
                                              "<currentMemory unit='KiB'>1</currentMemory>"
                                              "<vcpu>1</vcpu></domain>", cases[i].memory);

      g_test_message ("%s", cases[i].memory);
      info = _gh_machine_info_new_from_xml (xml, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpuint (info->memory, ==, cases[i].bytes);

      /* The settings window reads the same size. */
      {
        g_autoptr(GhDomainEditor) editor = gh_domain_editor_new (xml, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (gh_domain_editor_get_memory (editor), ==, cases[i].bytes);
      }
    }

  /* Units libvirt refuses are no size for the machine list. */
  {
    static const char * const refused[] = { "kilo", "Kb2", "x", "MiBs" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        guint64 bytes = 1;

        g_assert_false (_gh_xml_scale_to_bytes ("4", refused[i], 1024, &bytes));
        g_assert_cmpuint (bytes, ==, 0);
      }
  }
}

/* The one table of libvirt's units, pinned to virScaleInteger()'s rule: a size the machine
 * list, the settings window and the host report read differently would be a different
 * machine to each. */
static void
test_xml_units (void)
{
  const guint64 Ki = 1024, K = 1000;
  const struct {
    const char *value;
    const char *unit;
    guint64     default_scale;
    gboolean    ok;
    guint64     bytes;
  } cases[] = {
    /* No unit: the element's own default (KiB for memory). */
    { "4", NULL, 1024, TRUE, 4 * Ki },
    { "4", "", 1024, TRUE, 4 * Ki },
    { "4", NULL, 1, TRUE, 4 },
    { " 4\n", NULL, 1024, TRUE, 4 * Ki },
    /* Bytes, in any case. */
    { "4", "b", 1024, TRUE, 4 },
    { "4", "B", 1024, TRUE, 4 },
    { "4", "byte", 1024, TRUE, 4 },
    { "4", "Bytes", 1024, TRUE, 4 },
    { "4", "BYTES", 1024, TRUE, 4 },
    /* A letter alone, in either case: powers of 1024. */
    { "4", "k", 1024, TRUE, 4 * Ki },
    { "4", "K", 1024, TRUE, 4 * Ki },
    { "4", "m", 1024, TRUE, 4 * Ki * Ki },
    { "4", "M", 1024, TRUE, 4 * Ki * Ki },
    { "4", "g", 1024, TRUE, 4 * Ki * Ki * Ki },
    { "4", "G", 1024, TRUE, 4 * Ki * Ki * Ki },
    { "4", "t", 1024, TRUE, 4 * Ki * Ki * Ki * Ki },
    { "4", "T", 1024, TRUE, 4 * Ki * Ki * Ki * Ki },
    { "4", "p", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki },
    { "4", "P", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki },
    { "4", "e", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki * Ki },
    { "4", "E", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki * Ki },
    /* A letter and "B", in any case: powers of 1000. */
    { "4", "kb", 1024, TRUE, 4 * K },
    { "4", "KB", 1024, TRUE, 4 * K },
    { "4", "kB", 1024, TRUE, 4 * K },
    { "4", "Mb", 1024, TRUE, 4 * K * K },
    { "4", "MB", 1024, TRUE, 4 * K * K },
    { "4", "GB", 1024, TRUE, 4 * K * K * K },
    { "4", "TB", 1024, TRUE, 4 * K * K * K * K },
    { "4", "PB", 1024, TRUE, 4 * K * K * K * K * K },
    { "4", "EB", 1024, TRUE, 4 * K * K * K * K * K * K },
    /* A letter and "iB", in any case: powers of 1024. */
    { "4", "KiB", 1024, TRUE, 4 * Ki },
    { "4", "kib", 1024, TRUE, 4 * Ki },
    { "4", "KIB", 1024, TRUE, 4 * Ki },
    { "4", "MiB", 1024, TRUE, 4 * Ki * Ki },
    { "4", "GiB", 1024, TRUE, 4 * Ki * Ki * Ki },
    { "4", "TiB", 1024, TRUE, 4 * Ki * Ki * Ki * Ki },
    { "4", "PiB", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki },
    { "4", "EiB", 1024, TRUE, 4 * Ki * Ki * Ki * Ki * Ki * Ki },
    /* Too large for 64 bits; the largest that fits. */
    { "16", "EiB", 1024, TRUE, G_MAXUINT64 },
    { "15", "EiB", 1024, TRUE, 15 * Ki * Ki * Ki * Ki * Ki * Ki },
    { "0", "EiB", 1024, TRUE, 0 },
    /* What libvirt refuses. */
    { "4", "kilo", 1024, FALSE, 0 },
    { "4", "ki", 1024, FALSE, 0 },
    { "4", "KiBs", 1024, FALSE, 0 },
    { "4", "Kb2", 1024, FALSE, 0 },
    { "4", "bit", 1024, FALSE, 0 },
    { "4", "x", 1024, FALSE, 0 },
    { "4", "z", 1024, FALSE, 0 },
    { "4", " KiB", 1024, FALSE, 0 },
    { "", "KiB", 1024, FALSE, 0 },
    { NULL, "KiB", 1024, FALSE, 0 },
    { "-1", NULL, 1024, FALSE, 0 },
    { "4.5", "GiB", 1024, FALSE, 0 },
    { "0x10", NULL, 1024, FALSE, 0 },
    { "4 KiB", NULL, 1024, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 bytes = 1;

      g_test_message ("%s %s", cases[i].value, cases[i].unit);
      g_assert_cmpint (_gh_xml_scale_to_bytes (cases[i].value, cases[i].unit,
                                               cases[i].default_scale, &bytes),
                       ==, cases[i].ok);
      g_assert_cmpuint (bytes, ==, cases[i].bytes);
    }
}

/* What other tools leave in a domain must not confuse Greenhouse: another app's
 * metadata, comments, CDATA, other prefixes for the same namespace. */
static void
test_machine_info_odd (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachineInfo) info = NULL;

  info = _gh_machine_info_new_from_xml (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<!-- written by hand -->\n"
    "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
    "  <!-- a comment before the name -->\n"
    "  <name>Ωmega-машина-日本</name>\n"
    "  <uuid>3f0e4a8e-3f84-4d43-9f1c-f3a1b2c3d4e7</uuid>\n"
    "  <title><!-- inside the title -->Ünï<![CDATA[cödé & <co>]]></title>\n"
    "  <description><![CDATA[<b>not markup</b> & \"quoted\"]]></description>\n"
    "  <metadata>\n"
    "    <app1:foo xmlns:app1='http://example.org/app1/1.0'>\n"
    "      <app1:os id='http://example.org/not-an-os'/>\n"
    "    </app1:foo>\n"
    "    <os id='http://example.org/no-namespace'/>\n"
    "    <lo:libosinfo xmlns:lo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
    "      <!-- another prefix, the same namespace -->\n"
    "      <lo:os id='http://microsoft.com/win/11'/>\n"
    "    </lo:libosinfo>\n"
    "  </metadata>\n"
    "  <memory unit='GiB'>8</memory>\n"
    "  <vcpu>8</vcpu>\n"
    "  <devices>\n"
    "    <graphics type='vnc'/>\n"
    "    <unknown-device foo='bar'><nested/></unknown-device>\n"
    "  </devices>\n"
    "  <qemu:commandline><qemu:arg value='-S'/></qemu:commandline>\n"
    "</domain>\n", &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "Ωmega-машина-日本");
  g_assert_cmpstr (info->title, ==, "Ünïcödé & <co>");
  g_assert_cmpstr (info->description, ==, "<b>not markup</b> & \"quoted\"");
  g_assert_cmpstr (info->os_id, ==, "http://microsoft.com/win/11");
  g_assert_false (info->has_spice);
  g_assert_cmpuint (info->vcpus, ==, 8);
  g_assert_cmpuint (info->memory, ==, G_GUINT64_CONSTANT (8) << 30);
}

/* A SPICE display hiding among other graphics, an empty title, no metadata. */
static void
test_machine_info_spice_only_later (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachineInfo) info = NULL;

  info = _gh_machine_info_new_from_xml (
    "<domain type='kvm'><name>s</name>"
    "<uuid>3f0e4a8e-3f84-4d43-9f1c-f3a1b2c3d4e8</uuid><title></title>"
    "<metadata>"
    "<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'/>"
    "</metadata>"
    "<memory unit='MiB'>512</memory><vcpu current='1'>1</vcpu>"
    "<devices><graphics type='vnc'/><graphics type='egl-headless'/>"
    "<graphics type='spice' autoport='yes'/></devices></domain>", &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_true (info->has_spice);
  g_assert_null (info->os_id);
  /* An empty title is no title: the list shows the name. */
  g_assert_true (info->title == NULL || info->title[0] == '\0');
  g_assert_cmpuint (info->vcpus, ==, 1);
}

static void
test_machine_info_malformed (void)
{
  const char *bad[] = {
    "",
    "not xml at all",
    "<domain type='kvm'><name>cut off</name><memory unit='KiB'>1024</mem",
    "<domain><name>a</name></domain><domain><name>b</name></domain>",
    "<domain><name>a &bogus; b</name></domain>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GhMachineInfo) info = NULL;

      g_test_message ("parsing “%s”", bad[i]);
      info = _gh_machine_info_new_from_xml (bad[i], &error);
      g_assert_null (info);
      g_assert_nonnull (error);
      g_assert_true (error->domain == GH_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* The same reading through libvirt: what the test driver returns for a domain. */
static void
test_machine_info_from_domain (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  virConnectPtr conn = gh_test_virt_open (uri);
  virDomainPtr domain = virDomainLookupByName (conn, "odd-content");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachineInfo) info = NULL;

  g_assert_nonnull (domain);
  info = _gh_machine_info_new_from_domain (domain, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "odd-content");
  g_assert_cmpstr (info->uuid, ==, "328d1231-f99b-518e-9222-5885eb1e5ad3");
  g_assert_cmpstr (info->title, ==, "Ödd — content");
  g_assert_cmpstr (info->description, ==, "Uses <tags> & \"quotes\" that are not XML");
  g_assert_cmpstr (info->os_id, ==, "http://fedoraproject.org/fedora/37");
  g_assert_cmpint (info->state, ==, GH_MACHINE_STATE_CRASHED);
  g_assert_true (info->persistent);
  g_assert_true (info->has_spice);
  g_assert_cmpuint (info->vcpus, ==, 2);
  g_assert_cmpuint (info->memory, ==, G_GUINT64_CONSTANT (2) << 30);

  virDomainFree (domain);
  virConnectClose (conn);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine-info/xml", test_machine_info_full);
  g_test_add_func ("/core/machine-info/minimal", test_machine_info_minimal);
  g_test_add_func ("/core/machine-info/memory-units", test_machine_info_units);
  g_test_add_func ("/core/xml/units", test_xml_units);
  g_test_add_func ("/core/machine-info/odd-content", test_machine_info_odd);
  g_test_add_func ("/core/machine-info/spice", test_machine_info_spice_only_later);
  g_test_add_func ("/core/machine-info/malformed", test_machine_info_malformed);
  g_test_add_func ("/core/machine-info/from-domain", test_machine_info_from_domain);

  return g_test_run ();
}

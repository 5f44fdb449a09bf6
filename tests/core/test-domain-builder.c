/* test-domain-builder.c: what an OS needs, and the XML of a new machine for it
 *
 * The XML is read back with XPath for what a user would notice (the disk on the bus the
 * guest has drivers for, the CD-ROM booting first, a TPM for Windows 11), by
 * gh-machine-info as the machine list will, and validated against libvirt's own schema.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "gh-test-util.h"

#define GIB ((guint64) 1 << 30)
#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"
#define DOMAIN_RNG "/usr/share/libvirt/schemas/domain.rng"

static GhOsDb *os_db;

/* A host described by recorded domain capabilities, or NULL after skipping the test. */
static GhHostInventory *
corpus_host (const char *domcaps)
{
  g_autofree char *relative = g_build_filename ("virt-manager", "capabilities", domcaps, NULL);
  g_autofree char *path = gh_test_corpus_path (relative);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  GhHostInventory *host;

  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("the outside corpus (../shared/corpus/%s) is not there", relative);

      g_test_skip (message);
      return NULL;
    }

  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  host = gh_host_inventory_new_from_xml (xml, NULL, &error);
  g_assert_no_error (error);
  return host;
}

/* ---- Requirements ------------------------------------------------------------------ */

static void
test_requirements_win11 (void)
{
  GhOsRequirements req;

  gh_os_requirements_for_os (gh_test_lookup_os (os_db, "win11"), &req);

  g_assert_true (req.uefi_supported);
  g_assert_false (req.bios_supported);
  g_assert_true (req.needs_tpm);
  g_assert_true (req.q35);
  g_assert_cmpuint (req.minimum_memory, ==, 4 * GIB);
  g_assert_cmpuint (req.minimum_storage, ==, 64 * GIB);
  g_assert_cmpuint (req.recommended_memory, >=, req.minimum_memory);
  g_assert_cmpuint (req.recommended_storage, >=, req.minimum_storage);
  g_assert_cmpuint (req.minimum_cpus, >=, 1);
}

static void
test_requirements_fedora (void)
{
  GhOsRequirements req;

  gh_os_requirements_for_os (gh_test_lookup_os (os_db, "fedora37"), &req);

  g_assert_true (req.virtio_disk);
  g_assert_true (req.virtio_net);
  g_assert_true (req.virtio_rng);
  g_assert_true (req.virtio_balloon);
  g_assert_true (req.q35);
  g_assert_true (req.bios_supported);
  g_assert_true (req.uefi_supported);
  g_assert_false (req.needs_tpm);
  /* Fedora 37 says its resources only through the Fedoras it derives from. */
  g_assert_cmpuint (req.minimum_memory, >=, GIB);
  g_assert_cmpuint (req.recommended_memory, >=, req.minimum_memory);
  g_assert_cmpuint (req.minimum_storage, >=, 8 * GIB);
}

static void
test_requirements_old (void)
{
  GhOsRequirements req;

  /* Released in 2001, no virtio driver of its own: i440fx and emulated devices. */
  gh_os_requirements_for_os (gh_test_lookup_os (os_db, "winxp"), &req);

  g_assert_false (req.q35);
  g_assert_false (req.virtio_disk);
  g_assert_false (req.virtio_net);
  g_assert_true (req.bios_supported);
  g_assert_false (req.needs_tpm);
}

static void
test_requirements_unknown (void)
{
  GhOsRequirements req;

  gh_os_requirements_for_os (NULL, &req);

  g_assert_cmpuint (req.recommended_memory, ==, 2 * GIB);
  g_assert_cmpuint (req.recommended_cpus, ==, 2);
  g_assert_cmpuint (req.recommended_storage, ==, 25 * GIB);
  g_assert_true (req.bios_supported);
  g_assert_true (req.uefi_supported);
  g_assert_false (req.needs_tpm);
  g_assert_true (req.virtio_disk);
  g_assert_true (req.virtio_net);
  g_assert_true (req.virtio_rng);
  g_assert_true (req.virtio_balloon);
  g_assert_true (req.q35);
}

/* ---- Reading the XML back --------------------------------------------------------- */

typedef struct
{
  xmlDoc          *doc;
  xmlXPathContext *ctx;
} Xml;

static void
xml_clear (Xml *xml)
{
  g_clear_pointer (&xml->ctx, xmlXPathFreeContext);
  g_clear_pointer (&xml->doc, xmlFreeDoc);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Xml, xml_clear)

static void
xml_parse (Xml        *xml,
           const char *text)
{
  xml->doc = xmlReadMemory (text, (int) strlen (text), NULL, NULL, XML_PARSE_NONET);
  g_assert_nonnull (xml->doc);
  xml->ctx = xmlXPathNewContext (xml->doc);
  xmlXPathRegisterNs (xml->ctx, (const xmlChar *) "libosinfo", (const xmlChar *) LIBOSINFO_NS);
  xmlXPathRegisterNs (xml->ctx, (const xmlChar *) "gh", (const xmlChar *) GH_DOMAIN_METADATA_NS);
}

static char *
xml_string (Xml        *xml,
            const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  xmlXPathObject *obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  char *value;

  g_assert_nonnull (obj);
  value = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  return value;
}

static int
xml_count (Xml        *xml,
           const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("count(%s)", expr);
  xmlXPathObject *obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  int count;

  g_assert_nonnull (obj);
  count = (int) obj->floatval;
  xmlXPathFreeObject (obj);
  return count;
}

#define assert_xml_string(xml, expr, expected)                                        \
  G_STMT_START {                                                                       \
    g_autofree char *assert_value_ = xml_string ((xml), (expr));                       \
    g_assert_cmpstr (assert_value_, ==, (expected));                                   \
  } G_STMT_END

static xmlRelaxNG *domain_schema;
static gboolean domain_schema_loaded;

/* Validates against libvirt's domain.rng, which libvirt-daemon installs; says so when
 * it is not there. */
static void
assert_valid_for_libvirt (Xml *xml)
{
  int ret;
  xmlRelaxNGValidCtxt *valid;

  if (!domain_schema_loaded)
    {
      domain_schema_loaded = TRUE;
      if (g_file_test (DOMAIN_RNG, G_FILE_TEST_EXISTS))
        {
          xmlRelaxNGParserCtxt *parser = xmlRelaxNGNewParserCtxt (DOMAIN_RNG);

          domain_schema = xmlRelaxNGParse (parser);
          xmlRelaxNGFreeParserCtxt (parser);
          g_assert_nonnull (domain_schema);
        }
    }

  if (domain_schema == NULL)
    {
      g_test_message ("not validated: " DOMAIN_RNG " is missing (libvirt-daemon)");
      return;
    }

  valid = xmlRelaxNGNewValidCtxt (domain_schema);
  ret = xmlRelaxNGValidateDoc (valid, xml->doc);
  xmlRelaxNGFreeValidCtxt (valid);
  g_assert_cmpint (ret, ==, 0);
}

/* What a wizard makes for @os on @host: its recommended resources and firmware, a TPM
 * when the OS needs one, the recommended display path. */
static GhDomainSpec *
spec_for (OsinfoOs        *os,
          GhHostInventory *host)
{
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autoptr(GhHostInventory) unknown_host = NULL;
  const GhGraphicsPath *path;
  GhOsRequirements req;

  /* A host whose capabilities are unknown still gets a display that may work. */
  if (host == NULL)
    {
      unknown_host = gh_host_inventory_new_from_xml (NULL, NULL, NULL);
      host = unknown_host;
    }

  gh_os_requirements_for_os (os, &req);
  plan = gh_graphics_planner_plan (os, gh_host_inventory_get_host (host),
                                   GH_GRAPHICS_CONNECTION_SESSION,
                                   GH_GRAPHICS_PREFER_COMPATIBLE, FALSE);
  path = gh_graphics_plan_get_recommended (plan);
  g_assert_nonnull (path);

  spec->name = g_strdup ("new-machine");
  spec->title = g_strdup ("Tom's <new> & \"shiny\" machine");
  spec->os = os != NULL ? g_object_ref (os) : NULL;
  spec->memory = req.recommended_memory;
  spec->vcpus = req.recommended_cpus;
  spec->firmware = req.bios_supported ? GH_FIRMWARE_BIOS : GH_FIRMWARE_UEFI;
  spec->tpm = req.needs_tpm;
  spec->disk_path = g_strdup ("/var/lib/greenhouse/new-machine.qcow2");
  spec->cdrom_path = g_strdup ("/srv/media/install's.iso");
  spec->display = gh_graphics_path_copy (path);
  return g_steal_pointer (&spec);
}

static char *
build (const GhDomainSpec *spec,
       GhHostInventory    *host)
{
  const GhHostDomainCaps *caps = host != NULL ? gh_host_inventory_get_domain_caps (host) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  char *xml;

  xml = gh_domain_builder_build (spec, caps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (xml);

  /* Pure: the same input gives the same XML. */
  again = gh_domain_builder_build (spec, caps, NULL);
  g_assert_cmpstr (xml, ==, again);
  return xml;
}

/* What every new machine has, whatever its OS. */
static void
assert_common (Xml                *xml,
               const GhDomainSpec *spec,
               const char         *text)
{
  g_autoptr(GhMachineInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *memory = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->memory / 1024);
  g_autofree char *vcpus = g_strdup_printf ("%u", spec->vcpus);
  g_auto(GStrv) defined = NULL;
  g_autofree char *with_uuid = NULL;

  assert_xml_string (xml, "/domain/name", spec->name);
  assert_xml_string (xml, "/domain/title", spec->title);
  assert_xml_string (xml, "/domain/memory[@unit='KiB']", memory);
  assert_xml_string (xml, "/domain/vcpu", vcpus);
  g_assert_cmpint (xml_count (xml, "/domain/features/acpi"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/features/apic"), ==, 1);

  /* The install media first, then the disk. */
  assert_xml_string (xml, "/domain/devices/disk[@device='cdrom']/source/@file", spec->cdrom_path);
  assert_xml_string (xml, "/domain/devices/disk[@device='cdrom']/boot/@order", "1");
  g_assert_cmpint (xml_count (xml, "/domain/devices/disk[@device='cdrom']/readonly"), ==, 1);
  assert_xml_string (xml, "/domain/devices/disk[@device='disk']/source/@file", spec->disk_path);
  assert_xml_string (xml, "/domain/devices/disk[@device='disk']/driver/@type", "qcow2");
  assert_xml_string (xml, "/domain/devices/disk[@device='disk']/boot/@order", "2");
  g_assert_cmpint (xml_count (xml, "/domain/os/boot"), ==, 0);

  /* The tablet and USB redirection of the display path hang off USB. */
  g_assert_cmpint (xml_count (xml, "/domain/devices/controller[@type='usb']"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/input[@type='tablet'][@bus='usb']"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/graphics[@type='spice']"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/video"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/interface[@type='user']"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/serial[@type='pty']"), ==, 1);
  g_assert_cmpint (xml_count (xml, "/domain/devices/console[@type='pty']"), ==, 1);

  /* The machine list reads back what was written, escaped titles included, once
   * libvirt has given the machine its UUID (the builder writes none: it is pure). */
  defined = g_strsplit (text, "</name>", 2);
  with_uuid = g_strjoin ("</name>\n  <uuid>8d1b3a6e-2f5c-4b7e-9a0d-3c4e5f607182</uuid>",
                         defined[0], defined[1], NULL);
  info = _gh_machine_info_new_from_xml (with_uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, spec->name);
  g_assert_cmpstr (info->title, ==, spec->title);
  g_assert_cmpstr (info->os_id, ==,
                   spec->os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (spec->os)) : NULL);
  g_assert_cmpuint (info->memory, ==, spec->memory);
  g_assert_cmpuint (info->vcpus, ==, spec->vcpus);
  g_assert_true (info->has_spice);

  assert_valid_for_libvirt (xml);
}

static void
test_build_win11 (void)
{
  g_autoptr(GhHostInventory) host = corpus_host ("kvm-x86_64-domcaps-latest.xml");
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autofree char *text = NULL;
  g_auto(Xml) xml = { 0 };

  if (host == NULL)
    return;

  g_assert_true (gh_domain_caps_offers_tpm (gh_host_inventory_get_domain_caps (host)));
  g_assert_true (gh_domain_caps_offers_uefi (gh_host_inventory_get_domain_caps (host)));

  spec = spec_for (gh_test_lookup_os (os_db, "win11"), host);
  g_assert_cmpint (spec->firmware, ==, GH_FIRMWARE_UEFI);
  g_assert_true (spec->tpm);
  text = build (spec, host);
  g_test_message ("%s", text);
  xml_parse (&xml, text);
  assert_common (&xml, spec, text);

  assert_xml_string (&xml, "/domain/@type", "kvm");
  assert_xml_string (&xml, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id",
                     "http://microsoft.com/win/11");
  assert_xml_string (&xml, "/domain/os/@firmware", "efi");
  assert_xml_string (&xml, "/domain/os/type/@machine", "q35");
  assert_xml_string (&xml, "/domain/cpu/@mode", "host-passthrough");
  assert_xml_string (&xml, "/domain/clock/@offset", "localtime");
  assert_xml_string (&xml, "/domain/devices/emulator", "/usr/bin/qemu-system-x86_64");
  assert_xml_string (&xml, "/domain/devices/tpm/@model", "tpm-crb");
  assert_xml_string (&xml, "/domain/devices/tpm/backend/@type", "emulator");
  assert_xml_string (&xml, "/domain/devices/tpm/backend/@version", "2.0");
  /* Windows has no virtio driver of its own: SATA on q35, and a NIC it knows. */
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "sata");
  assert_xml_string (&xml, "/domain/devices/disk[@device='cdrom']/target/@bus", "sata");
  assert_xml_string (&xml, "/domain/devices/interface/model/@type", "e1000e");
  assert_xml_string (&xml, "/domain/devices/controller[@type='usb']/@model", "qemu-xhci");
}

static void
test_build_win11_without_tpm (void)
{
  /* This QEMU's capabilities list no TPM backend. */
  g_autoptr(GhHostInventory) host = corpus_host ("kvm-x86_64-domcaps-insecure.xml");
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autofree char *text = NULL;
  g_auto(Xml) xml = { 0 };

  if (host == NULL)
    return;

  g_assert_false (gh_domain_caps_offers_tpm (gh_host_inventory_get_domain_caps (host)));

  spec = spec_for (gh_test_lookup_os (os_db, "win11"), host);
  text = build (spec, host);
  xml_parse (&xml, text);
  assert_common (&xml, spec, text);

  g_assert_cmpint (xml_count (&xml, "/domain/devices/tpm"), ==, 0);
  assert_xml_string (&xml, "/domain/os/@firmware", "efi");
}

static void
test_build_fedora (void)
{
  g_autoptr(GhHostInventory) host = corpus_host ("kvm-x86_64-domcaps-latest.xml");
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autofree char *text = NULL;
  g_auto(Xml) xml = { 0 };

  if (host == NULL)
    return;

  spec = spec_for (gh_test_lookup_os (os_db, "fedora37"), host);
  g_assert_cmpint (spec->firmware, ==, GH_FIRMWARE_BIOS);
  text = build (spec, host);
  g_test_message ("%s", text);
  xml_parse (&xml, text);
  assert_common (&xml, spec, text);

  assert_xml_string (&xml, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id",
                     "http://fedoraproject.org/fedora/37");
  assert_xml_string (&xml, "/domain/os/@firmware", "");
  assert_xml_string (&xml, "/domain/os/type/@machine", "q35");
  assert_xml_string (&xml, "/domain/clock/@offset", "utc");
  /* Paravirtual everything. */
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "virtio");
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/target/@dev", "vda");
  assert_xml_string (&xml, "/domain/devices/disk[@device='cdrom']/target/@bus", "sata");
  assert_xml_string (&xml, "/domain/devices/interface/model/@type", "virtio");
  assert_xml_string (&xml, "/domain/devices/rng/@model", "virtio");
  assert_xml_string (&xml, "/domain/devices/rng/backend", "/dev/urandom");
  assert_xml_string (&xml, "/domain/devices/memballoon/@model", "virtio");
  g_assert_cmpint (xml_count (&xml, "/domain/devices/tpm"), ==, 0);
}

static void
test_build_old_os (void)
{
  g_autoptr(GhDomainSpec) spec = spec_for (gh_test_lookup_os (os_db, "winxp"), NULL);
  g_autofree char *text = build (spec, NULL);
  g_auto(Xml) xml = { 0 };

  xml_parse (&xml, text);
  assert_common (&xml, spec, text);

  /* i440fx has no SATA of its own and XP no AHCI driver: IDE, and a NIC XP knows. */
  assert_xml_string (&xml, "/domain/os/type/@machine", "pc");
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "ide");
  assert_xml_string (&xml, "/domain/devices/disk[@device='cdrom']/target/@bus", "ide");
  assert_xml_string (&xml, "/domain/devices/disk[@device='cdrom']/target/@dev", "hdc");
  assert_xml_string (&xml, "/domain/devices/interface/model/@type", "e1000");
  /* Otherwise libvirt would add a virtio balloon it has no driver for. */
  assert_xml_string (&xml, "/domain/devices/memballoon/@model", "none");
  g_assert_cmpint (xml_count (&xml, "/domain/devices/rng"), ==, 0);
}

static void
test_build_unknown_os (void)
{
  g_autoptr(GhDomainSpec) spec = spec_for (NULL, NULL);
  g_autofree char *text = NULL;
  g_auto(Xml) xml = { 0 };

  g_free (spec->cdrom_path);
  spec->cdrom_path = NULL;
  text = build (spec, NULL);
  g_test_message ("%s", text);
  xml_parse (&xml, text);

  /* Unknown capabilities: what every host can run. */
  assert_xml_string (&xml, "/domain/@type", "qemu");
  g_assert_cmpint (xml_count (&xml, "/domain/metadata"), ==, 0);
  g_assert_cmpint (xml_count (&xml, "/domain/cpu"), ==, 0);
  g_assert_cmpint (xml_count (&xml, "/domain/devices/emulator"), ==, 0);
  g_assert_cmpint (xml_count (&xml, "/domain/devices/disk[@device='cdrom']"), ==, 0);
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/boot/@order", "1");
  assert_xml_string (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "virtio");
  assert_xml_string (&xml, "/domain/devices/interface/model/@type", "virtio");
  assert_xml_string (&xml, "/domain/os/type/@machine", "q35");
  assert_valid_for_libvirt (&xml);
}

static void
test_build_refuses (void)
{
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  g_autoptr(GError) error = NULL;
  char *xml;

  spec->memory = GIB;
  xml = gh_domain_builder_build (spec, NULL, &error);
  g_assert_null (xml);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  spec->name = g_strdup ("no-memory");
  spec->memory = 0;
  xml = gh_domain_builder_build (spec, NULL, &error);
  g_assert_null (xml);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  spec->memory = GIB;
  spec->uuid = g_strdup ("not-a-uuid");
  xml = gh_domain_builder_build (spec, NULL, &error);
  g_assert_null (xml);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
}

/* A name, a title or a path that XML cannot hold as it is: refused with the reason,
 * never written as invalid XML or as other text. */
static void
test_build_refuses_control (void)
{
  static const struct { const char *text; const char *detail; } texts[] = {
    { "nul-free\x01", "it contains an invisible control character (U+0001)" },
    { "tab\there", "it contains an invisible control character (U+0009)" },
    { "line\nbreak", "it contains an invisible control character (U+000A)" },
    { "del\x7f", "it contains an invisible control character (U+007F)" },
    { "c1\xc2\x9b", "it contains an invisible control character (U+009B)" },
    { "latin1-\xe9", "it is not valid UTF-8 text" },
  };
  g_autoptr(GhDomainSpec) good = spec_for (gh_test_lookup_os (os_db, "fedora37"), NULL);
  g_autofree char *xml = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GhDomainSpec) spec = gh_domain_spec_copy (good);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strconcat ("/srv/media/", texts[i].text, ".iso", NULL);
      g_autofree char *detail = NULL;

      g_free (spec->name);
      spec->name = g_strdup (texts[i].text);
      g_assert_null (gh_domain_builder_build (spec, NULL, &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
      g_assert_cmpstr (gh_error_get_what (error), ==, "Could not use the name of the new machine");
      g_assert_cmpstr (gh_error_get_detail (error), ==, texts[i].detail);
      g_clear_error (&error);

      g_free (spec->name);
      spec->name = g_strdup ("new-machine");
      g_free (spec->title);
      spec->title = g_strdup (texts[i].text);
      g_assert_null (gh_domain_builder_build (spec, NULL, &error));
      g_assert_cmpstr (gh_error_get_what (error), ==, "Could not use the title of the new machine");
      g_assert_cmpstr (gh_error_get_detail (error), ==, texts[i].detail);
      g_clear_error (&error);

      /* Paths are named as GLib displays a file name. */
      g_clear_pointer (&spec->title, g_free);
      g_free (spec->cdrom_path);
      spec->cdrom_path = g_strdup (path);
      g_assert_null (gh_domain_builder_build (spec, NULL, &error));
      g_assert_cmpstr (gh_error_get_what (error), ==, "Could not describe the new machine");
      detail = g_strdup (gh_error_get_detail (error));
      g_assert_true (g_str_has_prefix (detail, "the file name “/srv/media/"));
      g_assert_true (g_utf8_validate (detail, -1, NULL));
      g_assert_nonnull (strstr (detail, g_utf8_validate (path, -1, NULL)
                                        ? "contains an invisible control character"
                                        : "is not UTF-8 text"));
      g_clear_error (&error);

      g_free (spec->cdrom_path);
      spec->cdrom_path = g_strdup ("/srv/media/install.iso");
      g_free (spec->disk_path);
      spec->disk_path = g_strdup (path);
      g_assert_null (gh_domain_builder_build (spec, NULL, &error));
      g_assert_true (g_str_has_prefix (gh_error_get_detail (error), "the file name “/srv/media/"));
    }

  /* Markup characters are text, and XML holds them. */
  xml = build (good, NULL);
  g_assert_nonnull (xml);
}

/* The install phase of an express install boots the installer with its answers and
 * stops when it reboots; the metadata says which files to take away afterwards. */
static void
test_build_express (void)
{
  g_autoptr(GhDomainSpec) spec = spec_for (gh_test_lookup_os (os_db, "debiantesting"), NULL);
  g_autoptr(GhDomainSpec) copy = NULL;
  g_auto(Xml) xml = { NULL };
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  spec->express = gh_express_config_new_for_user ();
  spec->express->password = g_strdup ("never-in-xml");
  spec->kernel_path = g_strdup ("/pool/new-machine-install-kernel");
  spec->initrd_path = g_strdup ("/pool/new-machine-install-initrd");
  spec->cmdline = g_strdup ("keyboard-configuration/xkb-keymap=us debconf/priority=critical");

  text = build (spec, NULL);
  xml_parse (&xml, text);
  assert_common (&xml, spec, text);
  assert_xml_string (&xml, "/domain/os/kernel", spec->kernel_path);
  assert_xml_string (&xml, "/domain/os/initrd", spec->initrd_path);
  assert_xml_string (&xml, "/domain/os/cmdline", spec->cmdline);
  assert_xml_string (&xml, "/domain/on_reboot", "destroy");
  assert_xml_string (&xml, "/domain/on_poweroff", "destroy");
  assert_xml_string (&xml, "/domain/metadata/gh:greenhouse/gh:express-install/@kernel",
                     spec->kernel_path);
  assert_xml_string (&xml, "/domain/metadata/gh:greenhouse/gh:express-install/@initrd",
                     spec->initrd_path);
  assert_xml_string (&xml, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id",
                     "http://debian.org/debian/testing");
  g_assert_null (strstr (text, "never-in-xml"));
  assert_valid_for_libvirt (&xml);

  /* The copy carries the wizard's answers and the creator's files alike. */
  copy = gh_domain_spec_copy (spec);
  g_assert_true (copy->express != spec->express);
  g_assert_cmpstr (copy->express->password, ==, "never-in-xml");
  again = build (copy, NULL);
  g_assert_cmpstr (again, ==, text);

  /* Without the files, an ordinary machine: it restarts on reboot. */
  xml_clear (&xml);
  g_clear_pointer (&spec->kernel_path, g_free);
  g_clear_pointer (&text, g_free);
  text = build (spec, NULL);
  xml_parse (&xml, text);
  g_assert_cmpint (xml_count (&xml, "/domain/os/kernel"), ==, 0);
  g_assert_cmpint (xml_count (&xml, "/domain/metadata/gh:greenhouse"), ==, 0);
  assert_xml_string (&xml, "/domain/on_reboot", "restart");
}

static void
test_spec_copy (void)
{
  g_autoptr(GhDomainSpec) spec = spec_for (gh_test_lookup_os (os_db, "fedora37"), NULL);
  g_autoptr(GhDomainSpec) copy = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  /* The creator names the domain's UUID before libvirt defines it, so that what it
   * writes down to take back after a crash is exactly that domain. */
  spec->uuid = g_strdup ("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  copy = gh_domain_spec_copy (spec);
  a = build (spec, NULL);
  b = build (copy, NULL);
  g_assert_nonnull (strstr (a, "<uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>"));

  g_assert_true (copy->os == spec->os);
  g_assert_true (copy->display != spec->display);
  g_assert_cmpstr (copy->display->graphics_xml, ==, spec->display->graphics_xml);
  g_assert_cmpstr (a, ==, b);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gh_test_init (&argc, &argv);
  os_db = gh_test_load_os_db ();

  g_test_add_func ("/core/os-requirements/win11", test_requirements_win11);
  g_test_add_func ("/core/os-requirements/fedora37", test_requirements_fedora);
  g_test_add_func ("/core/os-requirements/winxp", test_requirements_old);
  g_test_add_func ("/core/os-requirements/unknown", test_requirements_unknown);
  g_test_add_func ("/core/domain-builder/win11", test_build_win11);
  g_test_add_func ("/core/domain-builder/win11-without-tpm", test_build_win11_without_tpm);
  g_test_add_func ("/core/domain-builder/fedora37", test_build_fedora);
  g_test_add_func ("/core/domain-builder/winxp", test_build_old_os);
  g_test_add_func ("/core/domain-builder/unknown-os", test_build_unknown_os);
  g_test_add_func ("/core/domain-builder/refuses", test_build_refuses);
  g_test_add_func ("/core/domain-builder/refuses-control", test_build_refuses_control);
  g_test_add_func ("/core/domain-builder/spec-copy", test_spec_copy);
  g_test_add_func ("/core/domain-builder/express", test_build_express);

  ret = g_test_run ();

  g_clear_pointer (&domain_schema, xmlRelaxNGFree);
  return ret;
}

/* gh-domain-editor.h: edits of a domain's own XML that keep what Greenhouse does not know
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gh-domain-metadata.h"

G_BEGIN_DECLS

/* One <disk> of the domain (gh-domain-disks.c reads it, for the editor and for workers
 * that only read). */
typedef struct
{
  char      *device;     /* "disk", "cdrom", "floppy", "lun" */
  char      *target;     /* <target dev>: "vda", "sda"; NULL when the XML has none */
  char      *bus;        /* <target bus>: "virtio", "sata", …, or NULL */
  char      *path;       /* <source file> or <source dev>; NULL: none (an empty CD-ROM) */
  char      *pool;       /* <source pool volume>, else NULL */
  char      *volume;
  char      *format;     /* <driver type>: "qcow2", "raw", or NULL */
  gboolean   readonly;
  gboolean   shareable;
  GPtrArray *backing;    /* char*: the paths of its <backingStore> chain, outermost first;
                          * only a running domain's XML names them */
} GhDomainEditorDisk;

typedef enum
{
  GH_DOMAIN_HOSTDEV_PCI,
  GH_DOMAIN_HOSTDEV_USB,
  GH_DOMAIN_HOSTDEV_MDEV,
  GH_DOMAIN_HOSTDEV_OTHER,  /* SCSI, capabilities mode, …: kept, never edited */
} GhDomainHostdevKind;

/* One <hostdev> of the domain. */
typedef struct
{
  GhDomainHostdevKind  kind;
  char                *address;     /* PCI: "0000:01:00.0"; USB: "bus.device" or NULL */
  guint                vendor_id;   /* USB, 0 when the XML names none */
  guint                product_id;
  char                *uuid;        /* mdev */
  char                *model;       /* mdev: "vfio-pci" */
  gboolean             display;     /* mdev: display='on' */
  gboolean             managed;
} GhDomainHostdev;

/* One <interface> of the domain. */
typedef struct
{
  char *type;    /* "network", "bridge", "user", … */
  char *mac;     /* NULL when libvirt is to choose one */
  char *source;  /* the network or bridge name, or NULL */
  char *model;   /* "virtio", "e1000e", or NULL */
} GhDomainInterface;

void gh_domain_editor_disk_free (GhDomainEditorDisk *disk);
void gh_domain_hostdev_free     (GhDomainHostdev    *hostdev);
void gh_domain_interface_free   (GhDomainInterface  *iface);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDomainEditorDisk, gh_domain_editor_disk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDomainHostdev, gh_domain_hostdev_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDomainInterface, gh_domain_interface_free)

#define GH_TYPE_DOMAIN_EDITOR (gh_domain_editor_get_type ())

G_DECLARE_FINAL_TYPE (GhDomainEditor, gh_domain_editor, GH, DOMAIN_EDITOR, GObject)

/* An editor is plain data with no thread of its own: it may be made, edited and dropped
 * in a worker, but one thread at a time. Every edit changes the parsed document in
 * place, so whatever it does not touch (other applications' metadata, qemu:commandline,
 * comments, devices Greenhouse has never heard of) comes out as it went in. */
GhDomainEditor *gh_domain_editor_new                 (const char          *xml,
                                                      GError             **error);
char           *gh_domain_editor_to_xml              (GhDomainEditor      *self);
/* The elements an XPath expression selects, as text, one after the other ("" when there
 * are none): what an edit is about to change, to compare with what a window showed. */
char           *gh_domain_editor_dup_part            (GhDomainEditor      *self,
                                                      const char          *xpath);
/* What each kind of edit changes, as gh_domain_editor_dup_part() and
 * gh_machine_edit_async() take it: the elements the edit writes and those it takes
 * along (a single NUMA node follows memory and processors, pins go with vCPUs). */
#define GH_DOMAIN_PART_TITLE        "/domain/title"
#define GH_DOMAIN_PART_DESCRIPTION  "/domain/description"
#define GH_DOMAIN_PART_MEMORY       "/domain/memory | /domain/currentMemory | /domain/cpu/numa"
#define GH_DOMAIN_PART_VCPUS        "/domain/vcpu | /domain/cputune | /domain/cpu/topology" \
                                    " | /domain/cpu/numa"
#define GH_DOMAIN_PART_BOOT_ORDER   "/domain/os/boot | /domain/devices/*/boot"
#define GH_DOMAIN_PART_CDROMS       "/domain/devices/disk[@device='cdrom']"
#define GH_DOMAIN_PART_DISPLAY      "/domain/devices/graphics | /domain/devices/video"
#define GH_DOMAIN_PART_HOSTDEVS     "/domain/devices/hostdev"
#define GH_DOMAIN_PART_INTERFACES   "/domain/devices/interface"

/* What of @asked's @xpath part @stored did not keep, in words ("<memory> holds 1310720,
 * not 1048576"), or NULL when it kept all of it: every element, attribute and text, in
 * elements of their own; what libvirt adds (defaults, addresses) is no loss. @asked is
 * what an edit defined, @stored the definition read back after it. */
char           *gh_domain_editor_dup_lost            (GhDomainEditor      *asked,
                                                      GhDomainEditor      *stored,
                                                      const char          *xpath);

const char     *gh_domain_editor_get_name            (GhDomainEditor      *self);
/* NULL when the domain has none; setting NULL or "" removes it. Text that is not UTF-8,
 * or has a control character (a description may have tabs and line breaks), is refused
 * with the reason, as gh_text_check() gives it. */
char           *gh_domain_editor_dup_title           (GhDomainEditor      *self);
gboolean        gh_domain_editor_set_title           (GhDomainEditor      *self,
                                                      const char          *title,
                                                      GError             **error);
char           *gh_domain_editor_dup_description     (GhDomainEditor      *self);
gboolean        gh_domain_editor_set_description     (GhDomainEditor      *self,
                                                      const char          *description,
                                                      GError             **error);

/* Bytes. Setting changes <memory> and <currentMemory>, the balloon's target, alike. */
guint64         gh_domain_editor_get_memory          (GhDomainEditor      *self);
guint64         gh_domain_editor_get_current_memory  (GhDomainEditor      *self);
gboolean        gh_domain_editor_set_memory          (GhDomainEditor      *self,
                                                      guint64              bytes,
                                                      GError             **error);
/* Setting changes <vcpu> (and its current count) and keeps a <cpu><topology> whole. */
guint           gh_domain_editor_get_vcpus           (GhDomainEditor      *self);
gboolean        gh_domain_editor_set_vcpus           (GhDomainEditor      *self,
                                                      guint                vcpus,
                                                      GError             **error);

/* The first <video>'s model, or NULL; @gl: it draws 3D (virgl). */
char           *gh_domain_editor_dup_video_model     (GhDomainEditor      *self,
                                                      gboolean            *gl);

/* The boot order. A domain boots either from its <os><boot dev> list ("hd", "cdrom",
 * "network", "fd") or from per-device <boot order>, whose entries this names by device:
 * "disk:vda" (a disk's target), "interface:52:54:00:…" (a NIC's MAC), else the element
 * and its index among its kind ("hostdev:0"). */
gboolean        gh_domain_editor_get_boot_per_device (GhDomainEditor      *self);
GStrv           gh_domain_editor_dup_boot_order      (GhDomainEditor      *self);
/* Entries must be of the domain's kind of boot order; per device, devices left out of
 * @order do not boot. */
gboolean        gh_domain_editor_set_boot_order      (GhDomainEditor      *self,
                                                      const char * const  *order,
                                                      GError             **error);

/* GhDomainEditorDisk*, in document order. */
GPtrArray      *gh_domain_editor_dup_disks           (GhDomainEditor      *self);
GPtrArray      *gh_domain_editor_dup_cdroms          (GhDomainEditor      *self);
gboolean        gh_domain_editor_insert_cdrom        (GhDomainEditor      *self,
                                                      const char          *target,
                                                      const char          *path,
                                                      GError             **error);
gboolean        gh_domain_editor_eject_cdrom         (GhDomainEditor      *self,
                                                      const char          *target,
                                                      GError             **error);
/* Adds an image file as a new disk on the first free target of its bus (virtio: "vdX",
 * else SATA: "sdX"). Returns: (transfer full) the target, or NULL with @error set. */
char           *gh_domain_editor_add_disk            (GhDomainEditor      *self,
                                                      const char          *path,
                                                      const char          *format,
                                                      gboolean             virtio,
                                                      GError             **error);
gboolean        gh_domain_editor_remove_disk         (GhDomainEditor      *self,
                                                      const char          *target,
                                                      GError             **error);

/* Replaces every <video> and <graphics> with the elements of @video_xml and @graphics_xml,
 * adds those of @hostdev_xml and of @companions_xml (tablet, agent channel, USB
 * redirection) that the domain lacks. Each holds elements that go into <devices>, or is
 * NULL for none. Everything else stays. A display on a network port without a password is
 * refused. gh_graphics_path_apply() gives a machine a display path this way. */
gboolean        gh_domain_editor_set_display         (GhDomainEditor      *self,
                                                      const char          *video_xml,
                                                      const char          *graphics_xml,
                                                      const char          *hostdev_xml,
                                                      const char          *companions_xml,
                                                      GError             **error);

/* A <graphics> whose server takes TCP connections and has no password: anyone who can
 * reach the port sees the screen and has the keyboard, mouse and USB redirection. */
typedef struct
{
  char *type;     /* "spice", "vnc", "rdp" */
  char *address;  /* what it listens on; NULL: the daemon's default (qemu.conf) */
  int   port;     /* 0: picked when the machine starts */
} GhDomainOpenDisplay;

void gh_domain_open_display_free (GhDomainOpenDisplay *display);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDomainOpenDisplay, gh_domain_open_display_free)

/* GhDomainOpenDisplay*, in document order; empty when every display is private (listen
 * none or socket) or has a password. Read a definition with its secrets (SECURE):
 * without them every password looks missing. */
GPtrArray      *gh_domain_editor_dup_open_displays   (GhDomainEditor      *self);
/* Makes every open display listen on a UNIX socket that libvirt places in its own
 * directory (<listen type='socket'/>), dropping the TCP listen, port and autoport;
 * every other attribute and child stays. RDP, which has no socket, is left as it is.
 * Returns: how many displays changed. */
guint           gh_domain_editor_close_open_displays (GhDomainEditor      *self);

/* FALSE when the definition turns USB off (<controller type='usb' model='none'/>):
 * libvirt then refuses every USB device, tablet and redirection included. */
gboolean        gh_domain_editor_get_has_usb         (GhDomainEditor      *self);
/* Whether the machine has a <graphics>: a virtual GPU's screen (display='on') needs one. */
gboolean        gh_domain_editor_get_has_graphics    (GhDomainEditor      *self);

/* GhDomainHostdev*, in document order. */
GPtrArray      *gh_domain_editor_dup_hostdevs        (GhDomainEditor      *self);
/* A PCI address written in full, as libvirt and the host write it ("0000:01:00.0"), from
 * one in full or without its domain ("01:00.0"); NULL when @address is none. */
char           *gh_domain_pci_address_dup_full       (const char          *address);
/* PCI addresses as "0000:01:00.0" (or "01:00.0"). Each gets a managed vfio-pci
 * <hostdev>, unless the domain has it already. */
gboolean        gh_domain_editor_attach_pci_hostdevs (GhDomainEditor      *self,
                                                      const char * const  *addresses,
                                                      GError             **error);
gboolean        gh_domain_editor_detach_pci_hostdev  (GhDomainEditor      *self,
                                                      const char          *address,
                                                      GError             **error);
/* @model NULL: "vfio-pci". @display needs a <graphics> (refused without one). */
gboolean        gh_domain_editor_attach_mdev         (GhDomainEditor      *self,
                                                      const char          *uuid,
                                                      const char          *model,
                                                      gboolean             display,
                                                      GError             **error);
gboolean        gh_domain_editor_detach_mdev         (GhDomainEditor      *self,
                                                      const char          *uuid,
                                                      GError             **error);
/* A USB device by what it is (it follows the device from port to port)… Both refuse, with
 * the reason, a machine whose USB is off. */
gboolean        gh_domain_editor_attach_usb          (GhDomainEditor      *self,
                                                      guint                vendor_id,
                                                      guint                product_id,
                                                      GError             **error);
gboolean        gh_domain_editor_detach_usb          (GhDomainEditor      *self,
                                                      guint                vendor_id,
                                                      guint                product_id,
                                                      GError             **error);
/* …or by where it is plugged in (two identical devices). */
gboolean        gh_domain_editor_attach_usb_at       (GhDomainEditor      *self,
                                                      guint                bus,
                                                      guint                device,
                                                      GError             **error);
gboolean        gh_domain_editor_detach_usb_at       (GhDomainEditor      *self,
                                                      guint                bus,
                                                      guint                device,
                                                      GError             **error);

/* Greenhouse's note that it made the mediated device @uuid for the machine. */
void            gh_domain_editor_mark_mdev_made      (GhDomainEditor      *self,
                                                      const char          *uuid,
                                                      const char          *node_device);
char           *gh_domain_editor_dup_mdev_made       (GhDomainEditor      *self,
                                                      const char          *uuid);
/* GhDomainInterface*, in document order. */
GPtrArray      *gh_domain_editor_dup_interfaces      (GhDomainEditor      *self);

/* The install phase of an express install: Greenhouse's note of its kernel and initrd. */
gboolean        gh_domain_editor_get_express_install (GhDomainEditor      *self,
                                                      char               **kernel,
                                                      char               **initrd);
gboolean        gh_domain_editor_end_express_install (GhDomainEditor      *self,
                                                      GError             **error);
/* @mac NULL: every interface. */
gboolean        gh_domain_editor_set_interface_model (GhDomainEditor      *self,
                                                      const char          *mac,
                                                      const char          *model,
                                                      GError             **error);

G_END_DECLS

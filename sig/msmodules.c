/* msmodules.c - the Microsoft inbox modules: kernel, HAL, drivers and the
 * core user-mode images that ship with Windows and are written by Microsoft.
 * Every other module is "third-party" (a vendor's driver, even when Windows
 * Update delivers it, e.g. Intel's Netwtw08 or Realtek's rt640x64).
 *
 * Names are canonical (pm_canon_module: lower case, no extension) and kept
 * sorted in byte order here (binary search; tests/unit/test-signature.c
 * checks the order and that each name is found). docs/signature.md explains
 * how to add a name. vwifimf, lwfmgr, gscfmgr, npf, hwusbclient and
 * netwtw08 are third-party and must never appear here; amdppm and intelppm
 * are Microsoft's processor drivers and do.
 */
#include "signature.h"

#include <stdlib.h>
#include <string.h>

static const char *const msmodules[] = {
	"acpi", "acpiex", "acpipagr", "acpitime", "advapi32", "afd", "afdnotify", "afunix", "agilevpn",
	"ahcache", "amdppm", "appid", "applockerfltr", "asyncmac", "atapi", "ataport", "audiodg", "bam",
	"basesrv", "basicdisplay", "basicrender", "battc", "beep", "bfs", "bindflt", "bootvid", "bowser",
	"bthenum", "bthleenum", "bthmini", "bthpan", "bthport", "bthusb", "bttflt", "cdd", "cdfs",
	"cdrom", "cea", "ci", "cimfs", "classpnp", "cldflt", "clfs", "clipsp", "cmbatt", "cmimcext",
	"cng", "combase", "compositebus", "condrv", "crashdmp", "csc", "csrsrv", "csrss", "dam", "dfsc",
	"disk", "diskdump", "drmk", "dumpfve", "dumpstorport", "dwm", "dxgkrnl", "dxgmms1", "dxgmms2",
	"ehstorclass", "ehstortcgdrv", "exfat", "explorer", "fastfat", "filecrypt", "fileinfo", "fltmgr",
	"fs_rec", "fsdepends", "fvevol", "fwpkclnt", "gdi32", "gdi32full", "gencounter", "gpioclx0101",
	"gpuenergydrv", "hal", "hdaudbus", "hdaudio", "hidbatt", "hidbth", "hidclass", "hidi2c",
	"hidinterrupt", "hidparse", "hidspi", "hidusb", "http", "hvax64", "hvcrash", "hvix64", "hvloader",
	"hvservice", "hvsocket", "hvsocketcontrol", "hwpolicy", "hyperkbd", "hypervideo", "i8042prt",
	"intelide", "intelpep", "intelppm", "iorate", "irenum", "iumbase", "kbdclass", "kbdhid", "kd",
	"kdcom", "kdhvcom", "kdnet", "kdnic", "kdstub", "kernel32", "kernelbase", "ks", "ksecdd",
	"ksecpkg", "ksthunk", "lltdio", "lsaiso", "lsass", "luafv", "lxcore", "lxss", "mausbhost",
	"mausbip", "mbbcx", "mcupdate_authenticamd", "mcupdate_genuineintel", "microsoft", "mmcss", "monitor",
	"mouclass", "mouhid", "mountmgr", "mpsdrv", "mrxsmb", "mrxsmb10", "mrxsmb20", "ms", "msdmfilt", "msfs",
	"msgpioclx", "mshidkmdf", "mshidumdf", "msisadrv", "mslbfoprovider", "mslldp", "msmpeng",
	"msquic", "msrpc", "mssecflt", "mssmbios", "msvcrt", "mswsock", "mtconfig", "mup", "ndis",
	"ndiscap", "ndisimplatform", "ndisuio", "ndisvirtualbus", "ndiswan", "ndproxy", "ndu",
	"netadapter", "netadaptercx", "netbios", "netbt", "netio", "netvsc", "netvscvfpp", "npfs",
	"npsvctrig", "nsiproxy", "nt", "ntdll", "ntfs", "ntosext", "null", "nvdimm", "nwifi", "pacer",
	"parport", "partmgr", "pci", "pciide", "pciidex", "pcw", "pdc", "peauth", "portcls", "prjflt",
	"processr", "pshed", "qwavedrv", "rasacd", "rasagilevpn", "rasl2tp", "raspppoe", "raspptp",
	"rassstp", "rdbss", "rdma", "rdpbus", "rdpdd", "rdpdr", "rdpvideominiport", "rdpwd", "rdyboost",
	"refs", "refsv1", "rfcomm", "rndismp", "rpcrt4", "rspndr", "scmbus", "scmdisk0101", "scsiport",
	"sdbus", "sdport", "sdstor", "searchindexer", "sechost", "securekernel", "serenum", "serial",
	"services", "sgrmagent", "skci", "sleepstudyhelper", "smbdirect", "smss", "spaceparser",
	"spaceport", "spbcx", "spoolsv", "srv", "srv2", "srvnet", "storahci", "storflt", "stornvme",
	"storport", "storqosflt", "storufs", "storvsc", "storvsp", "svchost", "swenum", "sxssrv",
	"synth3dvsc", "system", "taskhostw", "tbs", "tcpip", "tcpipreg", "tdi", "tdx", "termdd", "terminpt", "tm",
	"tpm", "tsddd", "tsusbflt", "tsusbhub", "tunnel", "uaspstor", "ucmcx", "ucmcx0101", "ucmtcpcicx",
	"ucmucsi", "ucmucsicx", "ucpd", "ucrtbase", "ucx01000", "udfs", "uefi", "umbus", "umpass",
	"urscx01000", "usb8023", "usbaudio", "usbaudio2", "usbccgp", "usbcir", "usbd", "usbehci",
	"usbhub", "usbhub3", "usbohci", "usbport", "usbprint", "usbser", "usbstor", "usbuhci", "usbvideo",
	"usbxhci", "user32", "vdrvroot", "verifierext", "vfpext", "vga", "vhdmp", "vid", "videoprt",
	"vkrnlintvsc", "vkrnlintvsp", "vmbkmcl", "vmbkmclr", "vmbus", "vmbushid", "vmbusr",
	"vmgencounter", "vmgid", "vms3cap", "vmsproxy", "vmsproxyhnic", "vmstorfl", "vmsvsf", "vmsvsm",
	"vmswitch", "volmgr", "volmgrx", "volsnap", "volume", "vpci", "vpcivsp", "vwifibus", "vwififlt",
	"vwifimp", "wanarp", "wanarpv6", "watchdog", "wcifs", "wcnfs", "wdboot", "wdf01000", "wdfilter",
	"wdfldr", "wdiwifi", "wdmcompanionfilter", "wdnisdrv", "werkernel", "wfpcapture", "wfplwf",
	"wfplwfs", "wificx", "win32k", "win32kbase", "win32kfull", "win32kns", "win32u", "windows",
	"windowstrustedrt", "windowstrustedrtproxy", "winhv", "winhvr", "wininit", "winlogon", "winnat",
	"winsrv", "winsrvext", "winusb", "wmbclass", "wmiacpi", "wmilib", "wof", "wpdupfltr",
	"wpprecorder", "ws2_32", "ws2ifsl", "wtd", "wudfhost", "wudfpf", "wudfrd",
};

static int cmp_name(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int sig_is_microsoft(const char *canon_module)
{
	if (!canon_module || !*canon_module)
		return 0;
	/* "dump_stornvme": the crash-dump copy of a storage driver is the
	 * driver's (dump_iastora is Intel's) */
	if (strncmp(canon_module, "dump_", 5) == 0 && canon_module[5])
		canon_module += 5;
	return bsearch(canon_module, msmodules, PMKB_ARRAY_LEN(msmodules), sizeof msmodules[0],
		       cmp_name) != NULL;
}

size_t sig_msmodules_count(void)
{
	return PMKB_ARRAY_LEN(msmodules);
}

const char *sig_msmodule(size_t i)
{
	return i < PMKB_ARRAY_LEN(msmodules) ? msmodules[i] : NULL;
}

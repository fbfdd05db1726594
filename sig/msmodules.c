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
	"basesrv", "basicdisplay", "basicrender", "battc", "bcrypt", "beep", "bfs", "bindflt", "bootvid",
	"bowser", "bthenum", "bthleenum", "bthmini", "bthpan", "bthport", "bthusb", "bttflt", "cdd",
	"cdfs", "cdrom", "cea", "cfgmgr32", "chakra", "ci", "cimfs", "classpnp", "cldflt", "clfs",
	"clipsp", "clr", "clrjit", "cmbatt", "cmimcext", "cng", "combase", "comctl32", "comdlg32",
	"compositebus", "condrv", "coreclr", "coremessaging", "coremessagingxp", "crashdmp", "crypt32",
	"csc", "csrsrv", "csrss", "d2d1", "d3d11", "d3d12", "d3d9", "dam", "dbgcore", "dbghelp", "dcomp",
	"dfsc", "disk", "diskdump", "drmk", "dui70", "dumpfve", "dumpstorport", "duser", "dwm", "dwmapi",
	"dwrite", "dxgi", "dxgkrnl", "dxgmms1", "dxgmms2", "edgehtml", "ehstorclass", "ehstortcgdrv",
	"exfat", "explorer", "explorerframe", "fastfat", "faultrep", "filecrypt", "fileinfo", "fltmgr",
	"fs_rec", "fsdepends", "fvevol", "fwpkclnt", "gdi32", "gdi32full", "gencounter", "gpioclx0101",
	"gpuenergydrv", "hal", "hdaudbus", "hdaudio", "hidbatt", "hidbth", "hidclass", "hidi2c",
	"hidinterrupt", "hidparse", "hidspi", "hidusb", "http", "hvax64", "hvcrash", "hvix64", "hvloader",
	"hvservice", "hvsocket", "hvsocketcontrol", "hwpolicy", "hyperkbd", "hypervideo", "i8042prt",
	"inputhost", "intelide", "intelpep", "intelppm", "iorate", "irenum", "iumbase", "jscript9",
	"kbdclass", "kbdhid", "kd", "kdcom", "kdhvcom", "kdnet", "kdnic", "kdstub", "kernel32",
	"kernel_appcore", "kernelbase", "ks", "ksecdd", "ksecpkg", "ksthunk", "lltdio", "lsaiso", "lsass",
	"luafv", "lxcore", "lxss", "mausbhost", "mausbip", "mbbcx", "mcupdate_authenticamd",
	"mcupdate_genuineintel", "mfc140u", "microsoft", "mmcss", "monitor", "mouclass", "mouhid",
	"mountmgr", "mpsdrv", "mrxsmb", "mrxsmb10", "mrxsmb20", "ms", "mscoreei", "mscorlib", "mscorwks",
	"msctf", "msdmfilt", "msfs", "msgpioclx", "mshidkmdf", "mshidumdf", "mshtml", "msisadrv",
	"mslbfoprovider", "mslldp", "msmpeng", "msquic", "msrpc", "mssecflt", "mssmbios", "msvcp100",
	"msvcp120", "msvcp140", "msvcp_win", "msvcr100", "msvcr120", "msvcrt", "mswsock", "mtconfig",
	"mup", "ndis", "ndiscap", "ndisimplatform", "ndisuio", "ndisvirtualbus", "ndiswan", "ndproxy",
	"ndu", "netadapter", "netadaptercx", "netbios", "netbt", "netio", "netvsc", "netvscvfpp", "npfs",
	"npsvctrig", "nsiproxy", "nt", "ntdll", "ntfs", "ntosext", "null", "nvdimm", "nwifi", "ole32",
	"oleaut32", "pacer", "parport", "partmgr", "pci", "pciide", "pciidex", "pcw", "pdc", "peauth",
	"portcls", "prjflt", "processr", "propsys", "pshed", "qwavedrv", "rasacd", "rasagilevpn",
	"rasl2tp", "raspppoe", "raspptp", "rassstp", "rdbss", "rdma", "rdpbus", "rdpdd", "rdpdr",
	"rdpvideominiport", "rdpwd", "rdyboost", "refs", "refsv1", "rfcomm", "rndismp", "rpcrt4",
	"rspndr", "scmbus", "scmdisk0101", "scsiport", "sdbus", "sdport", "sdstor", "searchindexer",
	"sechost", "securekernel", "serenum", "serial", "services", "setupapi", "sgrmagent", "shcore",
	"shell32", "skci", "sleepstudyhelper", "smbdirect", "smss", "spaceparser", "spaceport", "spbcx",
	"spoolsv", "srv", "srv2", "srvnet", "storahci", "storflt", "stornvme", "storport", "storqosflt",
	"storufs", "storvsc", "storvsp", "svchost", "swenum", "sxssrv", "synth3dvsc", "system",
	"system_private_corelib", "taskhostw", "tbs", "tcpip", "tcpipreg", "tdi", "tdx", "termdd",
	"terminpt", "textinputframework", "tm", "tpm", "tsddd", "tsusbflt", "tsusbhub", "tunnel",
	"twinapi_appcore", "uaspstor", "ucmcx", "ucmcx0101", "ucmtcpcicx", "ucmucsi", "ucmucsicx", "ucpd",
	"ucrtbase", "ucx01000", "udfs", "uefi", "umbus", "umpass", "urscx01000", "usb8023", "usbaudio",
	"usbaudio2", "usbccgp", "usbcir", "usbd", "usbehci", "usbhub", "usbhub3", "usbohci", "usbport",
	"usbprint", "usbser", "usbstor", "usbuhci", "usbvideo", "usbxhci", "user32", "uxtheme",
	"vcruntime140", "vcruntime140_1", "vdrvroot", "verifier", "verifierext", "vfpext", "vga", "vhdmp",
	"vid", "videoprt", "vkrnlintvsc", "vkrnlintvsp", "vmbkmcl", "vmbkmclr", "vmbus", "vmbushid",
	"vmbusr", "vmgencounter", "vmgid", "vms3cap", "vmsproxy", "vmsproxyhnic", "vmstorfl", "vmsvsf",
	"vmsvsm", "vmswitch", "volmgr", "volmgrx", "volsnap", "volume", "vpci", "vpcivsp", "vwifibus",
	"vwififlt", "vwifimp", "wanarp", "wanarpv6", "watchdog", "wcifs", "wcnfs", "wdboot", "wdf01000",
	"wdfilter", "wdfldr", "wdiwifi", "wdmcompanionfilter", "wdnisdrv", "wer", "werkernel",
	"wfpcapture", "wfplwf", "wfplwfs", "wificx", "win32k", "win32kbase", "win32kfull", "win32kns",
	"win32u", "windows", "windowscodecs", "windowstrustedrt", "windowstrustedrtproxy", "winhttp",
	"winhv", "winhvr", "wininet", "wininit", "winlogon", "winnat", "winsrv", "winsrvext", "winusb",
	"wmbclass", "wmiacpi", "wmilib", "wof", "wpdupfltr", "wpprecorder", "ws2_32", "ws2ifsl", "wtd",
	"wudfhost", "wudfpf", "wudfrd",
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
	/* "Windows.UI.Xaml.dll", "Microsoft.UI.Xaml.dll",
	 * "Windows.Storage.dll": the dotted names of Microsoft's WinRT and
	 * Windows App SDK images */
	if ((strncmp(canon_module, "windows_", 8) == 0 && canon_module[8]) ||
	    (strncmp(canon_module, "microsoft_", 10) == 0 && canon_module[10]))
		return 1;
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

/* gen.c - pmkb-gen: a deterministic generator of synthetic support-case threads
 * (export format and maildir) with embedded WinDbg analyses and known root-cause
 * clusters, for benchmarks and evaluation at scale. Not part of libpmkb.
 *
 * Everything derives from --seed: thread i is a function of (seed, i) only, so a
 * 10k corpus is the prefix of the 100k corpus of the same seed, and the same
 * command always writes the same bytes. The format of what it writes is in
 * docs/benchmarks.md ("The corpus generator") and docs/pmkb-gen.1. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#define GEN_VERSION "1"
#define EX_USAGE 64
#define EX_CANTCREAT 73

/* ------------------------------------------------------------------ */
/* small helpers: a growable string, a PRNG, die                       */

typedef struct {
	char *s;
	size_t len, cap;
} buf;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("pmkb-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EX_CANTCREAT);
}

static void b_grow(buf *b, size_t need)
{
	if (b->len + need + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + need + 1)
		cap *= 2;
	char *p = realloc(b->s, cap);
	if (!p)
		die("out of memory");
	b->s = p;
	b->cap = cap;
}

static void b_add(buf *b, const char *s, size_t n)
{
	b_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void b_adds(buf *b, const char *s) { b_add(b, s, strlen(s)); }

static void b_addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void b_addf(buf *b, const char *fmt, ...)
{
	va_list ap;
	b_grow(b, 256);
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("format error");
	if ((size_t)n >= b->cap - b->len) { /* did not fit: grow, write again */
		b_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* snprintf that truncates silently (names and frames have fixed room); a
 * wrapper so that gcc's truncation warnings, which vary with -O, stay quiet */
static int fmt_to(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fmt_to(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return k;
}

/* snprintf into a path buffer; a path that does not fit is an error */
static void xpath(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void xpath(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= n)
		die("path too long: '%s'", out);
}

static void b_reset(buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

/* splitmix64: tiny, fast, good enough, and the same on every platform */
typedef struct {
	uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stream for (seed, kind, index): independent of every other stream, so
 * thread i does not depend on how many threads come before or after it. */
static rng rstream(uint64_t seed, uint64_t kind, uint64_t idx)
{
	rng r = {seed ^ (kind * 0xd1b54a32d192ed03ULL) ^ (idx * 0x8cb92ba72f3d8dd7ULL)};
	rnext(&r);
	rnext(&r);
	return r;
}

static unsigned rint_(rng *r, unsigned n) { return n ? (unsigned)(rnext(r) % n) : 0; }
static double runit(rng *r) { return (double)(rnext(r) >> 11) / 9007199254740992.0; }
static int rchance(rng *r, double p) { return runit(r) < p; }
#define PICK(r, arr) ((arr)[rint_((r), (unsigned)(sizeof(arr) / sizeof((arr)[0])))])
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* vocabulary: bugchecks                                               */

enum prelude { PRE_PF, PRE_MM, PRE_NX, PRE_EXC, PRE_SVC, PRE_FASTFAIL, PRE_VERIFIER,
	       PRE_POOL, PRE_WATCHDOG, PRE_POWER, PRE_PLAIN, PRE_TRAP };

typedef struct {
	unsigned code;
	const char *name;
	const char *desc; /* first description line(s) of !analyze */
	const char *arg[4];
	enum prelude pre;
} bugcheck;

static const bugcheck BUGCHECKS[] = {
	{0x0A, "IRQL_NOT_LESS_OR_EQUAL", "An attempt was made to access a pageable (or completely invalid) address at an\ninterrupt request level (IRQL) that is too high.",
	 {"memory referenced", "IRQL", "bitfield :\n\tbit 0 : value 0 = read operation, 1 = write operation", "address which referenced memory"}, PRE_PF},
	{0xD1, "DRIVER_IRQL_NOT_LESS_OR_EQUAL", "An attempt was made to access a pageable (or completely invalid) address at an\ninterrupt request level (IRQL) that is too high.  This is usually\ncaused by drivers using improper addresses.",
	 {"memory referenced", "IRQL", "value 0 = read operation, 1 = write operation", "address which referenced memory"}, PRE_PF},
	{0x50, "PAGE_FAULT_IN_NONPAGED_AREA", "Invalid system memory was referenced.  This cannot be protected by try-except.\nTypically the address is just plain bad or it is pointing at freed memory.",
	 {"memory referenced.", "value 0 = read operation, 1 = write operation.", "If non-zero, the instruction address which referenced the bad memory\naddress.", "(reserved)"}, PRE_MM},
	{0xFC, "ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY", "An attempt was made to execute non-executable memory.  The guilty driver\nis on the stack trace (and is typically the current instruction pointer).",
	 {"Virtual address for the attempted execute.", "PTE contents.", "(reserved)", "(reserved)"}, PRE_NX},
	{0x1E, "KMODE_EXCEPTION_NOT_HANDLED", "This is a very common bugcheck.  Usually the exception address pinpoints\nthe driver/function that caused the problem.  Always note this address\nas well as the link date of the driver/image that contains this address.",
	 {"The exception code that was not handled", "The address that the exception occurred at", "Parameter 0 of the exception", "Parameter 1 of the exception"}, PRE_EXC},
	{0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", "This is a very common BugCheck.  Usually the exception address pinpoints\nthe driver/function that caused the problem.",
	 {"The exception code that was not handled", "The address that the exception occurred at", "Exception Record Address", "Context Record Address"}, PRE_EXC},
	{0x3B, "SYSTEM_SERVICE_EXCEPTION", "An exception happened while executing a system service routine.",
	 {"Exception code that caused the BugCheck", "Address of the instruction which caused the BugCheck", "Address of the context record for the exception that caused the BugCheck", "zero."}, PRE_SVC},
	{0x7F, "UNEXPECTED_KERNEL_MODE_TRAP", "This means a trap occurred in kernel mode, and it's a trap of a kind\nthat the kernel isn't allowed to have/catch (bound trap) or that\nis always instant death (double fault).",
	 {"EXCEPTION_DOUBLE_FAULT", "(reserved)", "(reserved)", "(reserved)"}, PRE_TRAP},
	{0xBE, "ATTEMPTED_WRITE_TO_READONLY_MEMORY", "An attempt was made to write to readonly memory.  The guilty driver is on the\nstack trace (and is typically the current instruction pointer).",
	 {"Virtual address for the attempted write.", "PTE contents.", "(reserved)", "(reserved)"}, PRE_MM},
	{0x139, "KERNEL_SECURITY_CHECK_FAILURE", "A kernel component has corrupted a critical data structure.  The corruption\ncould potentially allow a malicious user to gain control of this machine.",
	 {"A LIST_ENTRY has been corrupted (i.e. double remove).", "Address of the trap frame for the exception that caused the BugCheck", "Address of the exception record for the exception that caused the BugCheck", "Reserved"}, PRE_FASTFAIL},
	{0x19, "BAD_POOL_HEADER", "The pool is already corrupt at the time of the current request.\nThis may or may not be due to the caller.",
	 {"The pool entry we were looking for within the page.", "The next pool entry.", "(reserved)", "(reserved)"}, PRE_POOL},
	{0xC2, "BAD_POOL_CALLER", "The current thread is making a bad pool request.  Typically this is at a bad IRQL level or double freeing the same allocation, etc.",
	 {"Attempt to free pool which was already freed", "Pool tag value from the pool header", "Contents of the first 4 bytes of the pool header", "Address of the block of pool being deallocated"}, PRE_POOL},
	{0x13A, "KERNEL_MODE_HEAP_CORRUPTION", "The kernel mode heap manager has detected corruption in a heap.",
	 {"Type of corruption detected", "Address of the heap that reported the corruption", "Address at which the corruption was detected", "(reserved)"}, PRE_POOL},
	{0xC1, "SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION", "Special pool has detected memory corruption.  Typically the current thread's\nstack backtrace will reveal the guilty party.",
	 {"address trying to free", "size of the address trying to free", "pattern that was corrupted", "corruption type"}, PRE_POOL},
	{0xD5, "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL", "Memory was referenced after it was freed.\nThis cannot be protected by try-except.",
	 {"memory referenced", "value 0 = read operation, 1 = write operation", "if non-zero, the address which referenced memory.", "(reserved)"}, PRE_MM},
	{0xD6, "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION", "N bytes of memory was allocated and more than N bytes are being referenced.\nThis cannot be protected by try-except.",
	 {"memory referenced", "value 0 = read operation, 1 = write operation", "if non-zero, the address which referenced memory.", "(reserved)"}, PRE_MM},
	{0xC4, "DRIVER_VERIFIER_DETECTED_VIOLATION", "A device driver attempting to corrupt the system has been caught.  This is\nbecause the driver was specified in the registry as being suspect (by the\nadministrator) and the kernel has enabled substantial checking of this driver.",
	 {"Referencing user handle as KernelMode.", "Handle value being referenced.", "Address of the current process.", "Address inside the driver that is performing the incorrect reference."}, PRE_VERIFIER},
	{0xC9, "DRIVER_VERIFIER_IOMANAGER_VIOLATION", "The IO manager has caught a misbehaving driver.",
	 {"IRP passed to IoCompleteRequest still has cancel routine set", "the address in the driver's code where the error was detected", "IRP address", "(reserved)"}, PRE_VERIFIER},
	{0xE6, "DRIVER_VERIFIER_DMA_VIOLATION", "An illegal DMA operation was attempted by a driver being verified.",
	 {"Type of violation", "(reserved)", "(reserved)", "(reserved)"}, PRE_VERIFIER},
	{0x10D, "WDF_VIOLATION", "The Kernel-Mode Driver Framework was notified that Windows detected an error\nin a framework-based driver.",
	 {"A request was completed twice", "WDFREQUEST handle", "Reserved", "Reserved"}, PRE_VERIFIER},
	{0x133, "DPC_WATCHDOG_VIOLATION", "The DPC watchdog detected a prolonged run time at an IRQL of DISPATCH_LEVEL\nor above.",
	 {"A single DPC or ISR exceeded its time allotment.", "The DPC time count (in ticks).", "The DPC time allotment (in ticks).", "cast to nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK, which contains\nadditional information regarding this single DPC timeout"}, PRE_WATCHDOG},
	{0x101, "CLOCK_WATCHDOG_TIMEOUT", "An expected clock interrupt was not received on a secondary processor in an\nMP system within the allocated interval.",
	 {"Clock interrupt time out interval in nominal clock ticks.", "0", "The PRCB address of the hung processor.", "The index of the hung processor."}, PRE_WATCHDOG},
	{0x9F, "DRIVER_POWER_STATE_FAILURE", "A driver has failed to complete a power IRP within a specific time.",
	 {"A device object has been blocking an Irp for too long a time", "Physical Device Object of the stack", "nt!TRIAGE_9F_POWER on Win7 and higher, otherwise the Functional Device Object of the stack", "The blocked IRP"}, PRE_POWER},
	{0xA0, "INTERNAL_POWER_ERROR", "The power policy manager experienced a fatal error.",
	 {"A driver has requested a device power state while the system was in transition", "(reserved)", "(reserved)", "(reserved)"}, PRE_POWER},
	{0x1CA, "SYNTHETIC_WATCHDOG_TIMEOUT", "A system wide watchdog has expired.",
	 {"Time since watchdog was last reset, in QPC ticks.", "Current QPC timestamp.", "QPC timestamp of last watchdog reset.", "QPC frequency."}, PRE_WATCHDOG},
	{0xEF, "CRITICAL_PROCESS_DIED", "A critical system process died",
	 {"Process object or thread object", "If this is 0, a process died. If this is 1, a thread died.", "The process object that initiated the termination.", "(reserved)"}, PRE_PLAIN},
	{0xF4, "CRITICAL_OBJECT_TERMINATION", "A process or thread crucial to system operation has unexpectedly exited or been\nterminated.",
	 {"Object type of the object whose termination occurred.", "Terminating object", "Process image file name", "Explanatory message (ascii)"}, PRE_PLAIN},
	{0x7A, "KERNEL_DATA_INPAGE_ERROR", "The requested page of kernel data could not be read in.  Typically caused by\na bad block in the paging file or disk controller error.",
	 {"lock type that was held (value 1,2,3, or PTE address)", "error status (normally i/o status code)", "current process (virtual address for lock type 3, or PTE)", "virtual address that could not be in-paged (or PTE contents if arg1 is a PTE address)"}, PRE_MM},
	{0x77, "KERNEL_STACK_INPAGE_ERROR", "The requested page of kernel data could not be read in.",
	 {"status code", "i/o status code", "page file number", "offset into page file"}, PRE_MM},
	{0x24, "NTFS_FILE_SYSTEM", "If you see NtfsExceptionFilter on the stack then the 2nd and 3rd\nparameters are the exception record and context record.",
	 {"Source File/Line Identifier", "Exception record", "Context record", "(reserved)"}, PRE_EXC},
	{0x1A, "MEMORY_MANAGEMENT", "Any other values for parameter 1 must be individually examined.",
	 {"A corrupt PTE has been detected.", "PTE address", "PTE contents", "(reserved)"}, PRE_PLAIN},
	{0x4E, "PFN_LIST_CORRUPT", "Typically caused by drivers passing bad memory descriptor lists (ie: calling\nMmUnlockPages twice with the same list, etc).",
	 {"A PTE or PFN is corrupt", "The page frame number", "highest physical page number", "reference count of the entry being freed"}, PRE_PLAIN},
	{0xDA, "SYSTEM_PTE_MISUSE", "The stack trace identifies the guilty driver.",
	 {"Type of error.", "(reserved)", "(reserved)", "(reserved)"}, PRE_PLAIN},
	{0x116, "VIDEO_TDR_FAILURE", "Attempt to reset the display driver and recover from timeout failed.",
	 {"Optional pointer to internal TDR recovery context (TDR_RECOVERY_CONTEXT).", "The pointer into responsible device driver module (e.g. owner tag).", "Optional error code (NTSTATUS) of the last failed operation.", "Optional internal context dependent data."}, PRE_PLAIN},
	{0x117, "VIDEO_TDR_TIMEOUT_DETECTED", "The display driver failed to respond in timely fashion.",
	 {"Optional pointer to internal TDR recovery context (TDR_RECOVERY_CONTEXT).", "The pointer into responsible device driver module (e.g owner tag).", "The secondary driver specific bucketing key.", "Optional internal context dependent data."}, PRE_PLAIN},
	{0x119, "VIDEO_SCHEDULER_INTERNAL_ERROR", "The video scheduler has detected that fatal violation has occurred.",
	 {"The driver has reported an invalid fence ID.", "(reserved)", "(reserved)", "(reserved)"}, PRE_PLAIN},
	{0x44, "MULTIPLE_IRP_COMPLETE_REQUESTS", "A driver has requested that an IRP be completed (IoCompleteRequest()), but\nthe packet has already been completed.",
	 {"Address of the IRP", "(reserved)", "(reserved)", "(reserved)"}, PRE_PLAIN},
	{0xCE, "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS", "A driver unloaded without cancelling timers, DPCs, worker threads, etc.",
	 {"memory referenced", "value 0 = read operation, 1 = write operation", "If non-zero, the instruction address which referenced the bad memory\naddress.", "Mm internal code."}, PRE_MM},
	{0x20, "KERNEL_APC_PENDING_DURING_EXIT", "The key data item is the thread's APC disable count.",
	 {"The address of the APC found pending during exit.", "The thread's APC disable count", "The current IRQL", "(reserved)"}, PRE_PLAIN},
	{0xC7, "TIMER_OR_DPC_INVALID", "Kernel timer or DPC found in memory which must not contain such items.",
	 {"Timer object found in memory which must not contain such items.", "Address of the timer object.", "Start of memory range being checked.", "End of memory range being checked."}, PRE_PLAIN},
	{0x124, "WHEA_UNCORRECTABLE_ERROR", "A fatal hardware error has occurred.",
	 {"Machine Check Exception", "Address of the WHEA_ERROR_RECORD structure.", "High order 32-bits of the MCi_STATUS value.", "Low order 32-bits of the MCi_STATUS value."}, PRE_PLAIN},
	{0x7B, "INACCESSIBLE_BOOT_DEVICE", "During the initialization of the I/O system, it is possible that the driver\nfor the boot device failed to initialize the device that the system is\nattempting to boot from.",
	 {"Pointer to the device object or Unicode string of ARC name", "(reserved)", "(reserved)", "(reserved)"}, PRE_PLAIN},
	{0x154, "UNEXPECTED_STORE_EXCEPTION", "The store component caught an unexpected exception.",
	 {"Pointer to the store context or data manager", "Exception information", "Reserved", "Reserved"}, PRE_PLAIN},
	{0x18B, "SECURE_KERNEL_ERROR", "The secure kernel has encountered a fatal error.",
	 {"Error type", "(reserved)", "(reserved)", "(reserved)"}, PRE_PLAIN},
	{0x189, "BAD_OBJECT_HEADER", "The OBJECT_HEADER has been corrupted",
	 {"Pointer to bad OBJECT_HEADER", "Pointer to the resulting OBJECT_TYPE based on the TypeIndex in the OBJECT_HEADER", "Type of corruption.", "(reserved)"}, PRE_PLAIN},
};

/* bugcheck families: a cluster draws its bugcheck set from one family, like
 * the vwifimf cause that shows up as 0xD1, 0x50, 0xFC and 0x1E */
static const unsigned FAM_ACCESS[] = {0x0A, 0xD1, 0x50, 0x1E, 0x7E, 0x3B, 0xFC, 0xBE};
static const unsigned FAM_POOL[] = {0x19, 0xC2, 0x139, 0x13A, 0xC1, 0xD5, 0xD6, 0x50};
static const unsigned FAM_VERIFIER[] = {0xC4, 0xC9, 0xE6, 0x10D, 0xD6, 0xD5, 0x44};
static const unsigned FAM_HANG[] = {0x133, 0x101, 0x9F, 0x1CA, 0xA0};
static const unsigned FAM_STORAGE[] = {0x7A, 0x77, 0x24, 0xF4, 0xEF, 0x7B, 0x154};
static const unsigned FAM_VIDEO[] = {0x116, 0x117, 0x119, 0x7E};
static const unsigned FAM_MM[] = {0x1A, 0x4E, 0xDA, 0xCE, 0x20, 0xC7, 0x189, 0x7F};
static const struct {
	const unsigned *codes;
	unsigned n;
} FAMILIES[] = {
	{FAM_ACCESS, NELEM(FAM_ACCESS)}, {FAM_POOL, NELEM(FAM_POOL)},
	{FAM_VERIFIER, NELEM(FAM_VERIFIER)}, {FAM_HANG, NELEM(FAM_HANG)},
	{FAM_STORAGE, NELEM(FAM_STORAGE)}, {FAM_VIDEO, NELEM(FAM_VIDEO)},
	{FAM_MM, NELEM(FAM_MM)},
};

static const bugcheck *bc_find(unsigned code)
{
	for (size_t i = 0; i < NELEM(BUGCHECKS); i++)
		if (BUGCHECKS[i].code == code)
			return &BUGCHECKS[i];
	return &BUGCHECKS[0];
}

/* frames every bugcheck of a kind starts with (top of stack first) */
static const char *const PRE_FRAMES[][9] = {
	[PRE_PF] = {"nt!KeBugCheckEx", "nt!KiBugCheckDispatch", "nt!KiPageFault"},
	[PRE_MM] = {"nt!KeBugCheckEx", "nt!MiSystemFault", "nt!MmAccessFault", "nt!KiPageFault"},
	[PRE_NX] = {"nt!KeBugCheckEx", "nt!MiCheckSystemNxFault", "nt!MiSystemFault", "nt!MmAccessFault", "nt!KiPageFault"},
	[PRE_EXC] = {"nt!KeBugCheckEx", "nt!KiFatalFilter", "nt!__C_specific_handler", "nt!RtlpExecuteHandlerForException", "nt!RtlDispatchException", "nt!KiDispatchException", "nt!KiExceptionDispatch", "nt!KiGeneralProtectionFault"},
	[PRE_SVC] = {"nt!KeBugCheckEx", "nt!KiBugCheckDispatch", "nt!KiSystemServiceHandler", "nt!RtlpExecuteHandlerForException", "nt!RtlDispatchException", "nt!KiDispatchException", "nt!KiExceptionDispatch", "nt!KiPageFault"},
	[PRE_FASTFAIL] = {"nt!KeBugCheckEx", "nt!KiBugCheckDispatch", "nt!KiFastFailDispatch", "nt!KiRaiseSecurityCheckFailure", "nt!RtlFailFast", "nt!FatalListEntryError"},
	[PRE_VERIFIER] = {"nt!KeBugCheckEx", "nt!VerifierBugCheckIfAppropriate", "nt!VfReportIssueWithOptions", "nt!ViErrorFinishReport"},
	[PRE_POOL] = {"nt!KeBugCheckEx", "nt!ExFreeHeapPool", "nt!ExFreePool"},
	[PRE_WATCHDOG] = {"nt!KeBugCheckEx", "nt!KeAccumulateTicks", "nt!KiUpdateRunTime", "nt!KeClockInterruptNotify", "hal!HalpTimerClockInterrupt", "nt!KiCallInterruptServiceRoutine", "nt!KiInterruptSubDispatchNoLockNoEtw", "nt!KiInterruptDispatchNoLockNoEtw"},
	[PRE_POWER] = {"nt!KeBugCheckEx", "nt!PopIrpWatchdogBugcheck", "nt!PopIrpWatchdog", "nt!KiProcessExpiredTimerList", "nt!KiRetireDpcList"},
	[PRE_PLAIN] = {"nt!KeBugCheckEx"},
	[PRE_TRAP] = {"nt!KeBugCheckEx", "nt!KiBugCheckDispatch", "nt!KiDoubleFaultAbort"},
};

/* ------------------------------------------------------------------ */
/* vocabulary: subsystems (Microsoft frames, callee first) and modules */

typedef struct {
	const char *tag; /* short topic for cluster names */
	const char *zh, *en;
	const char *frames[18];
	const char *bottom[4];
} subsystem;

static const subsystem SUBSYSTEMS[] = {
	{"nbl", "无线网络数据包发送完成", "network send completion",
	 {"nwifi!Dot11SendCompletion", "nwifi!Pt6SendComplete", "ndis!ndisCallSendCompleteHandler", "ndis!ndisIterativeDPInvokeHandlerOnTracker", "ndis!ndisInvokeNextSendCompleteHandler", "ndis!ndisMSendNetBufferListsCompleteInternal", "ndis!NdisMSendNetBufferListsComplete", "wdiwifi!CPort::SendCompleteNetBufferLists", "wdiwifi!CTxMgr::CompleteNdisNbl", "wdiwifi!AdapterTxTransferCompleteInd", "ndis!NdisFSendNetBufferListsComplete", "ndis!ndisDataPathExpandStackCallback", "nt!KeExpandKernelStackAndCalloutInternal", "tcpip!FlSendNetBufferListChainComplete", "netio!NetioDereferenceNetBufferList"},
	 {"nt!KiExecuteAllDpcs", "nt!KiRetireDpcList", "nt!KiIdleLoop"}},
	{"recv", "网络数据包接收", "network receive path",
	 {"tcpip!IppReceiveHeaderBatch", "tcpip!IppFlcReceivePacketsCore", "tcpip!FlpReceiveNonPreValidatedNetBufferListChain", "tcpip!FlReceiveNetBufferListChainCalloutRoutine", "nt!KeExpandKernelStackAndCalloutInternal", "tcpip!FlReceiveNetBufferListChain", "ndis!ndisMIndicateNetBufferListsToOpen", "ndis!ndisMTopReceiveNetBufferLists", "ndis!ndisInvokeNextReceiveHandler", "ndis!NdisMIndicateReceiveNetBufferLists", "netio!KfdClassify", "tcpip!WfpAlepAuthorizeReceive", "netio!ArbitrateAndEnforce", "fwpkclnt!FwpsInjectTransportReceiveAsync0"},
	 {"nt!KiExecuteAllDpcs", "nt!KiRetireDpcList", "nt!KxRetireDpcList"}},
	{"send", "网络数据包发送", "network send path",
	 {"ndis!NdisFSendNetBufferLists", "ndis!ndisMSendNBLToMiniportInternal", "ndis!NdisSendNetBufferLists", "tcpip!IppFragmentPackets", "tcpip!IppDispatchSendPacketHelper", "tcpip!IppSendDatagramsCommon", "tcpip!TcpTcbSend", "tcpip!TcpEnqueueTcbSend", "afd!AfdFastConnectionSend", "afd!AfdFastIoDeviceControl", "nt!IopXxxControlFile", "nt!NtDeviceIoControlFile", "nt!IopSynchronousServiceTail", "nt!NtWriteFile"},
	 {"nt!KiSystemServiceCopyEnd"}},
	{"flt", "文件系统过滤", "file system filter",
	 {"fltmgr!FltpPerformPreCallbacks", "fltmgr!FltpPassThroughInternal", "fltmgr!FltpPassThrough", "fltmgr!FltpDispatch", "nt!IofCallDriver", "fltmgr!FltpCreate", "nt!IopParseDevice", "nt!ObpLookupObjectName", "nt!ObOpenObjectByNameEx", "nt!IopCreateFile", "nt!NtCreateFile", "Ntfs!NtfsCommonCreate", "Ntfs!NtfsFsdCreate", "fltmgr!FltpPerformPostCallbacks", "fltmgr!FltpProcessIoCompletion"},
	 {"nt!KiSystemServiceCopyEnd"}},
	{"ctx", "文件上下文释放", "file context teardown",
	 {"nt!FsRtlTeardownPerFileContexts", "Ntfs!NtfsDeleteFcb", "Ntfs!NtfsTeardownStructures", "Ntfs!NtfsDecrementCloseCounts", "Ntfs!NtfsCommonClose", "Ntfs!NtfsFspCloseInternal", "Ntfs!NtfsFspClose", "nt!IopDeleteFile", "nt!ObpRemoveObjectRoutine", "nt!ObfDereferenceObjectWithTag", "fltmgr!FltpDeleteContext", "fltmgr!FltReleaseContext"},
	 {"nt!ExpWorkerThread", "nt!PspSystemThreadStartup", "nt!KiStartSystemThread"}},
	{"stor", "存储读写完成", "storage I/O completion",
	 {"storport!RaidUnitCompleteRequest", "storport!RaidpAdapterRedirectDpcRoutine", "storport!RaidpAdapterDpcRoutine", "CLASSPNP!TransferPktComplete", "nt!IopfCompleteRequest", "stornvme!NVMeCompletionDpcRoutine", "storahci!AhciHwStartIo", "storport!RaUnitStartIo", "volsnap!VolSnapWrite", "volmgr!VmReadWrite", "fvevol!FveFilterRundownReadWrite", "partmgr!PmRead", "CLASSPNP!ClassReadWrite", "nt!MiIssueHardFault", "nt!MmAccessFault"},
	 {"nt!KiExecuteAllDpcs", "nt!KiRetireDpcList", "nt!KiIdleLoop"}},
	{"usb", "USB 设备请求处理", "USB request handling",
	 {"USBXHCI!Endpoint_TransferCompletion", "USBXHCI!Bulk_ProcessTransferEventWithED1", "Wdf01000!FxIoQueue::DispatchRequestToDriver", "Wdf01000!imp_WdfRequestComplete", "usbccgp!UsbcForwardIrp", "usbccgp!UsbcInternalDeviceControl", "USBHUB3!HUBPDO_EvtDeviceWdmIrpPreprocess", "ucx01000!UrbHandler_USBPORTStyle_Legacy_Urb", "nt!IofCallDriver", "nt!IopSynchronousServiceTail", "nt!IopXxxControlFile", "nt!NtDeviceIoControlFile", "nt!VfZwQuerySymbolicLinkObject", "nt!NtQuerySymbolicLinkObject"},
	 {"nt!KiSystemServiceCopyEnd"}},
	{"gpu", "显卡调度", "graphics scheduling",
	 {"dxgkrnl!TdrUpdateDbgReport", "dxgkrnl!TdrCollectDbgInfoStage2", "dxgkrnl!DXGADAPTER::Reset", "dxgkrnl!TdrResetFromTimeout", "dxgkrnl!TdrResetFromTimeoutWorkItem", "dxgmms2!VidSchiSubmitQueueCommand", "dxgmms2!VidSchiRun_PriorityTable", "dxgmms2!VidSchiWorkerThread", "watchdog!WdDbgReportRecreate", "dxgkrnl!DxgkCddSubmitPresent", "win32kfull!NtGdiDdDDIPresent", "win32kbase!DrvSetMonitorPowerState", "dxgkrnl!DpiFdoHandleDevicePower"},
	 {"nt!ExpWorkerThread", "nt!PspSystemThreadStartup", "nt!KiStartSystemThread"}},
	{"proc", "进程与注册表回调", "process and registry callbacks",
	 {"nt!PspCallProcessNotifyRoutines", "nt!PspInsertThread", "nt!PspCreateThread", "nt!NtCreateUserProcess", "nt!CmpCallCallBacksEx", "nt!CmpCallCallBacks", "nt!CmSetValueKey", "nt!NtSetValueKey", "nt!ObpCallPreOperationCallbacks", "nt!ObpCreateHandle", "nt!ObOpenObjectByPointer", "nt!PspExitThread", "nt!PsCallImageNotifyRoutines", "nt!MiMapViewOfImageSection", "nt!NtMapViewOfSection"},
	 {"nt!KiSystemServiceCopyEnd"}},
	{"boot", "驱动加载与即插即用", "driver load and PnP",
	 {"ndis!NdisFDeregisterFilterDriver", "ndis!ndisFDeregisterFilterDriverInternal", "nt!IopLoadDriver", "nt!IopLoadUnloadDriver", "nt!PnpCallDriverEntry", "nt!IopInitializeBuiltinDriver", "nt!PnpDeviceActionWorker", "nt!PipCallDriverAddDevice", "nt!PnpCallAddDevice", "nt!PiProcessNewDeviceNode", "nt!PipProcessDevNodeTree", "nt!IopInitializeBootDrivers", "nt!IoInitSystemPreDrivers"},
	 {"nt!ExpWorkerThread", "nt!PspSystemThreadStartup", "nt!KiStartSystemThread"}},
	{"power", "电源状态切换", "power transition",
	 {"ACPI!ACPIDispatchIrp", "pci!PciDispatchPnpPower", "nt!IopPowerDispatch", "nt!PoCallDriver", "nt!PopFxIdleComponent", "nt!PopFxIdleWorker", "nt!PopIrpWorker", "nt!PoFxActivateComponent", "Wdf01000!FxPkgPnp::PowerPolicyEvtIoDispatch", "Wdf01000!FxPowerIdleMachine::ProcessEventLocked", "HDAudBus!HdaController::PowerDown", "portcls!PowerIrpCompletionRoutine"},
	 {"nt!PspSystemThreadStartup", "nt!KiStartSystemThread"}},
	{"smb", "网络共享文件访问", "SMB file access",
	 {"mrxsmb!SmbCeCompleteRequest", "mrxsmb20!Smb2Read_Start", "rdbss!RxCommonRead", "rdbss!RxFsdCommonDispatch", "rdbss!RxFsdDispatch", "mrxsmb!MRxSmbFsdDispatch", "mup!MupStateMachine", "mup!MupFsdIrpPassThrough", "nt!IofCallDriver", "fltmgr!FltpLegacyProcessingAfterPreCallbacksCompleted", "nt!IopSynchronousServiceTail", "nt!NtReadFile", "csc!CscReadCompletion"},
	 {"nt!KiSystemServiceCopyEnd"}},
};

/* Microsoft kernel modules that appear in module lists and noise frames */
static const char *const MS_MODULES[] = {
	"nt", "hal", "ndis", "nwifi", "tcpip", "netio", "afd", "wdiwifi", "fltmgr", "Ntfs",
	"storport", "stornvme", "storahci", "CLASSPNP", "disk", "volsnap", "volmgr", "fvevol",
	"partmgr", "USBXHCI", "usbccgp", "USBHUB3", "ucx01000", "Wdf01000", "WppRecorder",
	"dxgkrnl", "dxgmms2", "watchdog", "win32kfull", "win32kbase", "win32k", "ACPI", "pci",
	"HDAudBus", "portcls", "ks", "mrxsmb", "mrxsmb20", "rdbss", "mup", "csc", "fwpkclnt",
	"ksecdd", "cng", "CI", "msrpc", "FLTMGR", "WdFilter", "WFPLWFS", "vwififlt", "ndisuio",
	"pacer", "NetAdapterCx", "http", "srv2", "srvnet", "lxcore", "bam", "ahcache", "wof",
	"FileInfo", "volume", "spaceport", "iorate", "mssecflt", "clipsp", "tm", "dam",
};

/* real-looking third-party drivers; more are made from PREFIX x SUFFIX */
static const char *const TP_MODULES[] = {
	"vwifimf", "lwfmgr", "gscfmgr", "HwUsbClient", "npf", "SfUemIsoSpace", "Netwtw08",
	"Netwtw10", "iaStorAC", "iaStorA", "e1d68x64", "rt640x64", "klif", "kneps", "aswSP",
	"aswMonFlt", "bdselfpr", "gzflt", "SymEFASI", "SRTSP64", "tmcomm", "tmevtmgr", "mfehidk",
	"mfewfpk", "csagent", "SentinelMonitor", "cbfs6", "dokan2", "WinRing0x64", "nvlddmkm",
	"atikmdag", "igdkmd64", "RTKVHD64", "IntcAudioBus", "qcwlan64", "athw10x", "bcmwl63a",
	"ibtusb", "BTHUSB", "vmci", "vmhgfs", "VBoxNetLwf", "prl_fs", "TeeDriverW8x64", "hcmon",
	"ctxusbm", "picadm", "epfwwfp", "eamonm", "ehdrv", "360qpesv64", "360FsFlt", "QQProtect",
	"TsFltMgr", "TAOKernelEx64", "DataCloak", "dcfilter", "EsgScanner", "cmdguard", "inspect",
	"ZAM", "PROCEXP152", "vsock", "ssudmdm", "LGBusEnum", "semav6msr64", "DNE64x", "vsepflt",
	"NisDrv", "edevmon", "xhunter1", "BEDaisy", "EasyAntiCheat", "wfpdiag", "nxrdp", "hipsfs",
};
static const char *const TP_PREFIX[] = {"av", "dlp", "sec", "edr", "vpn", "net", "usb", "fs",
	"sand", "kl", "hips", "tm", "ds", "rs", "qh", "hr", "ws", "bd", "cb", "sf"};
static const char *const TP_SUFFIX[] = {"flt", "mon", "mgr", "drv", "hook", "guard", "sys",
	"core", "filter", "prot", "ndis", "lwf", "wfp", "vol", "kbd"};
#define N_TP (NELEM(TP_MODULES) + NELEM(TP_PREFIX) * NELEM(TP_SUFFIX))

static void tp_module(unsigned i, char *out, size_t n)
{
	i %= (unsigned)N_TP;
	if (i < NELEM(TP_MODULES)) {
		fmt_to(out, n, "%s", TP_MODULES[i]);
		return;
	}
	i -= (unsigned)NELEM(TP_MODULES);
	fmt_to(out, n, "%s%s", TP_PREFIX[i / NELEM(TP_SUFFIX)], TP_SUFFIX[i % NELEM(TP_SUFFIX)]);
}

static const char *const TP_FUNCS[] = {"FilterSendNetBufferListsComplete", "FilterReceiveNetBufferLists",
	"FilterSendNetBufferLists", "FilterPause", "FilterDetach", "PreCreateCallback", "PostReadCallback",
	"PreWriteCallback", "DispatchDeviceControl", "ProcessNotifyRoutine", "RegistryCallback",
	"WfpClassifyFn", "ObPreOperationCallback", "ImageLoadNotify", "EvtIoDeviceControl",
	"FlowDeleteNotify", "CompleteIrp", "WorkerRoutine", "TimerDpcRoutine", "NPF_Write",
	"UsbQueryInterface", "VolumeInstanceSetup", "ContextCleanup", "ScanFileWorker"};

static const char *const VENDORS[] = {"通软", "奇安信", "深信服", "亚信", "绿盟", "天融信", "Intel",
	"Realtek", "Broadcom", "NVIDIA", "AMD", "Qualcomm", "Symantec", "McAfee", "Trend Micro",
	"CrowdStrike", "Kaspersky", "ESET", "Citrix", "VMware", "华为", "联想", "数据安全厂商"};

/* ------------------------------------------------------------------ */
/* vocabulary: people, customers, prose                                */

static const char *const ENGINEERS[] = {"Li Qi", "Jia Wei", "Bin Hua", "Wei Liang", "Zhang Min",
	"Wang Lei", "Chen Jing", "Liu Yang", "Zhao Hui", "Sun Tao", "Zhou Ning", "Xu Fang",
	"Hu Jun", "Guo Rui", "Ma Lin", "He Ping", "Lin Feng", "Gao Yan", "Luo Bo", "Song Yu"};
static const char *const CONTACTS_ZH[] = {"许先生", "吴先生", "王女士", "李先生", "张女士", "刘先生",
	"陈先生", "杨女士", "赵先生", "黄女士", "周先生", "孙女士", "马先生", "朱女士"};
static const char *const CONTACTS_EN[] = {"Mr. Xu", "Mr. Wu", "Ms. Wang", "Mr. Li", "Ms. Zhang",
	"Mr. Liu", "Mr. Chen", "Ms. Yang", "John", "Maria", "Peter", "Anna"};
static const char *const CUSTOMERS[] = {"ICBC", "CCB", "BOC", "ABC", "BOCOM", "CMB", "CITIC",
	"SPDB", "CIB", "CMBC", "HTSC", "GTJA", "CSC", "GFSEC", "PSBC", "CEB", "HXB", "PAB",
	"SINOPEC", "CNPC", "SGCC", "CHINAMOBILE", "CAAC", "CSRC", "PBOC"};
static const char *const MACHINES[] = {"T490s", "T14", "X1 Carbon", "ThinkCentre M720", "OptiPlex 7010",
	"EliteBook 840", "ProDesk 600", "Latitude 5420", "HP Z2", "云桌面", "ThinkPad E14", "MateBook 14"};
static const char *const PRIOS[] = {"P1", "P2", "P2", "P3", "P3", "P4"};
static const char *const TITLES_ZH[] = {"%s终端偶发蓝屏", "升级%s后频繁蓝屏", "%s部门电脑蓝屏重启",
	"插拔U盘导致%s机器蓝屏", "%s系统异常蓝屏问题", "%s连接无线后拷贝文件蓝屏", "%s开机蓝屏无法进入系统",
	"%s安装安全软件后蓝屏", "%s升级失败并回滚", "%s多台电脑同一时间蓝屏", "%s休眠唤醒后蓝屏"};
static const char *const TITLES_EN[] = {"%s: intermittent blue screens", "%s: BSOD after upgrade",
	"%s: machines crash when copying files over Wi-Fi", "%s: bugcheck on USB plug",
	"%s: repeated crashes after security agent install", "%s: blue screen on resume from sleep",
	"%s: upgrade rolls back after a crash"};
static const char *const DEPTS_ZH[] = {"软件开发中心", "数据中心", "营业部", "分行", "总部", "研发部",
	"运维部", "信息科技部", "测试中心", "客服中心"};

static const char *const OPEN_ZH[] = {
	"如刚才电话沟通，谨以此封邮件阐述我们双方针对这个问题所涉及范围界定：\n问题定义: \n用户反馈%s出现多台电脑偶发性蓝屏，已上传相关dump日志。\n问题范围: \n我们将协助您分析处理上述问题，并对定义的问题给予最大的技术支持。\n如果能及时解决问题，或问题属于产品设计的行为，或问题涉及到三方，我们将考虑关闭案例。如果存在多个问题，则我们考虑拆分案例进行分析。\n",
	"如刚才电话沟通，我谨在此阐述问题涉及的范围定义：\n问题定义: \n%s系统在线升级后，频繁出现蓝屏，升级网卡驱动之后，蓝屏问题依旧\n问题范围: 协助您分析并处理上述问题。\n如果您对以上的问题范围界定有任何异议，请尽快告知。如果您有其他任何疑问，也欢迎随时与我联系。\n",
};
static const char *const OPEN_EN[] = {
	"As discussed on the phone, this mail sets out the scope of the case.\nProblem definition: machines at %s crash intermittently with a blue screen; the customer uploaded the dumps.\nScope: we will help you analyse the crashes above. If the cause lies with a third party, we will close the case once it is identified.\n",
	"Thank you for contacting support. We understand that several computers at %s show a blue screen after the latest update.\nWe will analyse the dump files you uploaded and get back to you with our findings.\n",
};
static const char *const PROSE_ZH[] = {
	"由于电话未联系到您，谨以此邮件与您同步下有关最新dump文件的分析情况。",
	"可以看到DPC正常调用起KiRetireDpcList，此时因为某些行为打断了DPC操作，进入等待。",
	"结合之前类似的蓝屏案例以及您提供的反馈，在此之前进行过网卡驱动和安全软件的升级。",
	"通过对您提供的full dump进行分析，从call stack上查看，问题发生在驱动处理请求的过程中。",
	"请帮忙在新出现蓝屏的电脑上收集dump文件，并上传至sftp后告知我们，谢谢。",
	"循例问下，新的蓝屏日志是否已收集并上传，问题是否依然存在，盼复，谢谢。",
	"用户反馈昨天下午又出现了一次蓝屏，已重新收集dump并上传。",
	"针对蓝屏现象频繁出现，请确认最近是否安装或升级过第三方软件。",
	"单从目前的结论以及用户操作来看都指向是驱动引发蓝屏，能否从系统层面进一步分析？",
	"由于涉及到三方驱动，需要查看bad memory是哪个驱动引起的，因此建议开启special pool。",
	"开启special pool可能会引起系统性能下降，导致蓝屏问题更容易触发，请提前告知用户风险。",
	"目前已指导用户降级相关软件的版本，截至目前尚未发现蓝屏问题，建议继续观察一段时间。",
	"经查询为DPC中断等待低优先级进程运行时引发的page fault，导致蓝屏。",
	"请问是否已升级至最新的网卡驱动以及系统补丁？",
	"该内存地址是由三方驱动维护的，操作系统层面无法进一步分析其内部处理过程。",
	"我们已将分析结果同步给厂商，待厂商反馈后再与您联系。",
	"厂商表示已在新版本中修复了相关问题，新版本预计下周发布。",
	"经您的确认，此case将暂做关闭处理，如后续有任何问题，可随时与我们联系。",
	"第四次的dump文件与系统日志已上传，和第三次的dump为同一台问题电脑。",
	"dump中的部分信息损坏，无法完整解码出call stack，与系统更新没有直接关系。",
	"根据以往案例的最佳实践，建议客户有条件的情况下升级Windows补丁到最新。",
	"该问题在测试环境中暂时无法复现，需要更多的现场信息。",
};
static const char *const PROSE_EN[] = {
	"We could not reach you by phone, so here is the latest on the dump analysis.",
	"The DPC was running normally when something interrupted it and the processor started waiting.",
	"From the full dump, the call stack shows the crash happened while a driver was handling a request.",
	"Please collect the dump from the machine that crashed most recently and upload it to the sftp server.",
	"Just checking in: has the new dump been uploaded, and does the problem still occur?",
	"The customer reports another crash yesterday afternoon; the new dump is uploaded.",
	"Since a third-party driver is involved, we need special pool to see who corrupts the memory.",
	"Enabling special pool slows the system down and may make the crash easier to trigger.",
	"We have shared the analysis with the vendor and will come back to you with their answer.",
	"The vendor says the issue is fixed in their next release, expected next week.",
	"With your confirmation we will close this case; feel free to contact us if it comes back.",
	"Part of the dump is damaged, so the call stack cannot be fully decoded.",
	"Based on previous cases, we recommend installing the latest Windows updates where possible.",
	"We cannot reproduce the problem in our lab so far and need more information from site.",
	"Could you confirm whether any third-party software was installed or updated recently?",
	"The memory at that address is maintained by a third-party driver; the OS side cannot see its internal state.",
};
static const char *const CONCL_ZH[] = {
	"也就是说%s在处理请求时访问了无效内存，这是蓝屏的直接原因。",
	"通过查看内存结构，该地址是由三方驱动%s.sys维护的，大概率怀疑是其越界写导致的。",
	"从调用栈看，%s.sys在%s过程中传入了错误的参数，导致系统崩溃。",
	"问题分析：\n=====================\n%s.sys在%s时未正确处理请求，引起蓝屏。",
};
static const char *const CONCL_EN[] = {
	"In other words %s touched invalid memory while handling the request; that is the direct cause of the crash.",
	"The memory belongs to the third-party driver %s.sys, and an overrun by it is the likely cause.",
	"The stack shows %s.sys passing a bad parameter during %s, which brings the system down.",
	"Analysis: %s.sys does not handle the request correctly during %s and the system bugchecks.",
};

/* next steps: {zh, en}; %s = module, %2$s = vendor (in the vendor ones) */
static const char *const NEXT[][2] = {
	{"请检查是否有%s.sys的更新版本，可以尝试更新。", "update %s.sys to the vendor's latest version"},
	{"建议卸载%s.sys后观察蓝屏是否复现。", "uninstall %s.sys and observe whether it recurs"},
	{"请开启Driver Verifier special pool 并对%s.sys 复现问题，收集新的dump。", "enable Driver Verifier special pool on %s.sys and reproduce"},
	{"请联系%s.sys的厂商进一步排查。", "contact the vendor of %s.sys to investigate"},
	{"请收集完整内存转储(full dump)，待问题复现后上传。", "collect a full memory dump when it recurs (%s suspected)"},
	{"建议升级系统补丁至最新，并更新%s.sys。", "install the latest OS updates and update %s.sys"},
	{"请固定一台频繁复现蓝屏的电脑，由厂商在%s.sys 中增加调试日志。", "vendor adds debug logging to %s.sys on a machine that reproduces"},
	{"建议运行mdsched内存诊断，并检查%s.sys 的版本。", "run the mdsched memory test and check the %s.sys version"},
	{"建议暂时禁用%s.sys 相关功能，待厂商修复后再启用。", "disable the %s.sys feature until the vendor ships a fix"},
};

/* ------------------------------------------------------------------ */
/* clusters and analyses                                               */

#define MAX_CORE 10
#define MAX_FRAMES 48

typedef struct {
	char name[96];
	unsigned bcs[4];
	unsigned nbc;
	char module[32];       /* the characteristic third-party module */
	char func[48];         /* its function, "" when unsymbolised */
	char pooltag[5];
	const subsystem *sub;
	char core[MAX_CORE][96]; /* frames, callee first */
	int core_tp[MAX_CORE];   /* 1 = a third-party frame (never dropped) */
	unsigned ncore;
	unsigned next[2];
	unsigned nnext;
	const char *vendor;
	unsigned tpx;            /* which third-party module index */
} cluster;

typedef struct {
	cluster c;         /* a copy: singletons have no entry in g_clusters */
	const cluster *cl; /* = &c */
	unsigned code;
	uint64_t args[4];
	char frames[MAX_FRAMES][96];
	unsigned nframes;
	char dumpname[64];
	char process[32];
	unsigned osbuild;
	int shape; /* 0 !analyze -v, 1 kc, 2 k, 3 !mex.t rows */
	int lmvm, mextag;
	char cluster_label[112];
} analysis;

static uint64_t g_seed;
static unsigned g_nclusters;
static cluster *g_clusters; /* g_nclusters known ones + lazily made unseen ones */
static double *g_cdf;

/* a stable small offset for a named frame: the same nt build everywhere */
static unsigned fnv_off(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % 0x4f0;
}

static void hexoff(rng *r, char *out, size_t n)
{
	fmt_to(out, n, "0x%x", 0x10 + rint_(r, 0x2ff0));
}

/* Build cluster k (k >= nclusters: an "unseen" cause for held-out queries).
 * The first six mirror the causes of the real seed threads. */
static void make_cluster(unsigned k, cluster *c)
{
	rng r = rstream(g_seed, 1, k);
	memset(c, 0, sizeof *c);
	static const struct {
		const char *name, *mod, *func, *tag;
		unsigned sub, bcs[4], nbc;
	} REAL[] = {
		{"vwifimf-nbl-ptos", "vwifimf", "", "Filt", 0, {0xD1, 0x50, 0xFC, 0x1E}, 4},
		{"lwfmgr-null-filter-handle-deregister", "lwfmgr", "", "Lwfm", 9, {0x7E, 0x1E, 0, 0}, 2},
		{"gscfmgr-c4-user-handle-kernelmode", "gscfmgr", "", "Gscf", 6, {0xC4, 0, 0, 0}, 1},
		{"hwusbclient-irp-loop-double-fault", "HwUsbClient", "", "HwUs", 6, {0x7F, 0, 0, 0}, 1},
		{"vwifimf-pool-overrun-list-entry", "vwifimf", "", "Filt", 4, {0x139, 0x19, 0, 0}, 2},
		{"npf-send-while-paused", "npf", "NPF_Write", "NPFw", 2, {0x3B, 0x1E, 0, 0}, 2},
	};
	unsigned tpx;
	if (k < NELEM(REAL) && k < g_nclusters) {
		fmt_to(c->name, sizeof c->name, "%s", REAL[k].name);
		fmt_to(c->module, sizeof c->module, "%s", REAL[k].mod);
		fmt_to(c->func, sizeof c->func, "%s", REAL[k].func);
		fmt_to(c->pooltag, sizeof c->pooltag, "%s", REAL[k].tag);
		c->sub = &SUBSYSTEMS[REAL[k].sub];
		memcpy(c->bcs, REAL[k].bcs, sizeof c->bcs);
		c->nbc = REAL[k].nbc;
		tpx = 0;
	} else {
		tpx = rint_(&r, (unsigned)N_TP);
		tp_module(tpx, c->module, sizeof c->module);
		/* one vendor driver, several bugs: a quarter of the causes share
		 * their module with an earlier cause (as vwifimf does in the seeds) */
		unsigned known = k < g_nclusters ? k : g_nclusters;
		if (known > 0 && rchance(&r, 0.25)) {
			tpx = rint_(&r, known);
			fmt_to(c->module, sizeof c->module, "%s", g_clusters[tpx].module);
		}
		if (rchance(&r, 0.4))
			fmt_to(c->func, sizeof c->func, "%s", PICK(&r, TP_FUNCS));
		c->sub = &SUBSYSTEMS[rint_(&r, NELEM(SUBSYSTEMS))];
		unsigned fam = rint_(&r, NELEM(FAMILIES));
		c->nbc = 1 + rint_(&r, 3);
		for (unsigned i = 0; i < c->nbc; i++) {
			unsigned code;
			int dup;
			do {
				code = FAMILIES[fam].codes[rint_(&r, FAMILIES[fam].n)];
				dup = 0;
				for (unsigned j = 0; j < i; j++)
					dup |= c->bcs[j] == code;
			} while (dup);
			c->bcs[i] = code;
		}
		/* pool tag: from the module name, as vendors do, else random */
		for (int i = 0; i < 4; i++) {
			char ch = c->module[i] ? c->module[i] : (char)('a' + rint_(&r, 26));
			c->pooltag[i] = i == 0 ? (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch) : ch;
		}
		if (rchance(&r, 0.3))
			for (int i = 0; i < 4; i++)
				c->pooltag[i] = (char)((i ? 'a' : 'A') + rint_(&r, 26));
		fmt_to(c->name, sizeof c->name, "%s%s-%s-%u", k >= g_nclusters ? "unseen-" : "",
			 c->module, c->sub->tag, k);
	}
	c->tpx = tpx;
	c->vendor = PICK(&r, VENDORS);
	/* core: an ordered subsequence of the subsystem's frames plus 1-3 frames
	 * of the characteristic module (callee first) */
	unsigned nsub = 0;
	while (nsub < NELEM(c->sub->frames) && c->sub->frames[nsub])
		nsub++;
	unsigned nms = 3 + rint_(&r, 4);
	unsigned ntp = 1 + rint_(&r, 3);
	if (nms > nsub)
		nms = nsub;
	unsigned start = rint_(&r, nsub - nms + 1);
	if (k < NELEM(REAL) && k < g_nclusters)
		start = 0; /* the seeds' causes: the frames the seeds show */
	unsigned pos_tp = 1 + rint_(&r, nms); /* third-party frames after this many MS frames */
	unsigned ms = start, n = 0;
	for (unsigned i = 0; i < nms + ntp && n < MAX_CORE; i++) {
		if (i >= pos_tp && i < pos_tp + ntp) {
			char off[16];
			hexoff(&r, off, sizeof off);
			if (c->func[0] && i == pos_tp)
				fmt_to(c->core[n], sizeof c->core[n], "%s!%s+%s", c->module, c->func, off);
			else
				fmt_to(c->core[n], sizeof c->core[n], "%s+%s", c->module, off);
			c->core_tp[n++] = 1;
		} else {
			/* the skip lists step over generic frames: pick a few */
			if (ms < nsub && rchance(&r, 0.75)) {
				char off[16];
				hexoff(&r, off, sizeof off);
				fmt_to(c->core[n], sizeof c->core[n], "%s+%s", c->sub->frames[ms], off);
				c->core_tp[n++] = 0;
			}
			ms++;
		}
	}
	c->ncore = n;
	c->nnext = 1 + rint_(&r, 2);
	c->next[0] = rint_(&r, NELEM(NEXT));
	c->next[1] = (c->next[0] + 1 + rint_(&r, NELEM(NEXT) - 1)) % NELEM(NEXT);
}

static const cluster *get_cluster(unsigned k)
{
	return &g_clusters[k];
}

/* popularity: Zipf(1) over the known clusters, so a few causes dominate */
static unsigned pick_cluster(rng *r)
{
	double u = runit(r);
	unsigned lo = 0, hi = g_nclusters - 1;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (g_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t kaddr(rng *r)
{
	static const uint64_t bases[] = {0xfffff80000000000ULL, 0xffff800000000000ULL,
					 0xffffe00000000000ULL, 0xffffb00000000000ULL};
	return PICK(r, bases) | ((rnext(r) & 0xffffffffffULL) << 3 & 0x00000ffffffffff8ULL);
}

static void fill_args(rng *r, analysis *a)
{
	for (int i = 0; i < 4; i++)
		a->args[i] = rchance(r, 0.6) ? kaddr(r) : rint_(r, 16);
	switch (a->code) {
	case 0xD1: case 0x0A: a->args[1] = 2; a->args[2] = rint_(r, 2); break;
	case 0x50: a->args[1] = rint_(r, 2); a->args[3] = 2; break;
	case 0x7F: a->args[0] = 8; a->args[1] = a->args[2] = a->args[3] = 0; break;
	case 0xC4: a->args[0] = PICK(r, ((uint64_t[]){0xf6, 0x62, 0x2004, 0x91})); a->args[1] = rint_(r, 0x4000); break;
	case 0x139: a->args[0] = PICK(r, ((uint64_t[]){3, 2, 0xe})); a->args[3] = 0; break;
	case 0x1E: case 0x7E: case 0x3B:
		a->args[0] = PICK(r, ((uint64_t[]){0xc0000005, 0xffffffff80000003, 0xc000001d, 0x80000004}));
		break;
	case 0x133: a->args[0] = rint_(r, 2); break;
	}
}

static const char *const NOISE[] = {"nt!KiExecuteAllDpcs", "nt!KeExpandKernelStackAndCalloutEx",
	"nt!ExpWorkerThread", "nt!IofCallDriver", "nt!KiProcessExpiredTimerList", "nt!ObfDereferenceObject",
	"nt!KeReleaseSpinLock", "hal!HalpInterruptDispatch", "nt!RtlpCallQueryRegistryRoutine",
	"Wdf01000!FxRequest::CompleteInternal", "ndis!ndisDoPeriodicReceivesIndication", "nt!ExAllocatePool2",
	"nt!ExpInterlockedPopEntrySListFault", "nt!KiSwapContext", "nt!KiInterruptDispatch"};
static const char *const BYSTANDERS[] = {"klif", "aswSP", "SymEFASI", "mfehidk", "csagent",
	"TsFltMgr", "360FsFlt", "epfwwfp"};
static const char *const PROCESSES[] = {"System", "System", "System", "explorer.exe", "svchost.exe",
	"smss.exe", "csrss.exe", "MsMpEng.exe", "chrome.exe", "WeChat.exe", "TmListen.exe", "lsass.exe"};

/* One member of cluster cl: bugcheck from the set, the core with a frame
 * dropped or a noise frame added, the prelude of the bugcheck, a bottom. */
static void make_analysis(rng *r, const cluster *cl, analysis *a, int singleton, const char *case_id)
{
	memset(a, 0, sizeof *a);
	if (singleton) {
		/* a one-off cause nobody saw twice: its own made-up cluster */
		make_cluster(g_nclusters + 1000000 + (unsigned)rint_(r, 1u << 30), &a->c);
		fmt_to(a->cluster_label, sizeof a->cluster_label, "singleton-%s", case_id);
	} else {
		a->c = *cl;
		fmt_to(a->cluster_label, sizeof a->cluster_label, "%s", cl->name);
	}
	a->cl = &a->c;
	cluster cc = a->c; /* read from a copy: the frames are written into *a */
	cl = &cc;
	a->code = cl->bcs[rint_(r, cl->nbc)];
	fill_args(r, a);
	const bugcheck *bc = bc_find(a->code);
	for (unsigned i = 0; i < NELEM(PRE_FRAMES[0]) && PRE_FRAMES[bc->pre][i]; i++) {
		char off[16];
		fmt_to(off, sizeof off, "0x%x", i == 0 ? 0 : 0x10 + (unsigned)(fnv_off(PRE_FRAMES[bc->pre][i])));
		fmt_to(a->frames[a->nframes++], 96, "%s+%s", PRE_FRAMES[bc->pre][i], off);
	}
	unsigned drop = rchance(r, 0.3) ? rint_(r, cl->ncore) : MAX_CORE;
	unsigned noise_at = rchance(r, 0.3) ? rint_(r, cl->ncore) : MAX_CORE;
	unsigned bystander_at = rchance(r, 0.2) ? rint_(r, cl->ncore) : MAX_CORE;
	for (unsigned i = 0; i < cl->ncore && a->nframes < MAX_FRAMES - 8; i++) {
		if (i == noise_at)
			fmt_to(a->frames[a->nframes++], 96, "%s+0x%x", PICK(r, NOISE), 0x10 + rint_(r, 0x400));
		/* security products hook everything: a bystander driver in one
		 * stack in five, whatever the cause */
		if (i == bystander_at)
			fmt_to(a->frames[a->nframes++], 96, "%s+0x%x", PICK(r, BYSTANDERS), 0x10 + rint_(r, 0x8000));
		if (i == drop && !cl->core_tp[i])
			continue;
		/* a newer build of the driver moves its offsets */
		if (cl->core_tp[i] && rchance(r, 0.25) && !strchr(cl->core[i], '!'))
			fmt_to(a->frames[a->nframes++], 96, "%s+0x%x", cl->module, 0x10 + rint_(r, 0x2ff0));
		else
			fmt_to(a->frames[a->nframes++], 96, "%s", cl->core[i]);
	}
	for (unsigned i = 0; i < NELEM(cl->sub->bottom) && cl->sub->bottom[i]; i++)
		fmt_to(a->frames[a->nframes++], 96, "%s+0x%x", cl->sub->bottom[i], 0x10 + (unsigned)fnv_off(cl->sub->bottom[i]));
	unsigned m = 1 + rint_(r, 12), d = 1 + rint_(r, 28);
	const char *who = PICK(r, MACHINES);
	switch (rint_(r, 7)) {
	case 0: fmt_to(a->dumpname, sizeof a->dumpname, "MEMORY.DMP"); break;
	case 1: fmt_to(a->dumpname, sizeof a->dumpname, "%s-%02u%02u.dmp", who, m, d); break;
	case 2: fmt_to(a->dumpname, sizeof a->dumpname, "Mini%02u%02u20-01.dmp", m, d); break;
	case 3: fmt_to(a->dumpname, sizeof a->dumpname, "MEMORY %s lanping.DMP", who); break;
	case 4: fmt_to(a->dumpname, sizeof a->dumpname, "setupmem.dmp"); break;
	case 5: fmt_to(a->dumpname, sizeof a->dumpname, "%s full dump", who); break;
	default: fmt_to(a->dumpname, sizeof a->dumpname, "%u/%u dump", m, d); break;
	}
	fmt_to(a->process, sizeof a->process, "%s", PICK(r, PROCESSES));
	a->osbuild = PICK(r, ((unsigned[]){14393, 17134, 17763, 18363, 19041, 19044, 19045, 22621}));
	a->shape = (int)rint_(r, 4);
	a->lmvm = rchance(r, 0.5);
	a->mextag = rchance(r, 0.3);
}

/* ------------------------------------------------------------------ */
/* rendering the WinDbg text of one analysis                           */

static void fmt_tick(uint64_t v, char *out, size_t n) /* ffff8401`32bdd808 */
{
	fmt_to(out, n, "%08" PRIx64 "`%08" PRIx64, v >> 32, v & (uint64_t)0xffffffffu);
}

/* "vwifimf+0x1f92" -> module "vwifimf"; "nt!Foo+0x1" -> "nt" */
static void frame_module(const char *f, char *out, size_t n)
{
	size_t k = strcspn(f, "!+");
	if (k >= n)
		k = n - 1;
	memcpy(out, f, k);
	out[k] = 0;
}

/* kc shows no offsets, and a bare module name for unsymbolised frames */
static void frame_kc(const char *f, char *out, size_t n)
{
	size_t k = strcspn(f, "+");
	if (k >= n)
		k = n - 1;
	memcpy(out, f, k);
	out[k] = 0;
}

static void render_args(buf *b, const analysis *a)
{
	const bugcheck *bc = bc_find(a->code);
	b_addf(b, "%s (%x)\n%s\nArguments:\n", bc->name, a->code, bc->desc);
	for (int i = 0; i < 4; i++)
		b_addf(b, "Arg%d: %016" PRIx64 ", %s\n", i + 1, a->args[i], bc->arg[i]);
}

static void render_lmvm(buf *b, rng *r, const analysis *a, int cpu)
{
	const char *m = a->cl->module;
	uint64_t base = 0xfffff80000000000ULL | ((uint64_t)(0x200 + (fnv_off(m) & 0xff)) << 28) |
			((uint64_t)rint_(r, 0x100) << 16);
	uint64_t size = 0x8000 + ((uint64_t)fnv_off(m) << 8);
	char s1[24], s2[24], when[64];
	fmt_tick(base, s1, sizeof s1);
	fmt_tick(base + size, s2, sizeof s2);
	/* a driver build: one of three versions of this module */
	time_t t = (time_t)(1400000000 + (fnv_off(m) * 97531u % 300000000u) + rint_(r, 3) * 8640000u);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%a %b %d %H:%M:%S %Y", &tm);
	b_addf(b, "%d: kd> lmvm %s\nBrowse full module list\nstart             end                 module name\n"
		  "%s %s   %s    (no symbols)           \n"
		  "    Loaded symbol image file: %s.sys\n    Image path: \\SystemRoot\\system32\\DRIVERS\\%s.sys\n"
		  "    Image name: %s.sys\n    Browse all global symbols  functions  data\n"
		  "    Timestamp:        %s (%08lX)\n    CheckSum:         %08X\n    ImageSize:        %08X\n"
		  "    Translations:     0000.04b0 0000.04e4 0409.04b0 0409.04e4\n",
	       cpu, m, s1, s2, m, m, m, m, when, (unsigned long)t, (unsigned)(fnv_off(m) * 131u + 0x1000u),
	       (unsigned)size);
}

static void render_mextag(buf *b, rng *r, const analysis *a)
{
	const char *m = a->cl->module, *tag = a->cl->pooltag;
	char hit[24], when[32];
	fmt_tick(kaddr(r), hit, sizeof hit);
	time_t t = (time_t)(1400000000 + (fnv_off(m) * 97531u % 300000000u));
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%m/%d/%Y %H:%M:%S", &tm);
	b_addf(b, "Running: !mex.tag %s\nName    Number of Hits Version Time Stamp          Location\n"
		  "======= ============== ======= =================== ========================================\n"
		  "%-7s %14u 0.0.0.0 %s \\SystemRoot\\system32\\DRIVERS\\%s.sys\nHits\n"
		  "============================================\n"
		  "%s  41 b8 %02x %02x %02x %02x 03 d1-0f b7 08 8d 94 0a 08 01  A.%s..........\nSearch complete\n",
	       tag, m, 1 + rint_(r, 3), when, m, hit, (unsigned char)tag[0], (unsigned char)tag[1],
	       (unsigned char)tag[2], (unsigned char)tag[3], tag);
}

/* the faulting frame !analyze would blame: the first third-party frame,
 * else the first frame past the prelude */
static const char *followup(const analysis *a)
{
	for (unsigned i = 0; i < a->nframes; i++)
		if (strncmp(a->frames[i], a->cl->module, strlen(a->cl->module)) == 0)
			return a->frames[i];
	return a->frames[a->nframes > 1 ? 1 : 0];
}

static void render_analysis(buf *b, rng *r, const analysis *a)
{
	int cpu = (int)rint_(r, 4);
	char s1[24], s2[24], mod[40];
	uint64_t sp = 0xffff800000000000ULL | ((rnext(r) & 0xfffffffULL) << 12);
	switch (a->shape) {
	case 0: { /* !analyze -v */
		b_addf(b, "%d: kd> !analyze -v\n", cpu);
		b_adds(b, "*******************************************************************************\n"
			  "*                                                                             *\n"
			  "*                        Bugcheck Analysis                                    *\n"
			  "*                                                                             *\n"
			  "*******************************************************************************\n\n");
		render_args(b, a);
		b_addf(b, "\nDebugging Details:\n------------------\n\nKEY_VALUES_STRING: 1\n\n"
			  "BUGCHECK_CODE:  %x\n\nBUGCHECK_P1: %" PRIx64 "\n\nBUGCHECK_P2: %" PRIx64
			  "\n\nBUGCHECK_P3: %" PRIx64 "\n\nBUGCHECK_P4: %" PRIx64 "\n\nPROCESS_NAME:  %s\n\nSTACK_TEXT:  \n",
		       a->code, a->args[0], a->args[1], a->args[2], a->args[3], a->process);
		for (unsigned i = 0; i < a->nframes; i++, sp += 0x40 + 8 * rint_(r, 40)) {
			fmt_tick(sp, s1, sizeof s1);
			fmt_tick(0xfffff80000000000ULL | (rnext(r) & 0xfffffffffULL), s2, sizeof s2);
			b_addf(b, "%s %s : %08x`%08x %08x`%08x %08x`%08x %08x`%08x : %s\n", s1, s2,
			       0u, (unsigned)(i ? rnext(r) : a->code), 0xffffe08fu, (unsigned)rnext(r),
			       0u, (unsigned)rint_(r, 3), 0xfffff801u, (unsigned)rnext(r),
			       i == 0 ? "nt!KeBugCheckEx" : a->frames[i]);
		}
		const char *fu = followup(a);
		frame_module(fu, mod, sizeof mod);
		char sym[112];
		fmt_to(sym, sizeof sym, "%s", fu);
		char *p = strstr(sym, "+0x");
		if (p)
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
		int ms = 0;
		for (size_t i = 0; i < NELEM(MS_MODULES); i++)
			ms |= strcmp(MS_MODULES[i], mod) == 0;
		b_addf(b, "\nSYMBOL_NAME:  %s\n\nMODULE_NAME: %s\n\nIMAGE_NAME:  %s.sys\n\n"
			  "STACK_COMMAND:  .cxr; .ecxr ; kb\n\nBUCKET_ID_FUNC_OFFSET:  %s\n\n"
			  "FAILURE_BUCKET_ID:  %s%s%X_%s!%s\n\nOS_VERSION:  10.0.%u.1\n\nOSBUILD:  %u\n\n"
			  "OSPLATFORM_TYPE:  x64\n\nFollowup:     %s\n---------\n",
		       sym, mod, mod, p ? p + 1 : "0", a->code == 0xD1 || a->code == 0x0A ? "AV_" : "",
		       a->code == 0x50 ? "AV_R_INVALID_" : "", a->code, mod,
		       strchr(fu, '!') ? strchr(fu, '!') + 1 : "unknown_function", a->osbuild, a->osbuild,
		       ms ? "MachineOwner" : "MachineOwner");
		break;
	}
	case 1: /* Bugcheck details + kc */
		b_adds(b, "Bugcheck details\n============================================\n");
		render_args(b, a);
		b_addf(b, "Callstack\n%d: kd> kc\n # Call Site\n", cpu);
		for (unsigned i = 0; i < a->nframes; i++) {
			char f[96];
			frame_kc(a->frames[i], f, sizeof f);
			b_addf(b, "%02x %s\n", i, f);
		}
		break;
	case 2: /* arguments + k */
		render_args(b, a);
		b_addf(b, "%d: kd> k\n # Child-SP          RetAddr               Call Site\n", cpu);
		for (unsigned i = 0; i < a->nframes; i++, sp += 0x40 + 8 * rint_(r, 40)) {
			fmt_tick(sp, s1, sizeof s1);
			fmt_tick(0xfffff80000000000ULL | (rnext(r) & 0xfffffffffULL), s2, sizeof s2);
			b_addf(b, "%02x %s %s     %s \n", i, s1, s2, a->frames[i]);
		}
		break;
	default: /* Bugcheck details + !mex.t rows */
		b_adds(b, "Bugcheck details\n============================================\n");
		render_args(b, a);
		b_addf(b, "Crashing Stack\n============================================\n"
			  "Process                   Thread           CID       UserTime KernelTime ContextSwitches Wait Reason Time State\n"
			  "%s (ffffbc85%08x) ffffbc85%08x 4.%x          0s     9s.328          362906 Executive     0s Running on CPU %d\n"
			  " # Child-SP         Return           Call Site\n",
		       a->process, (unsigned)rnext(r), (unsigned)rnext(r), 0x100 + rint_(r, 0x2000), cpu);
		for (unsigned i = 0; i < a->nframes; i++, sp += 0x40 + 8 * rint_(r, 40))
			b_addf(b, "%2x %016" PRIx64 " fffff801%08x %s\n", i, sp, (unsigned)rnext(r), a->frames[i]);
		break;
	}
	if (a->mextag)
		render_mextag(b, r, a);
	if (a->lmvm)
		render_lmvm(b, r, a, cpu);
}

/* ------------------------------------------------------------------ */
/* threads                                                             */

#define MAX_MAILS 30
#define MAX_AN 3

typedef struct {
	buf body;
	int engineer;   /* sender: 1 engineer, 0 customer, 2 vendor/forwarder */
	int64_t when;   /* seconds since the epoch, UTC */
	unsigned ms;
} mail;

typedef struct {
	unsigned idx;
	int zh;
	char case_id[32];
	char subject[512];  /* without 邮件主题： and without a reply prefix */
	char relpath[64];   /* threads/DDDD/NNNNNNN.txt */
	const char *engineer, *contact, *customer;
	char cust_mail[96];
	unsigned nmails;
	mail m[MAX_MAILS];
	analysis an[MAX_AN];
	unsigned nan;
	unsigned an_block[MAX_AN], an_repeat[MAX_AN]; /* 1-based; repeat 0 = none */
} thread;

static void case_id(uint64_t seed, unsigned i, char *out, size_t n)
{
	/* unique for i < 26*10*26*10*26*10: the letters and digits encode a
	 * bijection of i, the five digits are decoration */
	rng r = rstream(seed, 3, i);
	uint64_t v = ((uint64_t)i * 7919u + (seed % 1000u) * 17576000u / 1000u) % 17576000u;
	char x[7];
	for (int k = 5; k >= 0; k--) {
		unsigned base = (k % 2) ? 10 : 26;
		unsigned d = (unsigned)(v % base);
		v /= base;
		x[k] = (char)((k % 2) ? '0' + d : 'A' + d);
	}
	x[6] = 0;
	fmt_to(out, n, "CAS-%05u-%s", rint_(&r, 100000), x);
}

static void add_sentences(buf *b, rng *r, int zh, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b_adds(b, zh ? PICK(r, PROSE_ZH) : PICK(r, PROSE_EN));
		b_adds(b, "\n");
	}
}

static void greet(buf *b, const thread *t)
{
	b_addf(b, t->zh ? "%s，您好：\n" : "Hi %s,\n", t->contact);
}

static void signoff(buf *b, rng *r, const thread *t, int engineer)
{
	if (engineer) {
		b_addf(b, t->zh ? "以上，如您后续有任何问题，可随时与我们联系，谢谢。\n%s\n" : "Best regards,\n%s\n", t->engineer);
		if (rchance(r, 0.3))
			b_addf(b, "Support Escalation Eng | Support Center | +86 (10) %04u%04u\n", rint_(r, 10000), rint_(r, 10000));
	} else if (rchance(r, 0.5)) {
		/* customers sign with a phone number: something for redaction to find */
		b_addf(b, "☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆\n%s\n%s\n电话：1%02u%04u%04u\n☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆\n",
		       t->customer, PICK(r, DEPTS_ZH), 30 + rint_(r, 60), rint_(r, 10000), rint_(r, 10000));
	}
}

static void analysis_mail(buf *b, rng *r, const thread *t, const analysis *a)
{
	const cluster *cl = a->cl;
	greet(b, t);
	add_sentences(b, r, t->zh, 1 + rint_(r, 2));
	b_addf(b, "%s：\n", a->dumpname);
	if (t->zh)
		b_addf(b, "       该dump bugcheck为0x%X，", a->code);
	else
		b_addf(b, "       The bugcheck of this dump is 0x%X. ", a->code);
	const char *tmpl = t->zh ? PICK(r, CONCL_ZH) : PICK(r, CONCL_EN);
	b_addf(b, tmpl, cl->module, t->zh ? cl->sub->zh : cl->sub->en);
	b_adds(b, "\n");
	b_adds(b, t->zh ? "以下为call stack信息：\n" : "Here is the call stack:\n");
	render_analysis(b, r, a);
	b_adds(b, t->zh ? "下一步动作：\n" : "Next steps:\n");
	for (unsigned i = 0; i < cl->nnext; i++) {
		b_addf(b, NEXT[cl->next[i]][t->zh ? 0 : 1], cl->module);
		b_adds(b, t->zh ? "\n" : ".\n");
	}
}

static void gen_thread(unsigned i, thread *t, double singleton_rate)
{
	rng r = rstream(g_seed, 2, i);
	for (unsigned k = 0; k < MAX_MAILS; k++)
		b_reset(&t->m[k].body);
	t->idx = i;
	t->zh = rchance(&r, 0.8);
	case_id(g_seed, i, t->case_id, sizeof t->case_id);
	fmt_to(t->relpath, sizeof t->relpath, "threads/%04u/%07u.txt", i / 1000, i);
	t->engineer = PICK(&r, ENGINEERS);
	t->contact = t->zh ? PICK(&r, CONTACTS_ZH) : PICK(&r, CONTACTS_EN);
	t->customer = PICK(&r, CUSTOMERS);
	fmt_to(t->cust_mail, sizeof t->cust_mail, "support%u@%s.example.com", rint_(&r, 100), t->customer);
	for (char *p = t->cust_mail; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	char title[256];
	if (t->zh)
		fmt_to(title, sizeof title, PICK(&r, TITLES_ZH), PICK(&r, DEPTS_ZH));
	else
		fmt_to(title, sizeof title, PICK(&r, TITLES_EN), t->customer);
	if (rchance(&r, 0.1))
		fmt_to(t->subject, sizeof t->subject, "[REG:1200%08u] %s - %s", rint_(&r, 100000000), t->case_id, title);
	else
		fmt_to(t->subject, sizeof t->subject, "%s[案例号: %s ] %% |%s|%s|%s %% %s CMIT:%07u",
			 rchance(&r, 0.5) ? "【外来邮件，注意核实】" : "", t->case_id, PICK(&r, PRIOS), t->customer,
			 title, t->zh ? "初次响应" : "Initial response", rint_(&r, 10000000));

	/* 2-30 mails, most threads short */
	double u = runit(&r);
	t->nmails = 2 + (unsigned)(28.0 * u * u * u);
	int64_t when = 1451606400 + (int64_t)rint_(&r, 300000000u);
	for (unsigned k = 0; k < t->nmails; k++) {
		t->m[k].when = when;
		t->m[k].ms = rint_(&r, 1000000);
		when += 600 + rint_(&r, 5 * 86400);
	}
	/* analyses: 0-3, placed in blocks 2..n (1-based) or block 1 when n is small */
	double ua = runit(&r);
	t->nan = ua < 0.12 ? 0 : ua < 0.70 ? 1 : ua < 0.90 ? 2 : 3;
	unsigned prev = 0;
	for (unsigned k = 0; k < t->nan; k++) {
		int single = rchance(&r, singleton_rate);
		unsigned ck = (k > 0 && rchance(&r, 0.5)) ? prev : pick_cluster(&r);
		prev = ck;
		make_analysis(&r, get_cluster(ck), &t->an[k], single, t->case_id);
		t->an_block[k] = t->nmails >= 3 ? 2 + rint_(&r, t->nmails - 2) : 1 + rint_(&r, t->nmails);
		t->an_repeat[k] = 0;
	}
	/* two analyses in one block are fine (the seeds have that); a repeat
	 * goes into a later block that holds no analysis of its own */
	for (unsigned k = 0; k < t->nan; k++) {
		if (t->an_block[k] < t->nmails && rchance(&r, 0.2)) {
			unsigned rb = t->an_block[k] + 1 + rint_(&r, t->nmails - t->an_block[k]);
			int busy = 0;
			for (unsigned j = 0; j < t->nan; j++)
				busy |= t->an_block[j] == rb || (j < k && t->an_repeat[j] == rb);
			if (!busy)
				t->an_repeat[k] = rb;
		}
	}
	for (unsigned b = 1; b <= t->nmails; b++) {
		mail *m = &t->m[b - 1];
		buf *body = &m->body;
		int has = 0;
		for (unsigned k = 0; k < t->nan; k++)
			if (t->an_block[k] == b) {
				if (!has)
					m->engineer = 1;
				else
					b_adds(body, "\n");
				analysis_mail(body, &r, t, &t->an[k]);
				has = 1;
			}
		if (has) {
			signoff(body, &r, t, 1);
			continue;
		}
		for (unsigned k = 0; k < t->nan; k++)
			if (t->an_repeat[k] == b) {
				m->engineer = 1;
				greet(body, t);
				add_sentences(body, &r, t->zh, 1);
				b_adds(body, t->zh ? "-----原始邮件-----\n" : "-----Original Message-----\n");
				/* the earlier block's text, quoted again */
				b_add(body, t->m[t->an_block[k] - 1].body.s, t->m[t->an_block[k] - 1].body.len);
				has = 1;
				break;
			}
		if (has)
			continue;
		if (b == 1) {
			m->engineer = 1;
			greet(body, t);
			b_addf(body, t->zh ? PICK(&r, OPEN_ZH) : PICK(&r, OPEN_EN), t->customer);
			signoff(body, &r, t, 1);
		} else if (b == t->nmails && t->nmails >= 4) {
			m->engineer = 1;
			greet(body, t);
			if (t->zh)
				b_addf(body, "       如刚才电话沟通，经您的确认，此case将暂做关闭处理，以下为案例总结，请您知悉：\nCase No：%s\n"
					     "问题描述：\n=====================\n用户反馈多台电脑出现偶发性蓝屏，已上传相关dump日志。\n"
					     "问题总结：\n=====================\n经用户确认，目前问题已解决，暂无其他问题，可关闭此case。\n",
				       t->case_id);
			else
				b_addf(body, "As agreed on the phone, we will close this case. Summary:\nCase No: %s\n"
					     "Problem: intermittent blue screens on several machines; dumps uploaded.\n"
					     "Resolution: confirmed by the customer, the problem no longer occurs.\n",
				       t->case_id);
			signoff(body, &r, t, 1);
		} else {
			m->engineer = rchance(&r, 0.5) ? 1 : rchance(&r, 0.8) ? 0 : 2;
			if (m->engineer == 1)
				greet(body, t);
			add_sentences(body, &r, t->zh, 1 + rint_(&r, 6));
			signoff(body, &r, t, m->engineer == 1);
		}
	}
}

static const char *sender_name(const thread *t, const mail *m)
{
	return m->engineer == 1 ? t->engineer : m->engineer == 0 ? t->cust_mail : "Windows Server技术支持";
}

static void sender_addr(const thread *t, const mail *m, char *out, size_t n)
{
	if (m->engineer == 1) {
		char local[64];
		size_t k = 0;
		for (const char *p = t->engineer; *p && k + 1 < sizeof local; p++)
			local[k++] = *p == ' ' ? '.' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		local[k] = 0;
		fmt_to(out, n, "\"%s\" <%s@support.example.com>", t->engineer, local);
	} else if (m->engineer == 0) {
		fmt_to(out, n, "<%s>", t->cust_mail);
	} else {
		fmt_to(out, n, "=?UTF-8?B?V2luZG93cyBTZXJ2ZXLmioDmnK/mlK/mjIE=?= <winsrv@support.example.com>");
	}
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die("cannot write '%s': %s", path, strerror(errno));
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("cannot write '%s': %s", path, strerror(errno));
}

static void mkdirs(const char *path)
{
	char tmp[4096];
	fmt_to(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				die("cannot create '%s': %s", tmp, strerror(errno));
			*p = '/';
		}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		die("cannot create '%s': %s", tmp, strerror(errno));
}

static void export_time(int64_t when, unsigned us, char *out, size_t n)
{
	time_t tt = (time_t)when;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char s[32];
	strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &tm);
	fmt_to(out, n, "%s.%06u+00:00", s, us);
}

static void render_export(buf *out, const thread *t)
{
	b_reset(out);
	b_addf(out, "邮件主题：%s%s\n\n", t->nmails > 1 ? (t->zh ? "回复: " : "RE: ") : "", t->subject);
	for (unsigned b = 0; b < t->nmails; b++) {
		char when[48];
		export_time(t->m[b].when, t->m[b].ms, when, sizeof when);
		b_addf(out, "====第%u封邮件====\n\n发件人：%s\n发送时间：%s\n邮件内容:\n", b + 1,
		       sender_name(t, &t->m[b]), when);
		b_add(out, t->m[b].body.s ? t->m[b].body.s : "", t->m[b].body.len);
		b_adds(out, "\n");
	}
}

static void b_base64(buf *out, const unsigned char *s, size_t n, size_t wrap)
{
	static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		char q[4] = {T[v >> 18 & 63], T[v >> 12 & 63], i + 1 < n ? T[v >> 6 & 63] : '=', i + 2 < n ? T[v & 63] : '='};
		b_add(out, q, 4);
		col += 4;
		if (wrap && col >= wrap && i + 3 < n) {
			b_adds(out, "\n");
			col = 0;
		}
	}
}

/* RFC 2047: B-encoded words of at most 45 bytes of UTF-8 each, never
 * splitting a character, folded onto continuation lines (padding in a
 * non-final word happens, as with Python's email package) */
static void b_subject(buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	b_adds(out, "Subject: ");
	while (i < n) {
		size_t k = n - i > 45 ? 45 : n - i;
		while (k < n - i && k > 0 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k--;
		if (i)
			b_adds(out, "\n ");
		b_adds(out, "=?UTF-8?B?");
		b_base64(out, (const unsigned char *)s + i, k, 0);
		b_adds(out, "?=");
		i += k;
	}
	b_adds(out, "\n");
}

static void msgid(const thread *t, unsigned b, char *out, size_t n)
{
	fmt_to(out, n, "<%s.%u.%08" PRIx64 "@pmkb-gen.example>", t->case_id, b + 1, (uint64_t)(g_seed & 0xffffffffu));
}

static unsigned long long write_maildir(const char *dir, const thread *t, buf *out, rng *r)
{
	unsigned long long bytes = 0;
	for (unsigned b = 0; b < t->nmails; b++) {
		const mail *m = &t->m[b];
		char id[96], from[160], date[64], path[4096];
		b_reset(out);
		msgid(t, b, id, sizeof id);
		sender_addr(t, m, from, sizeof from);
		time_t tt = (time_t)m->when;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
		b_addf(out, "Return-Path: <%s>\nMessage-ID: %s\nDate: %s\nFrom: %s\nTo: %s\n", "bounce@support.example.com",
		       id, date, from, m->engineer == 1 ? t->cust_mail : "support@support.example.com");
		char subj[600];
		fmt_to(subj, sizeof subj, "%s%s", b ? (t->zh ? "回复: " : "RE: ") : "", t->subject);
		b_subject(out, subj);
		if (b) {
			char first[96], prev[96];
			msgid(t, 0, first, sizeof first);
			msgid(t, b - 1, prev, sizeof prev);
			b_addf(out, "In-Reply-To: %s\nReferences:", prev);
			for (unsigned k = 0; k < b; k++) {
				char ref[96];
				msgid(t, k, ref, sizeof ref);
				b_addf(out, "%s%s", k && k % 3 == 0 ? "\n " : " ", ref);
			}
			b_adds(out, "\n");
		}
		int b64 = rchance(r, 0.5);
		b_addf(out, "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: %s\n\n",
		       b64 ? "base64" : "8bit");
		if (b64) {
			b_base64(out, (const unsigned char *)(m->body.s ? m->body.s : ""), m->body.len, 76);
			b_adds(out, "\n");
		} else {
			b_add(out, m->body.s ? m->body.s : "", m->body.len);
		}
		/* the last mail of one thread in ten is still unread, in new/ */
		int unread = b + 1 == t->nmails && t->idx % 10 == 3;
		xpath(path, sizeof path, "%s/%s/%u.M%uP%u.pmkbgen%s", dir, unread ? "new" : "cur",
			 1600000000u + t->idx, b, t->idx, unread ? "" : ":2,S");
		write_file(path, out->s, out->len);
		bytes += out->len;
	}
	return bytes;
}

static void tsv_field(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

static void key_modules(const analysis *a, char *out, size_t n)
{
	/* the characteristic module, then the first two other non-nt modules */
	size_t k = (size_t)fmt_to(out, n, "%s", a->cl->module);
	unsigned added = 0;
	char seen[3][40] = {{0}};
	for (unsigned i = 0; i < a->nframes && added < 2 && k < n; i++) {
		char m[40];
		frame_module(a->frames[i], m, sizeof m);
		if (!strcmp(m, "nt") || !strcmp(m, "hal") || !strcmp(m, a->cl->module))
			continue;
		int dup = 0;
		for (unsigned j = 0; j < added; j++)
			dup |= !strcmp(seen[j], m);
		if (dup)
			continue;
		fmt_to(seen[added++], 40, "%s", m);
		k += (size_t)fmt_to(out + k, n - k, ";%s", m);
	}
}

static void label_row(FILE *f, const char *seedcol, unsigned email, unsigned repeat, const char *caseid,
		      const analysis *a)
{
	char km[160];
	key_modules(a, km, sizeof km);
	tsv_field(f, seedcol);
	fprintf(f, "\t%u\t", email);
	if (repeat)
		fprintf(f, "%u", repeat);
	else
		fputc('-', f);
	fprintf(f, "\t%s\t", caseid);
	tsv_field(f, a->dumpname);
	fprintf(f, "\t0x%x\t%s\t%s\t", a->code, km, a->cluster_label);
	tsv_field(f, NEXT[a->cl->next[0]][1][0] ? "" : "");
	char ns[256];
	fmt_to(ns, sizeof ns, NEXT[a->cl->next[0]][1], a->cl->module);
	tsv_field(f, ns);
	fputc('\n', f);
}

static const char LABELS_HEAD[] =
	"# pmkb-gen labels, same columns as tests/data/eval/seed-dumps.tsv: one row per dump analysis.\n"
	"# seed = the thread export file (relative to the generator's output directory), email = the\n"
	"# \"====第N封邮件====\" block holding the analysis (in the maildir: message N of the thread),\n"
	"# repeats = a later block quoting it again, cluster = the latent root cause (singleton-* = a\n"
	"# cause seen once only; unseen-* = a cause absent from the corpus, in queries.tsv only).\n"
	"seed\temail\trepeats\tcase\tdump\tbugcheck\tkey_modules\tcluster\tnext_step_in_thread\n";

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: pmkb-gen [--seed S] --threads N [--format thread|maildir|both] --out DIR\n"
	      "                [--labels FILE] [--clusters K] [--queries Q] [--singletons P]\n"
	      "Writes N synthetic support-case threads with WinDbg analyses under DIR:\n"
	      "  DIR/threads/DDDD/NNNNNNN.txt   export format (thread, both)\n"
	      "  DIR/maildir/{cur,new,tmp}/     one RFC 5322 file per mail (maildir, both)\n"
	      "  DIR/labels.tsv (or FILE)       one row per analysis, columns of seed-dumps.tsv\n"
	      "  DIR/queries/qNNNNN.txt + DIR/queries.tsv   Q held-out analyses (new dumps)\n"
	      "K root-cause clusters (default N/40, at least 8); P = share of one-off causes (0.08).\n"
	      "The same arguments always write the same bytes. See docs/pmkb-gen.1.\n", f);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !*s || *end || v > max || s[0] == '-') {
		fprintf(stderr, "pmkb-gen: bad value '%s' for --%s\n", s, opt);
		exit(EX_USAGE);
	}
	return (unsigned long)v;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	unsigned long nthreads = 0, nclusters = 0, nqueries = 0;
	const char *format = "both", *outdir = NULL, *labels = NULL;
	double singleton_rate = 0.08;
	static const struct option opts[] = {
		{"seed", required_argument, NULL, 's'}, {"threads", required_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
		{"labels", required_argument, NULL, 'l'}, {"clusters", required_argument, NULL, 'k'},
		{"queries", required_argument, NULL, 'q'}, {"singletons", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': seed = parse_num("seed", optarg, 0xffffffffUL * 0 + ~0UL); break;
		case 'n': nthreads = parse_num("threads", optarg, 17576000UL); break;
		case 'k': nclusters = parse_num("clusters", optarg, 1000000UL); break;
		case 'q': nqueries = parse_num("queries", optarg, 10000000UL); break;
		case 'f': format = optarg; break;
		case 'o': outdir = optarg; break;
		case 'l': labels = optarg; break;
		case 'p': {
			char *end;
			singleton_rate = strtod(optarg, &end);
			if (*end || singleton_rate < 0 || singleton_rate > 1) {
				fprintf(stderr, "pmkb-gen: bad value '%s' for --singletons\n", optarg);
				return EX_USAGE;
			}
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind != argc || !outdir || !nthreads) {
		usage(stderr);
		return EX_USAGE;
	}
	int want_thread = !strcmp(format, "thread") || !strcmp(format, "both");
	int want_mail = !strcmp(format, "maildir") || !strcmp(format, "both");
	if (!want_thread && !want_mail) {
		fprintf(stderr, "pmkb-gen: bad value '%s' for --format (thread, maildir or both)\n", format);
		return EX_USAGE;
	}
	g_seed = seed;
	g_nclusters = nclusters ? (unsigned)nclusters : (unsigned)(nthreads / 40 > 8 ? nthreads / 40 : 8);
	g_clusters = calloc(g_nclusters, sizeof *g_clusters);
	g_cdf = calloc(g_nclusters, sizeof *g_cdf);
	if (!g_clusters || !g_cdf)
		die("out of memory");
	double sum = 0;
	for (unsigned k = 0; k < g_nclusters; k++) {
		make_cluster(k, &g_clusters[k]);
		sum += 1.0 / (k + 1);
		g_cdf[k] = sum;
	}
	for (unsigned k = 0; k < g_nclusters; k++)
		g_cdf[k] /= sum;

	mkdirs(outdir);
	char path[4096], mdir[4096];
	xpath(mdir, sizeof mdir, "%s/maildir", outdir);
	if (want_mail) {
		xpath(path, sizeof path, "%s/cur", mdir); mkdirs(path);
		xpath(path, sizeof path, "%s/new", mdir); mkdirs(path);
		xpath(path, sizeof path, "%s/tmp", mdir); mkdirs(path);
	}
	char lpath[4096];
	xpath(lpath, sizeof lpath, "%s", labels ? labels : "");
	if (!labels)
		xpath(lpath, sizeof lpath, "%s/labels.tsv", outdir);
	FILE *lf = fopen(lpath, "w");
	if (!lf)
		die("cannot write '%s': %s", lpath, strerror(errno));
	fputs(LABELS_HEAD, lf);

	thread *t = calloc(1, sizeof *t);
	buf out = {0};
	unsigned long long tbytes = 0, mbytes = 0, nmails = 0, nan = 0;
	for (unsigned long i = 0; i < nthreads; i++) {
		gen_thread((unsigned)i, t, singleton_rate);
		if (want_thread) {
			if (i % 1000 == 0) {
				xpath(path, sizeof path, "%s/threads/%04lu", outdir, i / 1000);
				mkdirs(path);
			}
			render_export(&out, t);
			xpath(path, sizeof path, "%s/%s", outdir, t->relpath);
			write_file(path, out.s, out.len);
			tbytes += out.len;
		}
		if (want_mail) {
			rng r = rstream(g_seed, 4, i);
			mbytes += write_maildir(mdir, t, &out, &r);
		}
		nmails += t->nmails;
		for (unsigned k = 0; k < t->nan; k++, nan++)
			label_row(lf, t->relpath, t->an_block[k], t->an_repeat[k], t->case_id, &t->an[k]);
	}
	if (fclose(lf) != 0)
		die("cannot write '%s': %s", lpath, strerror(errno));

	/* held-out queries: new dumps of known causes, and one in ten of a cause
	 * the corpus has never seen (the "new" verdict) */
	if (nqueries) {
		xpath(path, sizeof path, "%s/queries", outdir);
		mkdirs(path);
		xpath(path, sizeof path, "%s/queries.tsv", outdir);
		FILE *qf = fopen(path, "w");
		if (!qf)
			die("cannot write '%s': %s", path, strerror(errno));
		fputs(LABELS_HEAD, qf);
		analysis *a = calloc(1, sizeof *a);
		cluster *unseen = calloc(1, sizeof *unseen);
		for (unsigned long q = 0; q < nqueries; q++) {
			rng r = rstream(g_seed, 5, q);
			const cluster *cl;
			if (rchance(&r, 0.1)) {
				make_cluster(g_nclusters + (unsigned)q, unseen);
				cl = unseen;
			} else {
				cl = get_cluster(pick_cluster(&r));
			}
			make_analysis(&r, cl, a, 0, "-");
			b_reset(&out);
			render_analysis(&out, &r, a);
			char rel[64];
			fmt_to(rel, sizeof rel, "queries/q%06lu.txt", q);
			xpath(path, sizeof path, "%s/%s", outdir, rel);
			write_file(path, out.s, out.len);
			label_row(qf, rel, 0, 0, "-", a);
		}
		free(a);
		free(unseen);
		if (fclose(qf) != 0)
			die("cannot write queries.tsv: %s", strerror(errno));
	}
	fprintf(stderr, "pmkb-gen: seed %llu: %lu threads, %llu mails, %llu analyses, %u clusters; "
			"threads %.1f MB, maildir %.1f MB, %lu queries\n",
		seed, nthreads, nmails, nan, g_nclusters, tbytes / 1e6, mbytes / 1e6, nqueries);
	for (unsigned k = 0; k < MAX_MAILS; k++)
		free(t->m[k].body.s);
	free(t);
	free(out.s);
	free(g_clusters);
	free(g_cdf);
	return 0;
}

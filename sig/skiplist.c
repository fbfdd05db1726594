/* skiplist.c - the frames that say nothing about the cause of a crash
 * (bugcheck, trap and exception-dispatch plumbing, stack-switch callouts,
 * thread start), each with the reason shown by `pmkb sig --why`.
 * docs/signature.md lists the same table; keep both in step.
 *
 * Patterns are "module!function", each part a shell glob (fnmatch,
 * case-insensitive), the module compared in its canonical form ("nt", not
 * "ntkrnlmp"); every pattern has exactly one '!'. Unsymbolised frames ("lwfmgr+0x5167") and raw addresses are
 * never skipped: an address in a third-party driver is the best clue there is.
 *
 * What is deliberately NOT here, because it points at the cause:
 * nt!VfCheckUserHandle and the other verifier checks (which rule fired),
 * nt!RemoveHeadList and other inlined list helpers (where corruption was
 * found), nt!IopLoadDriver (drivers loading at boot), nt!ObReferenceObject*
 * (the handle that was referenced), ndis/nwifi/tcpip frames.
 */
#include "signature.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define R_BUGCHECK "bugcheck plumbing"
#define R_TRAP "trap plumbing"
#define R_FAULT "page fault handling"
#define R_EXCEPT "exception dispatch"
#define R_FILTER "exception filter funclet"
#define R_FAILFAST "fail-fast plumbing"
#define R_VERIFIER "verifier reporting"
#define R_STACK "stack expansion callout"
#define R_SYSCALL "system service dispatch"
#define R_THREAD "thread start"
#define R_DPC "dpc and interrupt dispatch"
#define R_EMPTY "nothing printed"
#define R_CLOCK "clock interrupt and watchdog plumbing"
#define R_UNRELIABLE "unreliable symbols (wrong or export-only)"

static const struct skip_entry {
	const char *pattern;
	const char *reason;
} skiplist[] = {
	/* bugcheck plumbing: every bugcheck stack starts here */
	{"nt!KeBugCheckEx", R_BUGCHECK},
	{"nt!KeBugCheck", R_BUGCHECK},
	{"nt!KeBugCheck2", R_BUGCHECK},
	{"nt!KiBugCheckDispatch", R_BUGCHECK},
	{"nt!KiBugCheckDebugBreak", R_BUGCHECK},
	{"nt!KiFatalFilter", R_BUGCHECK},
	{"nt!KiFatalExceptionFilter", R_BUGCHECK},
	{"nt!PspUnhandledExceptionInSystemThread", R_BUGCHECK},
	{"nt!PopFxBugCheck*", R_BUGCHECK},
	{"nt!KiBugCheck2", R_BUGCHECK},
	{"nt!DbgBreakPointWithStatus", R_BUGCHECK},
	{"nt!RtlpBreakWithStatusInstruction", R_BUGCHECK},
	{"nt!KiFatalExceptionHandler", R_BUGCHECK},
	{"nt!PspCatchCriticalBreak", R_BUGCHECK},
	/* exception filter funclets ("nt!PspSystemThreadStartup$filt$0"):
	 * compiler-generated, they only decide to bugcheck */
	{"*!*$filt$*", R_FILTER},
	/* trap handlers: how the CPU entered the kernel, not why */
	{"nt!KiPageFault", R_TRAP},
	{"nt!KiDoubleFaultAbort", R_TRAP},
	{"nt!KiGeneralProtectionFault", R_TRAP},
	{"nt!KiBreakpointTrap", R_TRAP},
	{"nt!KiInvalidOpcodeFault", R_TRAP},
	{"nt!KiDivideErrorFault", R_TRAP},
	{"nt!KiStackFault", R_TRAP},
	{"nt!KiNmiInterrupt*", R_TRAP},
	{"nt!KiMcheckAbort", R_TRAP},
	{"nt!KiDebugTrapOrFault", R_TRAP},
	{"nt!KiTrap*", R_TRAP},
	{"nt!Ki*TrapShadow", R_TRAP},
	{"nt!KiRaiseAssertion", R_TRAP},
	/* memory manager fault path under KiPageFault: the faulting caller is
	 * the frame below these */
	{"nt!MmAccessFault", R_FAULT},
	{"nt!MiSystemFault", R_FAULT},
	{"nt!MiCheckSystemNxFault", R_FAULT},
	{"nt!MiUserFault", R_FAULT},
	{"nt!MiResolveDemandZeroFault", R_FAULT},
	/* structured exception dispatch */
	{"nt!KiExceptionDispatch", R_EXCEPT},
	{"nt!KiDispatchException", R_EXCEPT},
	{"nt!RtlDispatchException", R_EXCEPT},
	{"nt!RtlRaiseException", R_EXCEPT},
	{"nt!RtlRaiseStatus", R_EXCEPT},
	{"nt!ExRaiseStatus", R_EXCEPT},
	{"nt!ExRaiseAccessViolation", R_EXCEPT},
	{"nt!RtlpExecuteHandlerForException", R_EXCEPT},
	{"nt!RtlpExecuteHandlerForUnwind", R_EXCEPT},
	{"nt!RtlpExecuteHandler*", R_EXCEPT},
	{"nt!RtlUnwindEx", R_EXCEPT},
	{"nt!RtlpUnwindPrologue", R_EXCEPT},
	{"nt!_C_specific_handler", R_EXCEPT},
	{"nt!__C_specific_handler", R_EXCEPT},
	{"nt!_GSHandlerCheck*", R_EXCEPT},
	{"nt!__GSHandlerCheck*", R_EXCEPT},
	{"nt!KeCheckStackAndTargetAddress", R_EXCEPT},
	{"nt!HvlpVtlCallExceptionHandler", R_EXCEPT},
	{"nt!KxExceptionDispatchOnExceptionStack", R_EXCEPT},
	{"nt!KiExceptionDispatchOnExceptionStackContinue", R_EXCEPT},
	{"nt!RtlpHeapHandleError", R_EXCEPT},
	{"nt!RtlpHpHeapHandleError", R_EXCEPT},
	{"nt!RtlpLogHeapFailure", R_EXCEPT},
	/* the same in user mode: a process's exception dispatch and the heap
	 * manager's report of a corrupted heap (0xc0000374), the same six
	 * frames atop every heap corruption; the program's frame is below */
	{"ntdll!KiUserExceptionDispatch*", R_EXCEPT},
	{"ntdll!RtlDispatchException", R_EXCEPT},
	{"ntdll!RtlRaiseException", R_EXCEPT},
	{"ntdll!RtlpExecuteHandler*", R_EXCEPT},
	{"ntdll!RtlReportCriticalFailure", R_EXCEPT},
	{"ntdll!RtlpReportHeapFailure", R_EXCEPT},
	{"ntdll!RtlpHeapHandleError", R_EXCEPT},
	{"ntdll!RtlpHpHeapHandleError", R_EXCEPT},
	{"ntdll!RtlpLogHeapFailure", R_EXCEPT},
	{"kernelbase!RaiseException", R_EXCEPT},
	{"kernelbase!UnhandledExceptionFilter", R_EXCEPT},
	/* fail fast (0x139): the helper that raised it, not the corrupted user */
	{"nt!KiFastFailDispatch", R_FAILFAST},
	{"nt!KiRaiseSecurityCheckFailure", R_FAILFAST},
	{"nt!RtlFailFast", R_FAILFAST},
	{"nt!FatalListEntryError", R_FAILFAST},
	{"nt!RtlpHpHeapFailFast*", R_FAILFAST},
	/* verifier's reporting (the check that fired, e.g. VfCheckUserHandle, is kept) */
	{"nt!VerifierBugCheckIfAppropriate", R_VERIFIER},
	{"nt!VfReportIssue*", R_VERIFIER},
	{"nt!ViErrorReport*", R_VERIFIER},
	{"nt!VfErrorReport*", R_VERIFIER},
	/* Application Verifier's stop in a process: the report, not the check */
	{"verifier!VerifierStopMessage*", R_VERIFIER},
	/* Driver Verifier's extension: the rule-check wrappers around the DDI a
	 * driver called (the driver is the frame below) */
	{"verifierext!SLIC_*", R_VERIFIER},
	{"verifierext!*_wrapper", R_VERIFIER},
	{"verifierext!Vf*", R_VERIFIER},
	{"nt!VerifierKe*", R_VERIFIER},
	{"nt!VerifierEx*", R_VERIFIER},
	{"nt!VerifierIo*", R_VERIFIER},
	{"nt!VerifierMm*", R_VERIFIER},
	{"nt!VerifierNdis*", R_VERIFIER},
	{"nt!VerifierObf*", R_VERIFIER},
	{"nt!VerifierFwps*", R_VERIFIER},
	{"nt!VerifierFree*", R_VERIFIER},
	{"nt!VerifierAllocate*", R_VERIFIER},
	/* kernel stack expansion: ndis and others run callbacks on a new stack */
	{"nt!KiExpandKernelStackAndCalloutOnStackSwitch", R_STACK},
	{"nt!KeExpandKernelStackAndCalloutInternal", R_STACK},
	{"nt!KeExpandKernelStackAndCalloutEx", R_STACK},
	{"nt!KeExpandKernelStackAndCallout", R_STACK},
	{"nt!KxSwitchKernelStackCallout", R_STACK},
	{"nt!KiSwitchKernelStackContinue", R_STACK},
	{"nt!KySwitchKernelStackCallout", R_STACK},
	{"nt!KiSwitchKernelStackAndCallout", R_STACK},
	/* ndis's own wrappers around KeExpandKernelStackAndCalloutEx */
	{"ndis!ndisDataPathExpandStackCallback", R_STACK},
	{"ndis!ndisExpandDataPathStack", R_STACK},
	{"ndis!ndisExpandStack", R_STACK},
	/* system call entry: user mode called the kernel */
	{"nt!KiSystemServiceCopyEnd", R_SYSCALL},
	{"nt!KiSystemServiceExit", R_SYSCALL},
	{"nt!KiSystemServiceHandler", R_SYSCALL},
	{"nt!KiServiceLinkage", R_SYSCALL},
	{"nt!KiSystemCall64*", R_SYSCALL},
	/* thread start: the bottom of every system thread */
	{"nt!KiStartSystemThread", R_THREAD},
	{"nt!PspSystemThreadStartup", R_THREAD},
	{"nt!KiStartUserThread", R_THREAD},
	{"nt!KiStartUserThreadReturn", R_THREAD},
	{"nt!RtlUserThreadStart", R_THREAD},
	{"ntdll!RtlUserThreadStart", R_THREAD},
	{"kernel32!BaseThreadInitThunk", R_THREAD},
	/* DPC, timer and interrupt dispatch: the context a callback ran in;
	 * the callback itself (above these) is kept */
	{"nt!KiRetireDpcList", R_DPC},
	{"nt!KxRetireDpcList", R_DPC},
	{"nt!KiExecuteAllDpcs", R_DPC},
	{"nt!KiProcessExpiredTimerList", R_DPC},
	{"nt!KiExpireTimerTable", R_DPC},
	{"nt!KiTimerExpiration", R_DPC},
	{"nt!KiDispatchInterrupt*", R_DPC},
	{"nt!KiIdleLoop", R_DPC},
	{"nt!KiInterruptDispatch*", R_DPC},
	{"nt!KiCallInterruptServiceRoutine", R_DPC},
	{"nt!KiIsrThunk*", R_DPC},
	{"nt!KiPlayInterrupt", R_DPC},
	{"hal!HalpTimerClockInterrupt", R_DPC},
	/* the clock tick that notices a DPC or ISR ran too long (0x133) or a
	 * CPU stopped answering (0x101): the code it interrupted is below */
	{"nt!KeAccumulateTicks", R_CLOCK},
	{"nt!KeClockInterruptNotify", R_CLOCK},
	{"nt!KiUpdateRunTime", R_CLOCK},
	{"nt!KiUpdateTime", R_CLOCK},
	{"nt!KeUpdateRunTime", R_CLOCK},
	{"nt!KeUpdateSystemTime", R_CLOCK},
	{"nt!KiInterruptSubDispatch*", R_CLOCK},
	{"hal!HalpTimerClockIpiRoutine", R_CLOCK},
};

/* Reasons a parsed signature may name (they are stored as text and must
 * come back as the same static pointers). */
static const char *const reasons[] = {
	R_BUGCHECK, R_TRAP, R_FAULT, R_EXCEPT, R_FILTER, R_FAILFAST,
	R_VERIFIER, R_STACK, R_SYSCALL, R_THREAD, R_DPC, R_EMPTY, R_CLOCK, R_UNRELIABLE,
};

/* Given to a parsed frame whose reason this version does not know. */
static const char unknown_reason[] = "skipped by another version of pmkb";

static int has_glob(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return 1;
	return 0;
}

/* Does "module!function" match one entry? Literal parts are compared
 * directly and fnmatch runs only on the parts that are globs: this is
 * called for every frame of every analysis imported. */
static int entry_matches(const char *pat, const char *module, const char *function)
{
	const char *bang = strchr(pat, '!');
	size_t ml = (size_t)(bang - pat);
	const char *pf = bang + 1;
	if (has_glob(pat, ml)) {
		if (!(ml == 1 && pat[0] == '*')) {
			char mp[64];
			if (ml >= sizeof mp)
				return 0;
			memcpy(mp, pat, ml);
			mp[ml] = '\0';
			if (!glob_casefold(mp, module))
				return 0;
		}
	} else if (strncasecmp(pat, module, ml) != 0 || module[ml] != '\0') {
		return 0;
	}
	if (has_glob(pf, strlen(pf)))
		return glob_casefold(pf, function);
	return strcasecmp(pf, function) == 0;
}

/* Each entry split once: a literal module part's length (0 for a glob),
 * where the function part starts and whether it is a glob. Every frame of
 * every analysis read or matched is tested against the whole list, in
 * order, and most entries are "nt!Literal": a length and a first letter
 * rule them out before a string is compared. A function part that is a
 * literal or a literal followed by one '*' (all but a few) is also kept in
 * lower case with its length: against a function name in plain ASCII,
 * lowered once a call, a length and a memcmp decide, as strcasecmp and
 * the glob would. */
#define FN_LOWER_MAX 64
static struct entry_form {
	size_t module_len;
	const char *function;
	int function_glob;
	int function_prefix;  /* "literal*": lower holds the literal */
	size_t lower_len;     /* 0: no lower-case form, compare as written */
	char lower[FN_LOWER_MAX];
} entry_form[PMKB_ARRAY_LEN(skiplist)];
static pthread_once_t entry_once = PTHREAD_ONCE_INIT;

static void entries_init(void)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(skiplist); i++) {
		struct entry_form *e = &entry_form[i];
		const char *pat = skiplist[i].pattern;
		size_t ml = (size_t)(strchr(pat, '!') - pat);
		e->module_len = has_glob(pat, ml) ? 0 : ml;
		e->function = pat + ml + 1;
		size_t fl = strlen(e->function);
		e->function_glob = has_glob(e->function, fl);
		e->function_prefix = fl > 1 && e->function[fl - 1] == '*' && !has_glob(e->function, fl - 1);
		size_t lit = e->function_prefix ? fl - 1 : fl;
		int plain = 1;
		for (size_t k = 0; k < lit; k++)
			plain &= (unsigned char)e->function[k] < 0x80;
		if ((!e->function_glob || e->function_prefix) && plain && lit > 0 && lit < FN_LOWER_MAX) {
			for (size_t k = 0; k < lit; k++)
				e->lower[k] = (char)tolower((unsigned char)e->function[k]);
			e->lower_len = lit;
		}
	}
}

/* function in lower case into buf (n bytes): its length, or 0 when it is
 * not plain ASCII or does not fit (then every entry compares as written). */
static size_t lower_ascii(const char *function, char *buf, size_t n)
{
	size_t k = 0;
	for (; function[k]; k++) {
		if (k + 1 >= n || (unsigned char)function[k] >= 0x80)
			return 0;
		buf[k] = (char)tolower((unsigned char)function[k]);
	}
	buf[k] = '\0';
	return k;
}

static int same_first_letter(const char *a, const char *b)
{
	return tolower((unsigned char)*a) == tolower((unsigned char)*b);
}

const char *sig_skip_reason(const char *module, const char *function)
{
	if (!module || !function || !*function)
		return NULL;
	pthread_once(&entry_once, entries_init);
	char *canon = pm_canon_module(module);
	size_t cl = strlen(canon);
	char low[256];
	size_t ll = lower_ascii(function, low, sizeof low);
	const char *r = NULL;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(skiplist) && !r; i++) {
		const struct entry_form *e = &entry_form[i];
		if (!e->module_len) { /* a module glob: as written */
			if (entry_matches(skiplist[i].pattern, canon, function))
				r = skiplist[i].reason;
			continue;
		}
		if (e->module_len != cl || !same_first_letter(skiplist[i].pattern, canon))
			continue;
		/* plain ASCII both: the function decides first, by its length
		 * and its bytes in lower case (it rules out most entries) */
		int lowered = ll && e->lower_len;
		if (lowered && ((e->function_prefix ? ll < e->lower_len : ll != e->lower_len) ||
				memcmp(low, e->lower, e->lower_len) != 0))
			continue;
		if (strncasecmp(skiplist[i].pattern, canon, cl) != 0)
			continue;
		if (lowered || (e->function_glob ? glob_casefold(e->function, function)
						 : same_first_letter(e->function, function) &&
							   strcasecmp(e->function, function) == 0))
			r = skiplist[i].reason;
	}
	free(canon);
	return r;
}

const char *sig_skip_empty_reason(void)
{
	return R_EMPTY;
}

const char *sig_skip_unreliable_reason(void)
{
	return R_UNRELIABLE;
}

size_t sig_skiplist_count(void)
{
	return PMKB_ARRAY_LEN(skiplist);
}

const char *sig_skiplist_entry(size_t i, const char **reason)
{
	if (i >= PMKB_ARRAY_LEN(skiplist))
		return NULL;
	if (reason)
		*reason = skiplist[i].reason;
	return skiplist[i].pattern;
}

const char *sig_skip_intern(const char *reason)
{
	if (!reason)
		return NULL;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(reasons); i++)
		if (strcmp(reasons[i], reason) == 0)
			return reasons[i];
	return unknown_reason;
}

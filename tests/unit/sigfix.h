/* sigfix.h - hand-built signatures for the matcher unit tests (rules,
 * score): a compact spec turned into a pm_signature, and its release. */
#ifndef PMKB_TEST_SIGFIX_H
#define PMKB_TEST_SIGFIX_H

#include <stdlib.h>
#include <string.h>
#include "../../sig/signature.h"

/* Inbox modules for the fixtures (the real list lives in signature.c). */
static int fix_is_inbox(const char *m)
{
	static const char *const inbox[] = {"nt", "ndis", "nwifi", "tcpip", "wdiwifi", "win32kfull",
					    "win32kbase", "win32k", "smss", "ntdll", "hal", NULL};
	for (int i = 0; inbox[i]; i++)
		if (!strcmp(inbox[i], m))
			return 1;
	return 0;
}

static void fix_add_module(pm_signature *s, const char *m)
{
	for (size_t i = 0; i < s->nmodules; i++)
		if (!strcmp(s->modules[i], m))
			return;
	s->modules = realloc(s->modules, (s->nmodules + 1) * sizeof(char *));
	s->modules[s->nmodules++] = strdup(m);
	if (!fix_is_inbox(m)) {
		s->third_party = realloc(s->third_party, (s->nthird_party + 1) * sizeof(char *));
		s->third_party[s->nthird_party++] = strdup(m);
	}
}

/* frames: space separated keys, top first; "-key" marks a skipped frame;
 * "mod+0x12" is unsymbolised. modules: extra modules, space separated.
 * tags: "Filt:vwifimf Ntfx" (owner after ':'). Any may be NULL. */
static pm_signature *fix_sig(const char *bugcheck, const char *arg1, const char *frames,
			     const char *modules, const char *tags, const char *image)
{
	pm_signature *s = calloc(1, sizeof *s);
	s->bugcheck = bugcheck ? strdup(bugcheck) : NULL;
	s->args[0] = arg1 ? strdup(arg1) : NULL;
	s->image = image ? strdup(image) : NULL;
	char *save, *dup;
	if (frames) {
		dup = strdup(frames);
		for (char *w = strtok_r(dup, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			s->frames = realloc(s->frames, (s->nframes + 1) * sizeof *s->frames);
			sig_frame *f = &s->frames[s->nframes++];
			memset(f, 0, sizeof *f);
			if (*w == '-') {
				f->skip = "fixture: skipped";
				w++;
			}
			f->key = strdup(w);
			char *bang = strchr(w, '!'), *plus = strchr(w, '+');
			if (bang) {
				f->module = strndup(w, (size_t)(bang - w));
				f->function = strdup(bang + 1);
			} else if (plus) {
				f->module = strndup(w, (size_t)(plus - w));
				f->offset = strdup(plus + 1);
			}
			if (f->module) {
				f->third_party = !fix_is_inbox(f->module);
				fix_add_module(s, f->module);
			}
		}
		free(dup);
	}
	if (modules) {
		dup = strdup(modules);
		for (char *w = strtok_r(dup, " ", &save); w; w = strtok_r(NULL, " ", &save))
			fix_add_module(s, w);
		free(dup);
	}
	if (tags) {
		dup = strdup(tags);
		for (char *w = strtok_r(dup, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			s->pool_tags = realloc(s->pool_tags, (s->npool_tags + 1) * sizeof *s->pool_tags);
			sig_pooltag *t = &s->pool_tags[s->npool_tags++];
			char *colon = strchr(w, ':');
			t->tag = colon ? strndup(w, (size_t)(colon - w)) : strdup(w);
			t->owner = colon ? strdup(colon + 1) : NULL;
			if (t->owner)
				fix_add_module(s, t->owner);
		}
		free(dup);
	}
	return s;
}

/* Free a fixture made by the builders above: sig_clear owns the fields. */
static void fix_free(pm_signature *s)
{
	if (!s)
		return;
	sig_clear(s);
	free(s);
}

/* Real stacks from the seed threads (top first, skipped frames marked). */
#define STACK_D1 "-nt!KeBugCheckEx -nt!KiBugCheckDispatch -nt!KiPageFault nwifi!Dot11SendCompletion " \
	"nwifi!Pt6SendComplete ndis!ndisCallSendCompleteHandler ndis!ndisIterativeDPInvokeHandlerOnTracker " \
	"ndis!ndisInvokeNextSendCompleteHandler ndis!ndisMSendNetBufferListsCompleteInternal " \
	"ndis!NdisMSendNetBufferListsComplete wdiwifi!CPort::SendCompleteNetBufferLists " \
	"wdiwifi!CAdapter::SendCompleteNbl wdiwifi!CTxMgr::CompleteNdisNbl"
#define STACK_FC "-nt!KeBugCheckEx -nt!MiCheckSystemNxFault -nt!MiSystemFault -nt!MmAccessFault -nt!KiPageFault " \
	"tcpip!Ipv4Global nwifi!Dot11SendCompletion nwifi!Pt6SendComplete ndis!ndisCallSendCompleteHandler " \
	"ndis!ndisDataPathExpandStackCallback nt!KeExpandKernelStackAndCalloutInternal nt!KeExpandKernelStackAndCalloutEx"
#define STACK_1E "-nt!KeBugCheckEx nt!KiFatalFilter -nt!__C_specific_handler -nt!RtlDispatchException " \
	"-nt!KiExceptionDispatch -nt!KiPageFault 0x3200360035 nwifi!Dot11SendCompletion nwifi!Pt6SendComplete " \
	"ndis!ndisCallSendCompleteHandler ndis!ndisDataPathExpandStackCallback vwifimf+0x1f92"
#define STACK_NPF "-nt!KeBugCheckEx ndis!NdisFSendNetBufferLists npf!NPF_Write nt!IopSynchronousServiceTail " \
	"nt!NtWriteFile nt!KiSystemServiceCopyEnd"
#define STACK_LWF "-nt!KeBugCheckEx -nt!PspSystemThreadStartup$filt$0 -nt!KiPageFault ndis!NdisFDeregisterFilterDriver " \
	"lwfmgr+0x5167 lwfmgr+0xb49a nt!IopLoadDriver nt!IopInitializeSystemDrivers nt!IoInitSystem"
#define STACK_C4 "-nt!KeBugCheckEx nt!VerifierBugCheckIfAppropriate nt!VfCheckUserHandle " \
	"nt!ObpReferenceObjectByHandleWithTag nt!ObReferenceObjectByHandle nt!NtQuerySymbolicLinkObject " \
	"nt!KiSystemServiceCopyEnd nt!KiServiceLinkage nt!VfZwQuerySymbolicLinkObject gscfmgr+0xaa39 gscfmgr+0xab92"

#endif

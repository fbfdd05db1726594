/* model.h - what readers produce: a case (a support thread) with its
 * messages, the sections engineers wrote (conclusions, next steps) and the
 * dump analyses found in it, each analysis with the raw fields WinDbg
 * printed. Readers fill these; the signature step (sig/signature.h)
 * normalises an analysis; storage (kb/kb.h) keeps both.
 *
 * Ownership: every char * and array is owned by the struct that holds it
 * and released by pm_case_free() / pm_analysis_clear(). All text is UTF-8.
 */
#ifndef PMKB_MODEL_H
#define PMKB_MODEL_H

#include <stddef.h>

/* One stack frame exactly as printed, split into its parts. */
typedef struct pm_frame {
	char *module;   /* as printed: "nwifi", "lwfmgr", "Netwtw08", NULL for a raw address */
	char *function; /* "Dot11SendCompletion", "CPort::SendCompleteNetBufferLists", NULL when unsymbolised */
	char *offset;   /* "0x47", lower-case hex with 0x, or NULL */
	char *address;  /* raw address when the frame is only an address ("0x3200360035"), else NULL */
	int is_inline;  /* an "(Inline Function)" / "(Inline)" row */
} pm_frame;

/* One module named by the analysis (lmvm block, IMAGE_NAME, warnings...). */
typedef struct pm_module {
	char *name;        /* as printed: "vwifimf", "npf.sys" */
	char *start;       /* "fffff802b97b0000" (backtick removed) or NULL */
	char *end;
	char *image_path;  /* "\\SystemRoot\\system32\\DRIVERS\\vwifimf.sys" or NULL */
	char *timestamp;   /* "5EF172B2" (hex as printed) or NULL */
	char *checksum;    /* "0000EDC3" or NULL */
	char *image_size;  /* "0000A000" or NULL */
} pm_module;

/* A pool tag and the driver that owns it (from !pool, !tag, !mex.tag, prose). */
typedef struct pm_pooltag {
	char *tag;   /* "Filt" (case as printed) */
	char *owner; /* "vwifimf.sys" or NULL when the text names none */
} pm_pooltag;

/* A named value the text points at as the cause (dv/dt): "pTOS" = "NULL". */
typedef struct pm_local {
	char *name;
	char *value;
} pm_local;

/* One dump analysis as printed. Every field may be NULL / empty when the
 * text does not print it: readers never guess. */
typedef struct pm_analysis {
	int message;          /* index of the message (0-based) that holds it; -1 for a bare text */
	char *dump_name;      /* "liyue-hwclient.DMP" when the text names the dump */
	size_t span_start;    /* byte range of the analysis in the message body (UTF-8) */
	size_t span_end;
	char hash[17];        /* content hash of the normalised analysis text (16 hex digits) */

	char *bugcheck_code;  /* "0xd1", "0x1000007e": lower-case hex, no leading zeros */
	char *bugcheck_name;  /* "DRIVER_IRQL_NOT_LESS_OR_EQUAL" */
	char *args[4];        /* "0xffffffffffffffe8" lower-case hex, or NULL */
	char *arg_desc[4];    /* "memory referenced" */

	pm_frame *frames;     /* top of stack first */
	size_t nframes;
	pm_module *modules;
	size_t nmodules;
	pm_pooltag *pool_tags;
	size_t npool_tags;
	pm_local *locals;
	size_t nlocals;

	char *process;        /* "explorer.exe" */
	char *irql;           /* "2" */
	char *failure_bucket; /* FAILURE_BUCKET_ID */
	char *default_bucket; /* DEFAULT_BUCKET_ID */
	char *os_build;       /* "14267.1000.amd64fre.rs1_release.160213-0213" or "19041" */
	char *exception_code; /* "0xc0000005" */
	char *fault_ip;       /* "ndis!NdisFSendNetBufferLists+0xc0" as printed */
	char *image;          /* faulting image: "npf.sys" (IMAGE_NAME) */
	char *machine;        /* "x64", "arm64", "x86" when known (dump files) */
	char *registers;      /* trap/context register block as printed, or NULL */
	char *source;         /* "windbg" (text) or "dmp" (dump file) */
	char *evidence;       /* free text explaining how fields were derived (dmp reader), or NULL */

	/* What the text names as the faulting code, where !analyze prints it
	 * (the signature's culprit chooser reads them; not stored in kb.sqlite:
	 * the stored signature keeps the culprit chosen from them). */
	char *module_name;    /* MODULE_NAME: "npf" */
	char *caused_by;      /* "Probably caused by : npf.sys", "Caused By Driver", "Driver at fault" */
	char *followup_ip;    /* FOLLOWUP_IP / IP_IN_PAGED_CODE symbol: "npf!NPF_Write+0x2a" */
	char *symbol_name;    /* SYMBOL_NAME: "npf!NPF_Write+2a" */
	char *warned_image;   /* images debugger warnings name ("Unable to verify timestamp for x.sys"), space separated */
	char *prose_images;   /* driver files the prose of the text names ("caused by x.sys"), space separated */
	char *unreliable;     /* modules whose symbols the debugger says are wrong or export-only, space separated */

	/* capacities of the arrays above; managed by the appenders */
	size_t frames_cap, modules_cap, pool_tags_cap, locals_cap;
} pm_analysis;

/* A section an engineer wrote: kind is one of the PM_NOTE_* strings. */
#define PM_NOTE_DEFINITION "definition"  /* 问题定义 */
#define PM_NOTE_DESCRIPTION "description" /* 问题描述 */
#define PM_NOTE_ANALYSIS "analysis"      /* 问题分析 */
#define PM_NOTE_CONCLUSION "conclusion"  /* 问题总结 / 分析结论 / 案例总结 */
#define PM_NOTE_NEXT_STEP "next_step"    /* 下一步动作 / 下一步建议 / 建议 */

typedef struct pm_note {
	int message; /* index of the message that holds it */
	char *kind;  /* PM_NOTE_* */
	char *text;
} pm_note;

typedef struct pm_message {
	char *sender;
	char *sent;      /* ISO 8601 as found, e.g. "2022-04-25 15:42:32" */
	char *subject;   /* per-message subject when known (mail), else NULL */
	char *message_id;/* RFC 5322 Message-ID when known, else NULL */
	char *body;      /* redacted UTF-8 text */
} pm_message;

/* Attachment that was not read as text (e.g. a .dmp before that reader). */
typedef struct pm_attachment {
	int message;
	char *filename;
	char *content_type;
	size_t size;
} pm_attachment;

typedef struct pm_case {
	char *id;         /* "CAS-02698-C5V4N5", or the file name stem */
	char *title;      /* subject without reply prefixes and tags */
	char *customer;   /* "ICBC", "中信建投" or NULL */
	char *priority;   /* "P2" or NULL */
	char *status;     /* "closed", "resolved" or "open" */
	char *refs;       /* other references, space separated: "REG:120081126000849 CMIT:0001362" */
	char *first_date; /* earliest message date, "YYYY-MM-DD HH:MM:SS", or NULL */
	char *last_date;
	char *source;     /* path or URL it came from */
	char *format;     /* "thread", "text", "eml", "mbox", "maildir", "imap", "windbg", "dmp" */

	pm_message *messages;
	size_t nmessages;
	pm_note *notes;
	size_t nnotes;
	pm_analysis *analyses;
	size_t nanalyses;
	pm_attachment *attachments;
	size_t nattachments;

	int redactions;   /* how many personal data items were replaced */

	/* capacities of the arrays above; managed by the appenders */
	size_t messages_cap, notes_cap, analyses_cap, attachments_cap;
} pm_case;

pm_case *pm_case_new(void);
void pm_case_free(pm_case *c);
void pm_analysis_clear(pm_analysis *a);

/* Appenders: return a pointer to the new zeroed element (owned by c/a). */
pm_message *pm_case_add_message(pm_case *c);
pm_note *pm_case_add_note(pm_case *c, int message, const char *kind, const char *text);
pm_analysis *pm_case_add_analysis(pm_case *c);
pm_attachment *pm_case_add_attachment(pm_case *c);
pm_frame *pm_analysis_add_frame(pm_analysis *a);
pm_module *pm_analysis_add_module(pm_analysis *a);
pm_pooltag *pm_analysis_add_pooltag(pm_analysis *a);
pm_local *pm_analysis_add_local(pm_analysis *a);

/* Move the contents of *src into a new analysis appended to c; *src is
 * left zeroed. */
void pm_case_take_analysis(pm_case *c, pm_analysis *src);

/* Compute first_date/last_date from the messages (lexical ISO order). */
void pm_case_update_dates(pm_case *c);

#endif

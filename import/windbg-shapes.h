/* windbg-shapes.h - line shapes of crash text written by tools other than
 * !analyze and by people (import/windbg-shapes.c): a bugcheck code with its
 * arguments in one line, labelled values of summaries (BlueScreenView,
 * WER, the event log, Application Error events) in several languages, and
 * bugcheck names in prose. Pure functions over one normalised line; the
 * reader (windbg.c) decides what they mean for the analysis being built.
 */
#ifndef PMKB_WINDBG_SHAPES_H
#define PMKB_WINDBG_SHAPES_H

#include <stddef.h>

/* A span of the line. */
typedef struct ws_span {
	const char *p;
	size_t n;
} ws_span;

/* "The bugcheck was: 0x000000d1 (0xa, 0x2, 0x0, 0xfffff8000f10b1a4)",
 * "Bugcheck: D1 (a, b, c, d)", "param1 0x000000d1 (...)",
 * "0x3b (c0000005, fffff801`2a0f9c8, ffffbf00`94c14e70, 0)": the code and
 * up to four arguments (an argument that is a symbol, "vendor!F+0x2f27",
 * is returned as printed). The code needs a "0x" or a bugcheck word before
 * it on the line; at least three arguments are hex. 1 when found. */
int ws_code_args(const char *s, size_t n, ws_span *code, ws_span args[4], int *nargs);

/* What a labelled value ("Key : value", "Key = value", "- Key: value")
 * of a summary is. */
enum ws_role {
	WS_NONE,
	WS_CODE,          /* Bug Check Code, BCCode, Fehlerprüfcode */
	WS_NAME,          /* Bug Check String */
	WS_P1, WS_P2, WS_P3, WS_P4, /* Parameter 1, BCP1 */
	WS_CAUSED_BY,     /* Caused By Driver, Driver at fault */
	WS_FAULT_MODULE,  /* Faulting module name, Fault Module Name (user mode) */
	WS_PROCESS,       /* Faulting application name, Application Name */
	WS_EXCEPTION,     /* Exception code, Code d'exception */
	WS_BUCKET,        /* Bucket ID, Failure.Bucket */
	WS_WER_CODE,      /* "Code:" of a WER BlueScreen problem signature */
	WS_DUMP,          /* Dump File (BlueScreenView): one block per dump */
	WS_FAULT_OFFSET,  /* Fault offset, Exception Offset: where in the faulting module (user mode) */
};

/* The role and value of a labelled line; WS_NONE when it is not one. The
 * value is trimmed; for user-mode event fields it ends before ", version". */
enum ws_role ws_labelled(const char *s, size_t n, ws_span *value);

/* The role of a label printed alone on its line ("Bug Check Code",
 * "Paramètre 1"): its value comes on a later line. WS_NONE otherwise. */
enum ws_role ws_label_alone(const char *s, size_t n);

/* Does s start a labelled value of the table above ("Имя приложения:
 * TwitchLeecher.exe ...": its label, a colon within 72 bytes)? For cutting
 * a line a copy joined. */
int ws_label_starts(const char *s, size_t n);

/* The role of a column of a table a person wrote, from its header cell
 * ("Bugcheck", "Stop code", "Process", "Driver", "Arg1", "Dump"); WS_NONE
 * when it is none of these. */
enum ws_role ws_table_column(const char *s, size_t n);

/* A documented bugcheck name in the line, spelled with '_' (any case,
 * at least 12 characters, so "FILE_SYSTEM" in prose is not one) or as
 * upper-case words ("KMODE EXCEPTION NOT HANDLED"). Returns 1 with the
 * code and the name's span. At most the first 64 candidate words of a
 * line are tried. */
int ws_bugcheck_name(const char *s, size_t n, unsigned long long *code, ws_span *name);

/* A summary table row with the bugcheck name, the code (0x and 8 digits)
 * and the four arguments next to each other, then the driver (BlueScreenView
 * rows, tab-separated or as a Markdown table): 1 with the code, the
 * arguments and the driver's span (n 0 when none follows). */
int ws_table_row(const char *s, size_t n, ws_span *code, ws_span args[4], ws_span *driver);

/* The code a bucket names: "0xD1_vendor!F", "X64_0xD1_vendor!F+1c",
 * "km:x64_0x3b_..." -> 1 with *code. */
int ws_bucket_code(const char *bucket, unsigned long long *code);

/* A user-mode exception by its name, as crash reporters print it
 * ("EXCEPTION_ACCESS_VIOLATION", Breakpad's
 * "EXCEPTION_ACCESS_VIOLATION_READ"): 1 with its NTSTATUS code. */
int ws_exception_name(const char *s, size_t n, unsigned long *code);

#endif

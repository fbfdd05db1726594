/* input.h - THE input reader: one file, standard input or a request body
 * turned into what the other readers take, UTF-8 text or one dump
 * analysis. `pmkb sig`, `match`, `suggest`, `import` (text files and
 * standard input), `eval` and the web server read their input through it,
 * so they accept the same encodings and refuse the same things, with the
 * same reason (docs/windbg-reader.md, "Input").
 *
 * What it does, in order:
 *  - a .dmp (the detection of import/dmp.c: PAGEDU64, PAGEDUMP, MDMP and
 *    the dumps it names in an error) goes to the dump reader; a dump file
 *    is read where it lies, never whole, so the text bound does not apply;
 *  - text is read whole, at most max_text bytes;
 *  - UTF-16 with a byte-order mark, or without one when it is mostly ASCII
 *    (a NUL in every other byte: WinDbg .logopen /u, PowerShell `>`),
 *    little- or big-endian, becomes UTF-8;
 *  - other text with a NUL byte, or with more than one control byte in 20
 *    in its first 64 KiB, is binary data and refused;
 *  - the rest goes through charset_text_to_utf8 (util/charset.h): UTF-8
 *    (a BOM is dropped), damaged UTF-8, else GB18030 (GBK, GB2312).
 *
 * The reader never prints and knows no exit code: it returns a status and
 * a reason, and the command maps the status (cli_input_exit in cli/). */
#ifndef PMKB_INPUT_H
#define PMKB_INPUT_H

#include <stddef.h>
#include "model.h"

/* The text bound of every command: 64 MiB. */
#define INPUT_MAX_TEXT ((size_t)64 << 20)

typedef enum input_status {
	INPUT_OK = 0,
	INPUT_ERR_OPEN,      /* missing, a directory, unreadable, a read error */
	INPUT_ERR_TOO_LARGE, /* text over max_text */
	INPUT_ERR_BINARY,    /* neither text nor a dump */
	INPUT_ERR_DUMP,      /* a dump (or what starts like one) the dump reader refused */
} input_status;

/* What to do with a dump. */
typedef enum input_dumps {
	INPUT_DUMPS_SNIFF = 0, /* a dump when its first bytes say so */
	INPUT_DUMPS_NEVER,     /* text only: a dump is binary data */
	INPUT_DUMPS_ONLY,      /* always the dump reader (import --format dmp) */
} input_dumps;

typedef struct input_opts {
	size_t max_text;   /* 0: INPUT_MAX_TEXT */
	input_dumps dumps;
} input_opts;

typedef struct input {
	int is_dump;
	/* text (is_dump 0): NUL-terminated UTF-8 of len bytes, and how the
	 * bytes were read: "utf-8", "utf-16le", "utf-16be", "gb18030", ... */
	char *text;
	size_t len;
	const char *encoding;
	/* a dump (is_dump 1): its analysis (source "dmp") and the dump
	 * reader's warnings, one per line, or NULL */
	pm_analysis dump;
	char *warnings;
	/* the reason of a failure: one line, lower case, without the name */
	char err[256];
} input;

/* Read path ("-": standard input). in is overwritten without being freed
 * first; it needs input_clear after every call, success or not. o may be
 * NULL (the defaults). */
input_status input_read(const char *path, const input_opts *o, input *in);

/* The same from memory (a request body, a piped buffer): buf is not kept. */
input_status input_read_mem(const char *buf, size_t len, const input_opts *o, input *in);

/* Free what in holds and empty it. Taking in->text or in->dump before
 * (setting the pointer to NULL, pm_case_take_analysis) is allowed. */
void input_clear(input *in);

#endif

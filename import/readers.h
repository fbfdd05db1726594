/* readers.h - the readers. Each turns bytes into the model of model.h and
 * never touches storage. Errors: a reader returns 0 on success, or -1 with
 * a one-line reason (lower case, no full stop, without the file name: the
 * caller prefixes it) in err and, where given, why in *st (util/status.h):
 * PM_NO_INPUT when the file cannot be read, PM_BAD_DATA when it is not
 * what the reader reads. The caller decides what that means to its user.
 */
#ifndef PMKB_READERS_H
#define PMKB_READERS_H

#include <stddef.h>
#include "model.h"
#include "../util/status.h"

/* ---- import/thread.c: the seed export format, or any plain text ---- */

/* Is buf in the export format ("邮件主题：" then "====第N封邮件====")? */
int thread_is_export(const char *buf, size_t len);

/* Read a thread export (or a plain text: one message, id = stem of name).
 * buf is any encoding (decoded through util/charset.h). Bodies are redacted
 * (redact.h) and notes (conclusions, next steps) extracted; analyses are
 * NOT extracted here (see analyses_extract). */
int thread_read(const char *name, const char *buf, size_t len, pm_case **out,
		char *err, size_t errsz);

/* ---- import/subject.c ---- */

/* Subject line parsing shared with the mail reader: case number, refs,
 * customer, priority, title. Fills those fields of c (replacing them). */
void thread_parse_subject(const char *subject, pm_case *c);

/* The known customer whose mail domain ends the address in sender
 * ("li@icbc.com.cn", "Li <li@sz.icbc.com.cn>"), or NULL: the rule both the
 * export reader and the mail threading use when the subject names none. */
const char *thread_customer_of_sender(const char *sender);

/* ---- import/notes.c ---- */

/* Sections of a body (问题分析, 下一步动作, ...) as notes of message idx. */
void thread_extract_notes(pm_case *c, int idx, const char *body);

/* Is the case closed/resolved according to its bodies? Sets c->status. */
void thread_detect_status(pm_case *c);

/* ---- import/windbg.c: WinDbg text ---- */

/* Find every dump analysis in a UTF-8 text and append it to the analyses
 * of c with the given message index (-1 for a bare text). Analyses whose
 * content hash is already in c are not added again (quoted repeats).
 * Bounded: at most 4096 analyses, 10000 frames each. Returns how many
 * analyses were added. */
size_t windbg_extract(const char *text, size_t len, int message, pm_case *c);

/* A file of saved WinDbg output as a case of its own (id = stem of name). */
int windbg_read_case(const char *name, const char *buf, size_t len, pm_case **out,
		     char *err, size_t errsz);

/* ---- import/dmp.c: crash dump files ---- */

/* Does the buffer start like a dump file we know (PAGEDU64, PAGEDUMP, MDMP)?
 * Also true (2) for dumps it cannot read ("PAGE" fill or an unknown "PAGE"
 * variant, a CAB archive "MSCF"): dmp_read_* then names them in its error. */
int dmp_is_dump(const unsigned char *head, size_t len);
/* The same for a file, from its first 64 bytes only (a dump may be far
 * larger than any text bound). 0 when the file cannot be read. */
int dmp_file_is_dump(const char *path);

/* Read one dump file into an analysis (source "dmp"). Warnings (part of
 * the file unreadable) go to *warnings (one per line, may be NULL). */
int dmp_read_file(const char *path, pm_analysis *out, char **warnings,
		  char *err, size_t errsz, pm_status *st);
/* The same from memory (an attachment). */
int dmp_read_mem(const unsigned char *buf, size_t len, pm_analysis *out, char **warnings,
		 char *err, size_t errsz, pm_status *st);

/* ---- import/redact.c: personal data ---- */

/* Replace ID-card numbers, mainland mobile numbers (also full-width, and
 * +86 with or without a blank), e-mail addresses, passwords and login
 * names given in the text by markers "[redacted:id-number]",
 * "[redacted:phone]", "[redacted:password]", "[redacted:username]".
 * Returns a new string the caller frees; *count (may be NULL) is increased
 * by the number of replacements. */
char *redact_text(const char *text, int *count);
/* The same for a file name or path, where '_' and '.' separate words. Both
 * also replace e-mail addresses ("[redacted:email]") and read full-width
 * digits as digits. */
char *redact_name(const char *name, int *count);

/* ---- import/redact-case.c: personal data in the fields of a case ---- */

/* Sender fields (a person's name or an address becomes a stable
 * pseudonym "person-<6 hex>", a role keeps its name), subjects and title,
 * attachment and dump file names and the source path; and the names that
 * senders, greetings ("许先生", "Dear X,") and signatures (the line after
 * "Best regards", "谢谢") give, replaced by their pseudonym in the bodies
 * and notes of messages no analysis points into yet. Idempotent; counts
 * into c->redactions. */
void redact_case(pm_case *c);
/* A sender field as redact_case stores it (caller frees). */
char *redact_sender_field(const char *sender);
/* The stable pseudonym redact_case gives a personal name ("Li Qi" ->
 * "person-3fa2c1", a hash of the name in lower case), or NULL when name
 * does not look like a person's name (2-4 CJK characters, or 1-4 Latin
 * words with a capital first). Caller frees. The privacy check uses it
 * to find a stored person's name in outgoing text without the knowledge
 * base keeping the name. */
char *redact_pseudonym(const char *name);
#define REDACT_PSEUDO_PREFIX "person-"

/* ---- import/pipeline.c: the step shared by every importer ---- */

/* Extract the analyses of every message body of c (windbg_extract), with
 * quoted repeats stored once. */
void analyses_extract(pm_case *c);

#endif
